/* SPDX-License-Identifier: ISC */
/*
 * handoff_helper.c: starts the helper program (givefd-helper) that holds
 * an offer where the receiver may not take from the sender itself: under
 * Yama, or for a root sender whose peer is another user. The helper is a
 * program started afresh, so the process a receiver may trace or take
 * from holds nothing of the sender's but the offer: the proof, the answer
 * channel's far end and (procfd) the descriptors, at numbers 0, 1, 2...
 * A root sender's helper runs as the peer's user. The sender ends it with
 * SIGKILL once the transfer is over; its word comes from the receiver.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_CLONE_VFORK
#include <sched.h>
#endif

#include "compat.h"
#include "internal.h"
#include "handoff_send.h"

#ifndef GIVEFD_HELPER_PATH
#define GIVEFD_HELPER_PATH "givefd-helper"
#endif

/* Everything the child needs, prepared before it starts: between the
 * start and exec it makes system calls only. */
struct helper_job {
	const char *path;
	char *argv[5];
	char sender[16], ptracer[16], ready[16];
	int src[GFD_HANDLE_MAX_FDS + 2];        /* src[k] goes to number k */
	int n;
	int err_end;            /* close-on-exec pipe: exec's errno, if it fails */
	int switch_uid;
	uid_t uid;
	gid_t gid;
};

/* Closes every descriptor from lo to hi. */
static void close_span(int lo, int hi)
{
#ifdef SYS_close_range
	if (lo > hi || syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0)
		return;
#endif
	{
		long max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (; lo <= hi && lo < max; lo++)
			close(lo);
	}
}

static void run_child(struct helper_job *job)
{
	int moved[GFD_HANDLE_MAX_FDS + 2], k, err;

	/* Everything above the numbers it goes to first, so that no dup2
	 * overwrites a source not yet moved. */
	for (k = 0; k < job->n; k++)
		if ((moved[k] = fcntl(job->src[k], F_DUPFD_CLOEXEC, job->n)) == -1)
			goto fail;
	if ((err = fcntl(job->err_end, F_DUPFD_CLOEXEC, job->n)) == -1)
		goto fail;
	job->err_end = err;
	for (k = 0; k < job->n; k++)
		if (dup2(moved[k], k) == -1)
			goto fail;
	close_span(job->n, job->err_end - 1);
	close_span(job->err_end + 1, 0x7fffffff);
	/* Raw calls: the C library's would act on every thread of a process
	 * whose memory this child may share. */
	if (job->switch_uid &&
	    (syscall(SYS_setgroups, 0, NULL) == -1 ||
	     syscall(SYS_setgid, job->gid) == -1 ||
	     syscall(SYS_setuid, job->uid) == -1))
		goto fail;
	{
		char *no_env[] = { NULL };

		execve(job->path, job->argv, no_env);
	}
fail:
	err = errno;
	(void)!write(job->err_end, &err, sizeof err);
	_exit(127);
}

#ifdef HAVE_CLONE_VFORK
static int child_entry(void *arg)
{
	run_child(arg);
	return 0;
}

/* Shares the sender's memory until exec, which it reaches before the
 * sending thread goes on: no page tables copied. No exit signal, so the
 * caller's SIGCHLD handler never hears of it; reaped with __WALL. */
static pid_t start_child(struct helper_job *job)
{
	union {
		long double align;
		char bytes[32768];
	} stack;
	pid_t pid = clone(child_entry, stack.bytes + sizeof stack.bytes,
	                  CLONE_VM | CLONE_VFORK, job);

	/* Emulators such as qemu-user refuse a child without SIGCHLD. */
	if (pid == -1 && errno == EINVAL)
		pid = clone(child_entry, stack.bytes + sizeof stack.bytes,
		            CLONE_VM | CLONE_VFORK | SIGCHLD, job);
	return pid;
}

#define REAP_FLAGS __WALL
#else
static pid_t start_child(struct helper_job *job)
{
	pid_t pid = fork();

	if (pid == 0)
		run_child(job);
	return pid;
}

#define REAP_FLAGS 0
#endif

void gfd_helper_stop(pid_t pid)
{
	int status;
	pid_t w;

	kill(pid, SIGKILL);
	do
		w = waitpid(pid, &status, REAP_FLAGS);
	while (w == -1 && errno == EINTR);
}

static void prepare(struct helper_job *job, const struct gfd_outgoing *o,
                    const struct gfd_offer *of, int lists_fds,
                    struct gfd_holding *held)
{
	const char *path = secure_getenv("GIVEFD_HELPER");
	size_t i;

	job->path = path != NULL && *path != '\0' ? path : GIVEFD_HELPER_PATH;
	job->n = 0;
	held->proof = job->n;
	job->src[job->n++] = of->proof;
	if (of->answer_end == of->proof)
		held->answer = held->proof;
	else {
		held->answer = job->n;
		job->src[job->n++] = of->answer_end;
	}
	for (i = 0; lists_fds && i < o->nfds; i++) {
		held->fds[i] = job->n;
		job->src[job->n++] = o->fds[i];
	}
	snprintf(job->sender, sizeof job->sender, "%ld", (long)o->sender);
	snprintf(job->ptracer, sizeof job->ptracer, "%ld",
	         o->peer_known ? (long)o->peer_pid : 0L);
	snprintf(job->ready, sizeof job->ready, "%d", held->answer);
	job->argv[0] = (char *)"givefd-helper";
	job->argv[1] = job->sender;
	job->argv[2] = job->ptracer;
	job->argv[3] = job->ready;
	job->argv[4] = NULL;
	job->switch_uid = geteuid() == 0 && o->peer_known && o->peer_uid != 0;
	job->uid = o->peer_uid;
	job->gid = o->peer_gid;
}

int gfd_helper_start(const struct gfd_handoff_ops *ops,
                     const struct gfd_outgoing *o, const struct gfd_offer *of,
                     struct gfd_holding *held)
{
	struct helper_job job;
	int err_pipe[2], exec_err = 0;
	ssize_t n;

	held->pid = 0;
	prepare(&job, o, of, gfd_handle_lists_fds(ops->wire), held);
	if (job.switch_uid && ops->hand_over(of, job.uid, job.gid) == -1)
		return -1;
	if (pipe2(err_pipe, O_CLOEXEC) == -1)
		return -1;
	job.err_end = err_pipe[1];
	held->pid = start_child(&job);
	close(err_pipe[1]);
	if (held->pid == -1) {
		held->pid = 0;
		close(err_pipe[0]);
		return -1;
	}
	do
		n = read(err_pipe[0], &exec_err, sizeof exec_err);
	while (n == -1 && errno == EINTR);
	close(err_pipe[0]);
	if (n != 0) {
		gfd_helper_stop(held->pid);
		held->pid = 0;
		errno = n == (ssize_t)sizeof exec_err ? exec_err : EIO;
		return -1;
	}
	return 0;
}

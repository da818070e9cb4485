/* SPDX-License-Identifier: ISC */
/*
 * bench_pipes.c: descriptors per second for procfd and pidfd (taken from
 * the sender itself, and through a helper process) next to scm_rights, one
 * and 64 descriptors per message, sender and receiver in two processes; a
 * bare round trip over a socket pair (what a synchronous transfer cannot
 * beat) and raw pidfd_getfd (what pidfd cannot beat per descriptor); and a
 * procfd transfer next to a bare fork()+waitpid() and a clone(CLONE_VM)
 * with a small stack, all measured in the same run.
 * Usage: bench_pipes [transfers]
 */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define BATCH 64

/* Seconds per descriptor for n messages of k descriptors (copies of
 * stderr) from this process to a child over a pipe (handle backends) or a
 * stream socket pair. */
static double per_descriptor(const char *backend, int use_pipe, long n,
                             size_t k)
{
	int ch[2], status, fds[BATCH];
	double start;
	size_t j;
	pid_t pid;
	long i;

	if (givefd_use_backend(backend) == -1)
		return -1;
	if (use_pipe ? pipe(ch) : socketpair(AF_UNIX, SOCK_STREAM, 0, ch))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ch[1]);
		for (i = 0; i < n; i++) {
			size_t got = k;
			char c;

			/* A channel made here: its writers are trusted. */
			if (givefd_recv_flags(ch[0], fds, &got, &c, 1,
			                      GIVEFD_TRUST_WRITERS) == -1 || got != k)
				_exit(1);
			for (j = 0; j < k; j++)
				close(fds[j]);
		}
		_exit(0);
	}
	close(ch[0]);
	for (j = 0; j < k; j++)
		fds[j] = 2;
	start = now();
	for (i = 0; i < n; i++)
		if (givefd_send(ch[1], fds, k, "x", 1) == -1)
			break;
	close(ch[1]);
	waitpid(pid, &status, 0);
	if (i < n || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return (now() - start) / (double)n / (double)k;
}

/* Seconds per round trip of one byte each way over a socket pair. */
static double round_trip(long n)
{
	int sv[2], status;
	double start;
	char c = 'x';
	pid_t pid;
	long i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1 && write(sv[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(sv[1]);
	start = now();
	for (i = 0; i < n; i++)
		if (write(sv[0], &c, 1) != 1 || read(sv[0], &c, 1) != 1)
			break;
	close(sv[0]);
	waitpid(pid, &status, 0);
	return i < n ? -1 : (now() - start) / (double)n;
}

static double bare_fork(long n)
{
	double start = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return now() - start;
}

static int tiny_child(void *arg)
{
	(void)arg;
	return 0;
}

/* A child sharing the address space, on a 16 KiB stack: no page tables to
 * copy. What a lighter helper would cost to create. */
static double small_clone(long n)
{
	static char stack[16384] __attribute__((aligned(16)));
	double start = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = clone(tiny_child, stack + sizeof stack,
		                  CLONE_VM | SIGCHLD, NULL);

		if (pid == -1)
			return -1;
		waitpid(pid, NULL, 0);
	}
	return now() - start;
}

/* Seconds per pidfd_getfd()+close() of a child's stderr, no messages at
 * all: what the pidfd backend pays per descriptor before anything else. */
static double raw_getfd(long n)
{
#ifdef HAVE_PIDFD_SYSCALLS
	int pidfd, status;
	double start;
	pid_t pid;
	long i;

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	start = now();
	for (i = 0; i < n && pidfd != -1; i++) {
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 2, 0);

		if (fd == -1)
			break;
		close(fd);
	}
	start = now() - start;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (pidfd != -1)
		close(pidfd);
	return i < n ? -1 : start / (double)n;
#else
	(void)n;
	return -1;
#endif
}

static void print_row(const char *name, double each, double base)
{
	if (each < 0)
		printf("%-26s %12s\n", name, "failed");
	else
		printf("%-26s %12.0f %10.2f\n", name, 1 / each, each / base);
}

struct row {
	const char *name, *backend;
	int use_pipe, helper;
};

static const struct row rows[] = {
	{ "pidfd over a pipe", "pidfd", 1, 0 },
	{ "pidfd over a socket", "pidfd", 0, 0 },
	{ "procfd over a pipe", "procfd", 1, 0 },
	{ "procfd over a socket", "procfd", 0, 0 },
	{ "pidfd, helper, pipe", "pidfd", 1, 1 },
	{ "pidfd, helper, socket", "pidfd", 0, 1 },
	{ "procfd, helper, pipe", "procfd", 1, 1 },
	{ "procfd, helper, socket", "procfd", 0, 1 },
};

/* The row's transfers, with or without a helper process. */
static double run_row(const struct row *r, long n, size_t k)
{
	double each;

	if (r->helper)
		setenv("GIVEFD_HANDOFF_HELPER", "1", 1);
	each = per_descriptor(r->backend, r->use_pipe, n, k);
	unsetenv("GIVEFD_HANDOFF_HELPER");
	return each;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000, big = n * 20;
	size_t nrows = sizeof rows / sizeof rows[0], i;
	double scm, fork_cost, clone_cost;

	scm = per_descriptor("scm_rights", 0, big, 1);
	printf("%-26s %12s %10s\n", "1 descriptor a message", "descr./s", "x scm");
	print_row("scm_rights over a socket", scm, scm);
	for (i = 0; i < nrows; i++)
		print_row(rows[i].name, run_row(&rows[i], rows[i].helper ? n / 4 : n, 1), scm);
	print_row("(1-byte round trip)", round_trip(big), scm);

	scm = per_descriptor("scm_rights", 0, big / 8, BATCH);
	printf("\n%-26s %12s %10s\n", "64 descriptors a message", "descr./s", "x scm");
	print_row("scm_rights over a socket", scm, scm);
	for (i = 0; i < 4; i++)
		print_row(rows[i].name, run_row(&rows[i], n / 8 + 1, BATCH), scm);
	print_row("(raw pidfd_getfd+close)", raw_getfd(big), scm);

	fork_cost = bare_fork(n) / (double)n;
	clone_cost = small_clone(n) / (double)n;
	printf("\n%-26s %12s %10s\n", "process creation", "us each", "x fork");
	printf("%-26s %12.1f %10.2f\n", "fork()+waitpid()", fork_cost * 1e6, 1.0);
	printf("%-26s %12.1f %10.2f\n", "clone(CLONE_VM) 16 KiB", clone_cost * 1e6,
	       clone_cost / fork_cost);
	for (i = 2; i < nrows; i += 4) {
		double each = run_row(&rows[i], n, 1);

		printf("procfd transfer, %-9s %12.1f %10.2f\n",
		       rows[i].helper ? "helper" : "direct", each * 1e6, each / fork_cost);
	}
	return 0;
}

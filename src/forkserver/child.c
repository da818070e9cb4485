/* SPDX-License-Identifier: ISC */
/*
 * child.c: what a child does between fork and returning into the target:
 * its own process group, only the descriptors it was given plus the
 * target's own, default signal dispositions and an empty mask; its
 * working directory, environment and arguments. A persistent child
 * (loop.c) takes each later run's the same way.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#elif defined(HAVE_PROC_PDEATHSIG_CTL)
#include <sys/procctl.h>
#endif

#include "forkserver.h"
#include "server.h"

/* Signal numbers to reset: NSIG where the system defines it. */
#ifndef NSIG
#define NSIG 65
#endif

/* The signals whose disposition is not the default, noted once in the
 * server once it has set its own: only the server's code runs there
 * afterwards, so a child resets those and not every signal (one system
 * call each). */
static unsigned char changed[NSIG];
static int masked;
/* Made here, before any fork: a child calls no more of libc than it must,
 * since each page of code it runs that the target does not is a fault. */
static struct sigaction to_default;
static sigset_t no_signals;

void fs_note_signals(void)
{
	struct sigaction sa;
	sigset_t cur;
	int sig;

	to_default.sa_handler = SIG_DFL;
	to_default.sa_flags = 0;
	sigemptyset(&to_default.sa_mask);
	sigemptyset(&no_signals);
	masked = sigprocmask(SIG_BLOCK, NULL, &cur) != 0;
	for (sig = 1; sig < NSIG; sig++) {
		changed[sig] = sig != SIGKILL && sig != SIGSTOP &&
		               sigaction(sig, NULL, &sa) == 0 &&
		               sa.sa_handler != SIG_DFL;
		if (!masked && sigismember(&cur, sig) == 1)
			masked = 1;
	}
}

void fs_reset_signals(void)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (changed[sig])
			(void)sigaction(sig, &to_default, NULL);
	if (masked)
		(void)sigprocmask(SIG_SETMASK, &no_signals, NULL);
}

int fs_die_with(pid_t server)
{
#ifdef HAVE_PR_SET_PDEATHSIG
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	if (getppid() != server) {      /* it died before the call */
		errno = ESRCH;
		return -1;
	}
#elif defined(HAVE_PROC_PDEATHSIG_CTL)
	int sig = SIGKILL;

	if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig) == -1)
		return -1;
	if (getppid() != server) {      /* it died before the call */
		errno = ESRCH;
		return -1;
	}
#else
	(void)server;
#endif
	return 0;
}

static int is_target(const uint32_t *targets, size_t n, int fd)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (targets[i] == (uint32_t)fd)
			return 1;
	return 0;
}

/* A duplicate of fd at a number no target takes, or -1 and errno. Each
 * retry passes one target, so there are at most n of them. */
static int dup_aside(int fd, const uint32_t *targets, size_t n, int cmd)
{
	int from = 0;

	for (;;) {
		int d = fcntl(fd, cmd, from);

		if (d == -1 || !is_target(targets, n, d))
			return d;
		(void)close(d);
		from = d + 1;
	}
}

int fs_child_place(const int *fds, const uint32_t *targets, size_t n,
                   int *keep, long *failed)
{
	int moved[64];
	size_t i;

	*failed = -1;
	if (n > sizeof moved / sizeof moved[0]) {
		errno = EINVAL;
		return -1;
	}
	/* Everything aside first, so that no dup2 overwrites a descriptor
	 * still to be placed, nor keep. */
	if (is_target(targets, n, *keep)) {
		int k = dup_aside(*keep, targets, n, F_DUPFD_CLOEXEC);

		if (k == -1)
			return -1;
		(void)close(*keep);
		*keep = k;
	}
	for (i = 0; i < n; i++) {
		moved[i] = dup_aside(fds[i], targets, n, F_DUPFD);
		if (moved[i] == -1) {
			*failed = (long)targets[i];
			return -1;
		}
		(void)close(fds[i]);
	}
	/* Targets are at most 2^31-1 (the protocol's limit); one beyond the
	 * descriptor limit fails here with EBADF. */
	for (i = 0; i < n; i++) {
		if (dup2(moved[i], (int)targets[i]) == -1) {
			*failed = (long)targets[i];
			return -1;
		}
		(void)close(moved[i]);
	}
	return 0;
}

int fs_child_enter(const int *fds, const uint32_t *targets, size_t n,
                   int *keep, long *failed)
{
	*failed = -1;
	(void)setpgid(0, 0);
	if (fs_child_place(fds, targets, n, keep, failed) == -1)
		return -1;
	fs_reset_signals();
	return 0;
}

static char **child_args;
static int child_nargs;
/* Written once by every child of a target that loops: kept among the
 * first variables of the library, which share a page with the flag every
 * shared library's C runtime sets at exit, so that a child copies one
 * page for both, not two (one fault a run fewer where the layout allows;
 * nothing is lost where it does not). */
static int first_run_taken;

int fs_child_first_run(void)
{
	if (first_run_taken)
		return 0;
	first_run_taken = 1;
	return 1;
}

char **forkserver_args(int *argc)
{
	if (argc != NULL)
		*argc = child_nargs;
	return child_args;
}

void fs_child_args(const struct fsp_run *run)
{
	uint32_t i;

	if (child_args != NULL) {      /* a persistent child's last run's */
		for (i = 0; (int)i < child_nargs; i++)
			free(child_args[i]);
		free(child_args);
		child_args = NULL;
		child_nargs = 0;
	}
	if (run->nargs == 0)
		return;
	child_args = calloc(run->nargs + 1, sizeof *child_args);
	if (child_args == NULL)
		return;
	for (i = 0; i < run->nargs; i++) {
		child_args[i] = malloc((size_t)run->arglen[i] + 1);
		if (child_args[i] == NULL)
			return;                 /* the array so far, NULL-ended */
		memcpy(child_args[i], run->args[i], run->arglen[i]);
		child_args[i][run->arglen[i]] = '\0';
		child_nargs = (int)i + 1;
	}
}

int fs_child_cwd(int dir)
{
	int r;

	if (dir == -1)
		return 0;
	r = fchdir(dir);
	if (r == -1 && errno == EBADF)
		errno = ENOTDIR;        /* a descriptor that is not a directory */
	if (r == -1) {
		int err = errno;

		(void)close(dir);
		errno = err;
		return -1;
	}
	(void)close(dir);
	return 0;
}

int fs_child_env(const struct fsp_run *run)
{
	uint32_t i;

	for (i = 0; i < run->nenv; i++) {
		char *e = malloc((size_t)run->envlen[i] + 1), *eq;
		int rc;

		if (e == NULL)
			return -1;
		memcpy(e, run->env[i], run->envlen[i]);
		e[run->envlen[i]] = '\0';
		/* setenv keeps a copy of its own: e is freed either way, and a
		 * persistent child's next run can restore what this one set. */
		eq = strchr(e, '=');
		if (eq == NULL) {
			free(e);
			errno = EINVAL;
			return -1;
		}
		*eq = '\0';
		rc = setenv(e, eq + 1, 1);
		free(e);
		if (rc != 0)
			return -1;
	}
	return 0;
}


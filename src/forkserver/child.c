/*
 * child.c: what a child does between fork and returning into the target:
 * its own process group, only the descriptors it was given plus the
 * target's own, default signal dispositions and an empty mask.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#elif defined(HAVE_PROC_PDEATHSIG_CTL)
#include <sys/procctl.h>
#endif

#include "server.h"

/* Signal numbers to reset: NSIG where the system defines it. */
#ifndef NSIG
#define NSIG 65
#endif

/* The signals whose disposition is not the default, noted once in the
 * server: only the server's own code runs there afterwards, so a child
 * resets those and not every signal (one system call each). */
static unsigned char changed[NSIG];
/* Whether the server's signal mask, which it keeps, blocks anything. */
static int masked;

void fs_note_signals(void)
{
	struct sigaction sa;
	sigset_t cur;
	int sig;

	masked = sigprocmask(SIG_BLOCK, NULL, &cur) != 0;
	for (sig = 1; sig < NSIG; sig++) {
		changed[sig] = sig != SIGKILL && sig != SIGSTOP &&
		               sigaction(sig, NULL, &sa) == 0 &&
		               sa.sa_handler != SIG_DFL;
		if (!masked && sigismember(&cur, sig) == 1)
			masked = 1;
	}
	changed[SIGCHLD] = changed[SIGPIPE] = 1; /* the server sets these */
}

void fs_reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (changed[sig])
			(void)sigaction(sig, &sa, NULL);
	if (masked) {
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
	}
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

int fs_child_enter(const int *close_fds, size_t nclose, const int *fds,
                   const uint32_t *targets, size_t n)
{
	int moved[64];
	int above = 0;
	size_t i;

	if (n > sizeof moved / sizeof moved[0]) {
		errno = EINVAL;
		return -1;
	}
	(void)setpgid(0, 0);
	for (i = 0; i < nclose; i++)
		if (close_fds[i] >= 0)
			(void)close(close_fds[i]);
	/* Move every descriptor above all the targets first, so that no
	 * dup2 overwrites a descriptor still to be placed. */
	for (i = 0; i < n; i++)
		if ((int)targets[i] >= above)
			above = (int)targets[i] + 1;
	for (i = 0; i < n; i++) {
		moved[i] = fcntl(fds[i], F_DUPFD, above);
		if (moved[i] == -1)
			return -1;
		(void)close(fds[i]);
	}
	for (i = 0; i < n; i++) {
		if (dup2(moved[i], (int)targets[i]) == -1)
			return -1;
		(void)close(moved[i]);
	}
	fs_reset_signals();
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * sigpipe.c: keep a write to a closed pipe or socket from killing the
 * process. The caller's thread blocks SIGPIPE around the write; a SIGPIPE
 * the write raised is consumed before the old mask comes back, and one that
 * was already pending stays pending.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "internal.h"

void gfd_sigpipe_hold(struct gfd_sigpipe_guard *guard)
{
	sigset_t pipe_only, pending;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigpending(&pending);
	guard->was_pending = sigismember(&pending, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &pipe_only, &guard->old_mask);
}

void gfd_sigpipe_release(struct gfd_sigpipe_guard *guard)
{
	sigset_t pipe_only, pending;
	int saved = errno;
	int sig;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	if (!guard->was_pending && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1)
		sigwait(&pipe_only, &sig);
	pthread_sigmask(SIG_SETMASK, &guard->old_mask, NULL);
	errno = saved;
}

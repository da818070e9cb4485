/* SPDX-License-Identifier: ISC */
/*
 * givefd-helper: holds a pipe-backend offer for a sender that the
 * receiver may not take from itself (libgivefd starts it; not for people
 * to run). It is started afresh, so it holds nothing of the sender's but
 * descriptors 0, 1, ...: the offer. It lets the receiver trace it where
 * Yama would not, says it is ready with one byte on the answer channel,
 * and waits to be killed; it dies with the sender too.
 *
 * Usage: givefd-helper SENDER_PID RECEIVER_PID READY_FD
 * RECEIVER_PID 0: any process of this user may take from it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "handoff_send.h"

static int number(const char *s, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *v >= 0 && *v <= max;
}

int main(int argc, char **argv)
{
	const char ready_byte = GFD_ANSWER_READY;
	long sender, receiver, ready;
	ssize_t n;

	if (argc != 4 || !number(argv[1], INT_MAX, &sender) ||
	    !number(argv[2], INT_MAX, &receiver) || !number(argv[3], INT_MAX, &ready))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != (pid_t)sender)
		return 1;
#ifdef PR_SET_PTRACER
	/* Fails without Yama, where nothing needs it. */
	(void)prctl(PR_SET_PTRACER, receiver != 0 ? (unsigned long)receiver
	                                          : (unsigned long)PR_SET_PTRACER_ANY);
#endif
	do
		n = write((int)ready, &ready_byte, 1);
	while (n == -1 && errno == EINTR);
	if (n != 1)
		return 1;
	for (;;)
		pause();
}

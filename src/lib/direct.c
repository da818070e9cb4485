/*
 * direct.c: procfd and pidfd without a helper. Where the receiver may take
 * descriptors from this process itself, the sender makes a private answer
 * channel, names its far end (and that end's inode, as the nonce) in a
 * direct handle, and waits there for one byte: 'T' (taken) or 'R'
 * (refused). pidfd: a socket pair, on which the descriptors are already
 * queued with SCM_RIGHTS; the receiver takes the far end with one
 * pidfd_getfd, receives them all at once, and answers. procfd: a pipe; the
 * receiver reopens each descriptor and the pipe's write end through
 * /proc/SENDER/fd. No process is created, and nothing travels back over
 * the channel, so one-way pipes work too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "handoff.h"
#ifdef GIVEFD_BACKEND_PIDFD
#include "scm_rights.h"
#endif

static pthread_once_t yama_once = PTHREAD_ONCE_INIT;
static int yama_scope;

/* Yama's ptrace_scope 1 and up would let a pidfd receiver take only from
 * processes that named it with PR_SET_PTRACER, a setting of this whole
 * process that a library must not change: such systems use the helper,
 * which may name the receiver for itself. (/proc/PID/fd needs only read
 * access, which Yama does not restrict.) Read once per process. */
static void read_yama_scope(void)
{
	char text[16];

	if (gfd_read_proc_file(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope",
	                       text, sizeof text) == 0)
		yama_scope = text[0] == '0' && (text[1] == '\n' || text[1] == '\0') ? 0 : 1;
}

int gfd_direct_usable(const struct gfd_outgoing *o)
{
	const char *force = getenv("GIVEFD_HANDOFF_HELPER");

	if (force != NULL && *force != '\0' && *force != '0')
		return 0;
	/* Not dumpable (setuid programs, or by choice): /proc/PID/fd and
	 * pidfd_getfd are root's only. */
	if (prctl(PR_GET_DUMPABLE) != 1)
		return 0;
	if (o->backend == GFD_HANDLE_PROCFD)
		return 1;
#ifdef HAVE_PIDFD_SYSCALLS
	pthread_once(&yama_once, read_yama_scope);
	return yama_scope == 0;
#else
	return 0;
#endif
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The answer channel: ends[0] the sender reads, ends[1] the receiver
 * takes. Both non-blocking and close-on-exec. */
static int open_answers(const struct gfd_outgoing *o, int ends[2])
{
#ifdef GIVEFD_BACKEND_PIDFD
	if (o->backend == GFD_HANDLE_PIDFD) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		               0, ends) == -1)
			return -1;
		if (gfd_scm_sendmsg(ends[0], o->fds, o->nfds, "D", 1) == 1)
			return 0;
		close(ends[0]);
		close(ends[1]);
		return -1;
	}
#else
	(void)o;
#endif
	return pipe2(ends, O_CLOEXEC | O_NONBLOCK);
}

/* The receiver's byte: 0 for 'T', -1 with errno otherwise: EAGAIN when
 * there is no answer (nothing yet, or give_up's filler). */
static int read_answer(int end)
{
	char c;

	if (read(end, &c, 1) != 1 || (c != 'T' && c != 'R')) {
		errno = EAGAIN;
		return -1;
	}
	if (c == 'T')
		return 0;
	errno = ECONNABORTED;
	return -1;
}

/* Giving up waiting, at once and for good: makes the receiver's answer
 * impossible to write from now on (a socket is shut for reading: EPIPE; a
 * pipe is filled: EAGAIN), then reads what came before. A receiver whose
 * answer fails drops what it took, so both sides agree on the outcome. */
static int give_up(const struct gfd_outgoing *o, const int ends[2])
{
	static const char filler[4096];

	if (o->backend == GFD_HANDLE_PIDFD)
		shutdown(ends[0], SHUT_RD);
	else {
		while (write(ends[1], filler, sizeof filler) > 0)
			;
		while (write(ends[1], filler, 1) > 0)
			;
	}
	return read_answer(ends[0]);
}

/* Waits for the receiver's byte, the channel's closing, or the deadline. */
static int wait_for_answer(int end, int chan, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd[2];

	pfd[0].fd = end;
	pfd[0].events = POLLIN;
	pfd[1].fd = chan;
	pfd[1].events = 0;
	for (;;) {
		long long left = deadline - now_ms();
		int n = poll(pfd, 2, left > 0 ? (int)left : 0);

		if (n == -1 && errno != EINTR)
			return -1;
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			int rc = read_answer(end);

			if (rc == 0 || errno != EAGAIN)
				return rc;
		}
		if (n > 0 && pfd[1].revents != 0) {
			errno = EPIPE;
			return -1;
		}
		if (n == 0 && left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

int gfd_direct_send(const struct gfd_outgoing *o)
{
	struct stat st;
	int ends[2], rc, saved;

	if (open_answers(o, ends) == -1)
		return -1;
	rc = fstat(ends[1], &st);
	if (rc == 0)
		rc = gfd_handle_send(o, GFD_HANDLE_DIRECT, 0, (uint64_t)st.st_ino,
		                     ends[1]);
	if (rc == 0)
		rc = wait_for_answer(ends[0], o->chan, o->timeout_ms);
	saved = errno;
	if (rc == -1 && (saved == ETIMEDOUT || saved == EPIPE)) {
		rc = give_up(o, ends);
		if (rc == -1 && errno == ECONNABORTED)
			saved = ECONNABORTED;
	}
	close(ends[0]);
	close(ends[1]);
	errno = saved;
	return rc;
}

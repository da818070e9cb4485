/*
 * direct.c: procfd and pidfd without a helper. Where the receiver may take
 * descriptors from this process itself, the sender makes an
 * acknowledgement pipe, names it (and its inode, as the nonce) in a direct
 * handle, and waits: the receiver takes the descriptors (pidfd_getfd, or
 * a reopen through /proc/SENDER/fd), takes or opens the pipe's write end
 * and writes one byte, 'T' (taken) or 'R' (refused). No process is
 * created, and the pipe works over one-way channels too, since it does
 * not travel over the channel.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "handoff.h"

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

/* The receiver's byte: 0 for 'T', -1 with errno otherwise: EAGAIN when
 * there is no answer (nothing yet, or the filler of give_up). */
static int read_ack(int ack)
{
	char c;

	if (read(ack, &c, 1) != 1 || (c != 'T' && c != 'R')) {
		errno = EAGAIN;
		return -1;
	}
	if (c == 'T')
		return 0;
	errno = ECONNABORTED;
	return -1;
}

/* Giving up waiting, at once and for good: fills the pipe, so that the
 * receiver's answer can no longer be written (it gets EAGAIN and drops
 * what it took), then reads the first byte, which is the receiver's answer
 * if it came before the filling. Both sides then agree on the outcome. */
static int give_up(const int ack[2])
{
	static const char filler[4096];

	while (write(ack[1], filler, sizeof filler) > 0)
		;
	while (write(ack[1], filler, 1) > 0)
		;
	return read_ack(ack[0]);
}

/* Waits for the receiver's byte, the channel's closing, or the deadline. */
static int wait_for_ack(int ack, int chan, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd[2];

	pfd[0].fd = ack;
	pfd[0].events = POLLIN;
	pfd[1].fd = chan;
	pfd[1].events = 0;
	for (;;) {
		long long left = deadline - now_ms();
		int n = poll(pfd, 2, left > 0 ? (int)left : 0);

		if (n == -1 && errno != EINTR)
			return -1;
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			int rc = read_ack(ack);

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
	int ack[2], rc, saved;

	if (pipe2(ack, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	rc = fstat(ack[0], &st);
	if (rc == 0)
		rc = gfd_handle_send(o, GFD_HANDLE_DIRECT, 0, (uint64_t)st.st_ino,
		                     ack[1]);
	if (rc == 0)
		rc = wait_for_ack(ack[0], o->chan, o->timeout_ms);
	saved = errno;
	if (rc == -1 && (saved == ETIMEDOUT || saved == EPIPE)) {
		rc = give_up(ack);
		if (rc == -1 && errno == ECONNABORTED)
			saved = ECONNABORTED;
	}
	close(ack[0]);
	close(ack[1]);
	errno = saved;
	return rc;
}

/*
 * pidfd.c: the pidfd backend. The receiver duplicates descriptors out of
 * another process with pidfd_getfd: the same open file description,
 * sockets included; from a helper one by one, from a direct sender all at
 * once, queued on the socket it takes (direct.c). Needs Linux 5.6 and
 * ptrace rights over the process (same user; Yama: a helper names its
 * peer with PR_SET_PTRACER).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "backend.h"
#include "handoff.h"
#include "scm_rights.h"

int gfd_pidfd_take(const struct gfd_proc *p, int fdnum)
{
#ifdef HAVE_PIDFD_SYSCALLS
	/* pidfd_getfd makes the new descriptor close-on-exec. */
	return (int)syscall(SYS_pidfd_getfd, p->pidfd, fdnum, 0u);
#else
	(void)p;
	(void)fdnum;
	errno = ENOSYS;
	return -1;
#endif
}

int gfd_pidfd_take_queued(const struct gfd_proc *p, size_t n, int *fds)
{
	struct gfd_arrival arrival;
	char byte;

	if (gfd_socket_recv(p->answer, &byte, 1, MSG_DONTWAIT, &arrival) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EPIPE)
			errno = EPROTO;
		return -1;
	}
	if (arrival.nfds != n) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EPROTO;
		return -1;
	}
	memcpy(fds, arrival.fds, n * sizeof *fds);
	return 0;
}

/* Direct transfers carry the descriptors in one SCM_RIGHTS message, which
 * some C libraries cap below the handle's limit (musl: 252). */
static size_t pidfd_max_fds(void)
{
	size_t scm = gfd_scm_max_fds();

	return scm < GFD_HANDLE_MAX_FDS ? scm : GFD_HANDLE_MAX_FDS;
}

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static int getfd_missing;

/* A kernel before 5.6 has pidfd_open but no pidfd_getfd; the receiver,
 * on the same kernel, could take nothing. Asked once: EBADF means there. */
static void probe_getfd(void)
{
#ifdef HAVE_PIDFD_SYSCALLS
	getfd_missing = syscall(SYS_pidfd_getfd, -1, 0, 0u) == -1 &&
	                errno == ENOSYS;
#else
	getfd_missing = 1;
#endif
}

static ssize_t pidfd_send(int chan, const int *fds, size_t nfds,
                          const void *buf, size_t len)
{
	pthread_once(&probe_once, probe_getfd);
	if (nfds > 0 && getfd_missing) {
		errno = ENOSYS;
		return -1;
	}
	return gfd_handoff_send(GFD_HANDLE_PIDFD, chan, fds, nfds, buf, len);
}

const struct gfd_backend gfd_backend_pidfd = {
	"pidfd",
	pidfd_max_fds,
	pidfd_send,
};

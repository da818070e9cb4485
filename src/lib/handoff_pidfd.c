/* SPDX-License-Identifier: ISC */
/*
 * handoff_pidfd.c: the pidfd backend. The offer is a socket pair made for
 * the transfer, on whose far end the descriptors wait as one SCM_RIGHTS
 * message whose bytes are the secret. The receiver takes that far end
 * out of the holder with one pidfd_getfd (Linux 5.6; ptrace rights over
 * the holder), checks that the sender made the pair and that the waiting
 * bytes are the secret (peeking, so nothing is received before), receives
 * the descriptors, true duplicates, sockets included, and answers on it.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "backend.h"
#include "handoff_send.h"
#include "scm_rights.h"

static pthread_once_t yama_once = PTHREAD_ONCE_INIT;
static int yama_restricts;

/* Yama's ptrace_scope 1 and up lets a receiver take only from processes
 * that named it with PR_SET_PTRACER, a setting of the whole process that
 * a library must not change: a helper names the receiver instead. */
static void read_yama(void)
{
	char text[16];

	if (gfd_read_proc_file(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope",
	                       text, sizeof text) == 0)
		yama_restricts = !(text[0] == '0' && (text[1] == '\n' || text[1] == '\0'));
}

static int pidfd_needs_helper(void)
{
	pthread_once(&yama_once, read_yama);
	return yama_restricts;
}

static int pidfd_offer(const struct gfd_outgoing *o, struct gfd_offer *of)
{
	int ends[2];

	if (gfd_offer_secret(of) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) == -1)
		return -1;
	if (gfd_scm_sendmsg(ends[0], o->fds, o->nfds, of->proof_bytes,
	                    sizeof of->proof_bytes) != (ssize_t)sizeof of->proof_bytes) {
		gfd_close_all(ends, 2);
		return -1;
	}
	of->wait_end = ends[0];
	of->answer_end = ends[1];
	of->proof = ends[1];
	return 0;
}

/* The receiver takes the socket by pidfd_getfd: whoever owns it. */
static int pidfd_hand_over(const struct gfd_offer *of, uid_t uid, gid_t gid)
{
	(void)of;
	(void)uid;
	(void)gid;
	return 0;
}

/* A receiver that answers after this gets EPIPE, and drops what it took. */
static void pidfd_withdraw(struct gfd_offer *of)
{
	shutdown(of->wait_end, SHUT_RD);
}

/* The holder is the sender, or a helper it started (its child). */
static int holder_is_senders(const struct gfd_handle *h)
{
	char path[32];

	if (h->holder_pid == h->sender_pid)
		return 1;
	snprintf(path, sizeof path, "/proc/%lu/stat", (unsigned long)h->holder_pid);
	return gfd_proc_parent(AT_FDCWD, path) == (long)h->sender_pid;
}

static int pidfd_pin(const struct gfd_handle *h, struct gfd_holder *hd)
{
#ifdef HAVE_PIDFD_SYSCALLS
	hd->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)h->holder_pid, 0);
	if (hd->pidfd != -1) {
		/* Read after pinning: should the pid be reused meanwhile, the
		 * take fails on the pidfd. */
		if (holder_is_senders(h))
			return 0;
		errno = EPERM;
		return -1;
	}
	if (errno != ENOSYS)
		errno = ECONNABORTED;
#else
	(void)h;
	(void)hd;
	errno = ENOSYS;
#endif
	return -1;
}

/* Neither end has an address: a socket pair, never a connection made with
 * connect() and accept() (whose listening end is always named). */
static int is_socket_pair(int sock)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof addr;

	if (getsockname(sock, (struct sockaddr *)&addr, &len) == -1 ||
	    len > offsetof(struct sockaddr_un, sun_path))
		return 0;
	len = sizeof addr;
	return getpeername(sock, (struct sockaddr *)&addr, &len) == 0 &&
	       len <= offsetof(struct sockaddr_un, sun_path);
}

/* The sender made the pair (SO_PEERCRED of a socket pair names the
 * process that made it; a connection's would name whoever connected, who
 * could have queued anything on it), and the bytes waiting on it are the
 * proof of the secret: peeked without room for descriptors, so none is
 * received. */
static int holds_proof(int sock, const struct gfd_handle *h)
{
	unsigned char got[GFD_PROOF_LEN + 1];
	struct stat st;
	ssize_t n;
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &size) == -1 ||
	    cred.pid != (pid_t)h->sender_pid)
		return 0;
#endif
	if (fstat(sock, &st) == -1 || !S_ISSOCK(st.st_mode) || !is_socket_pair(sock))
		return 0;
	do
		n = recv(sock, got, sizeof got, MSG_PEEK | MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	return n > 0 && gfd_is_proof(got, (size_t)n, h->secret);
}

static int pidfd_check_proof(const struct gfd_handle *h, struct gfd_holder *hd)
{
	if (h->proof_fd != h->answer_fd) {
		errno = EPERM;
		return -1;
	}
#ifdef HAVE_PIDFD_SYSCALLS
	hd->answer = (int)syscall(SYS_pidfd_getfd, hd->pidfd, h->proof_fd, 0u);
#else
	errno = ENOSYS;
#endif
	if (hd->answer == -1) {
		/* Gone (ESRCH), or no longer holding the number (EBADF): the
		 * sender gave up. Anything else is a refusal. */
		if (errno == ESRCH || errno == EBADF)
			errno = ECONNABORTED;
		else if (errno != ENOSYS)
			errno = EPERM;
		return -1;
	}
	if (!holds_proof(hd->answer, h)) {
		close(hd->answer);
		hd->answer = -1;
		errno = EPERM;
		return -1;
	}
	return 0;
}

static int pidfd_take(const struct gfd_handle *h, struct gfd_holder *hd, int *fds)
{
	int took[h->nfds < GFD_FD_CAP ? h->nfds + 1 : GFD_FD_CAP];
	struct gfd_arrival arrival = { took, sizeof took / sizeof took[0], 0, 0 };
	unsigned char got[GFD_PROOF_LEN];
	ssize_t n = gfd_socket_recv(hd->answer, got, sizeof got, MSG_DONTWAIT, &arrival);

	if (n == -1) {
		errno = EPROTO;
		return -1;
	}
	if (!gfd_is_proof(got, (size_t)n, h->secret) || arrival.nfds != h->nfds) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EPROTO;
		return -1;
	}
	memcpy(fds, arrival.fds, h->nfds * sizeof *fds);
	return 0;
}

static int pidfd_answer(const struct gfd_handle *h, struct gfd_holder *hd, char c)
{
	ssize_t n;

	(void)h;
	do
		n = send(hd->answer, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

const struct gfd_handoff_ops gfd_handoff_pidfd = {
	GFD_HANDLE_PIDFD,
	pidfd_needs_helper,
	pidfd_offer,
	pidfd_hand_over,
	pidfd_withdraw,
	pidfd_pin,
	pidfd_check_proof,
	pidfd_take,
	pidfd_answer,
};

/* The descriptors travel in one SCM_RIGHTS message, which some C
 * libraries cap below the handle's limit (musl: 252). */
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
	int saved = errno;

	pthread_once(&probe_once, probe_getfd);
	errno = saved;
	if (nfds > 0 && getfd_missing) {
		errno = ENOSYS;
		return -1;
	}
	return gfd_handoff_send(&gfd_handoff_pidfd, chan, fds, nfds, buf, len);
}

const struct gfd_backend gfd_backend_pidfd = {
	"pidfd",
	pidfd_max_fds,
	pidfd_send,
};

/* SPDX-License-Identifier: ISC */
/*
 * handoff_send.c: the sending side of procfd and pidfd. Learns what the
 * channel is and who is at its other end, makes the backend's offer,
 * lets a helper program hold it where the receiver cannot take from this
 * process, writes the handle message, and waits on the answer channel for
 * the receiver's word, its own deadline, or the channel's closing.
 * "Taken" is only ever what the receiver said.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "handoff_io.h"
#include "handoff_send.h"

/* The offers this process has pending, so that a thread of it that reads
 * one of them can refuse it at once: a process does not take from itself,
 * and its sending thread should not wait out its deadline for nothing. */
struct pending {
	struct pending *next;
	const struct gfd_offer *of;
};

static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pending *pending_offers;

static void pending_add(struct pending *p, const struct gfd_offer *of)
{
	p->of = of;
	pthread_mutex_lock(&pending_lock);
	p->next = pending_offers;
	pending_offers = p;
	pthread_mutex_unlock(&pending_lock);
}

static void pending_remove(struct pending *p)
{
	struct pending **at;

	pthread_mutex_lock(&pending_lock);
	for (at = &pending_offers; *at != NULL; at = &(*at)->next)
		if (*at == p) {
			*at = p->next;
			break;
		}
	pthread_mutex_unlock(&pending_lock);
}

int gfd_offer_refuse_own(const unsigned char secret[GFD_SECRET_LEN])
{
	const char refused = GFD_ANSWER_REFUSED;
	struct gfd_sigpipe_guard guard;
	struct pending *p;
	int found = 0;

	pthread_mutex_lock(&pending_lock);
	for (p = pending_offers; p != NULL && !found; p = p->next)
		if (memcmp(p->of->secret, secret, GFD_SECRET_LEN) == 0) {
			gfd_sigpipe_hold(&guard);
			while (write(p->of->answer_end, &refused, 1) == -1 && errno == EINTR)
				;
			gfd_sigpipe_release(&guard);
			found = 1;
		}
	pthread_mutex_unlock(&pending_lock);
	if (!found)
		errno = ENOENT;
	return found ? 0 : -1;
}

static int learn_channel(struct gfd_outgoing *o)
{
	int type;
	socklen_t size = sizeof type;

	if (getsockopt(o->chan, SOL_SOCKET, SO_TYPE, &type, &size) == -1)
		return errno == ENOTSOCK ? 0 : -1;
	o->is_socket = 1;
	o->message_socket = type != SOCK_STREAM;
	return 0;
}

static void learn_peer(struct gfd_outgoing *o)
{
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	if (o->is_socket &&
	    getsockopt(o->chan, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 &&
	    cred.pid > 0 && cred.pid != o->sender) {
		o->peer_pid = cred.pid;
		o->peer_uid = cred.uid;
		o->peer_gid = cred.gid;
		o->peer_known = 1;
	}
#else
	(void)o;
#endif
}

/* Message sockets get three messages: the magic alone (so that a receiver
 * with a one-byte buffer still recognises it), the rest of the header, the
 * payload (none when empty). Streams get it all in one go. */
static int write_message(const struct gfd_outgoing *o, unsigned char *head,
                         size_t size)
{
	struct iovec iov[3];
	int i;

	iov[0].iov_base = head;
	iov[0].iov_len = GFD_HANDLE_MAGIC_LEN;
	iov[1].iov_base = head + GFD_HANDLE_MAGIC_LEN;
	iov[1].iov_len = size - GFD_HANDLE_MAGIC_LEN;
	iov[2].iov_base = (void *)o->buf;
	iov[2].iov_len = o->len;
	if (!o->message_socket)
		return gfd_writev_all(o->chan, o->is_socket, iov, 3);
	for (i = 0; i < 3 && iov[i].iov_len > 0; i++) {
		ssize_t n;

		do
			n = send(o->chan, iov[i].iov_base, iov[i].iov_len, MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)iov[i].iov_len)
			return -1;
	}
	return 0;
}

static int write_handle(const struct gfd_outgoing *o, unsigned wire,
                        const struct gfd_offer *of,
                        const struct gfd_holding *held)
{
	unsigned char head[GFD_HANDLE_MAX];
	struct gfd_handle h;
	ssize_t size;

	memset(&h, 0, sizeof h);
	h.backend = wire;
	h.sender_pid = (uint32_t)o->sender;
	h.payload_len = (uint32_t)o->len;
	h.nfds = o->nfds;
	if (o->nfds > 0) {
		h.holder_pid = (uint32_t)held->pid;
		memcpy(h.secret, of->secret, sizeof h.secret);
		h.proof_fd = held->proof;
		h.answer_fd = held->answer;
		memcpy(h.fds, held->fds, o->nfds * sizeof *h.fds);
	}
	size = gfd_handle_encode(&h, head, sizeof head);
	if (size == -1)
		return -1;
	return write_message(o, head, (size_t)size);
}

/* The next byte on the answer channel: 0 with *c, or -1 and errno: EAGAIN
 * nothing yet, EPIPE the other end is gone. */
static int read_answer(int wait_end, char *c)
{
	ssize_t n;

	do
		n = read(wait_end, c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		errno = EPIPE;
	return n == 1 ? 0 : -1;
}

/* Waits for the next byte on the answer channel, until the deadline or,
 * when chan is not -1, the channel's closing: 0 with *c, or -1 and errno
 * (ETIMEDOUT, EPIPE). */
static int await_answer(int wait_end, int chan, long long deadline, char *c)
{
	struct pollfd pfd[2];

	pfd[0].fd = wait_end;
	pfd[0].events = POLLIN;
	pfd[1].fd = chan;
	pfd[1].events = 0;
	for (;;) {
		int n = gfd_poll_until(pfd, chan != -1 ? 2 : 1, deadline);

		if (n == -1)
			return -1;
		if (n > 0 && pfd[0].revents != 0) {
			if (read_answer(wait_end, c) == 0)
				return 0;
			if (errno != EAGAIN)
				return -1;
		}
		if (n > 0 && chan != -1 && pfd[1].revents != 0) {
			errno = EPIPE;
			return -1;
		}
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

/* The receiver's word: 0 for taken, -1 and errno otherwise. Giving up (no
 * word by the deadline, or the channel closed), the sender first makes
 * any later answer fail, then reads what came before: an answer that came
 * in time counts, and a receiver whose answer fails drops what it took,
 * so both sides always agree. */
static int outcome(const struct gfd_handoff_ops *ops, struct gfd_offer *of,
                   const struct gfd_outgoing *o)
{
	char c;

	if (await_answer(of->wait_end, o->chan, o->deadline, &c) == -1) {
		int err = errno;

		if (err != ETIMEDOUT && err != EPIPE)
			return -1;
		ops->withdraw(of);
		/* procfd's filler comes after an answer, if there was one. */
		if (read_answer(of->wait_end, &c) == -1 ||
		    (c != GFD_ANSWER_TAKEN && c != GFD_ANSWER_REFUSED)) {
			errno = err;
			return -1;
		}
	}
	if (c == GFD_ANSWER_TAKEN)
		return 0;
	errno = c == GFD_ANSWER_REFUSED ? ECONNABORTED : EPROTO;
	return -1;
}

/* The receiver could not take from this process itself: pidfd under Yama
 * (the backend knows), a root sender whose peer is another user (who may
 * not take from root), or a caller who asked for it. */
static int wants_helper(const struct gfd_handoff_ops *ops,
                        const struct gfd_outgoing *o)
{
	const char *force = secure_getenv("GIVEFD_HANDOFF_HELPER");

	if (force != NULL && *force != '\0' && *force != '0')
		return 1;
	if (geteuid() == 0 && o->peer_known && o->peer_uid != 0)
		return 1;
	return ops->needs_helper();
}

static void close_offer(struct gfd_offer *of)
{
	close(of->wait_end);
	if (of->answer_end != -1)
		close(of->answer_end);
	if (of->proof != -1 && of->proof != of->answer_end)
		close(of->proof);
}

/* Offers o's descriptors, held by this process or by a helper, and waits
 * for the receiver's word. */
static int offer_and_wait(const struct gfd_handoff_ops *ops,
                          const struct gfd_outgoing *o)
{
	int lists_fds = gfd_handle_lists_fds(ops->wire), helper, rc, err;
	struct gfd_holding held;
	struct pending mine;
	struct gfd_offer of;
	char c;

	helper = wants_helper(ops, o);
	if (ops->offer(o, &of) == -1)
		return -1;
	pending_add(&mine, &of);
	if (helper) {
		rc = gfd_helper_start(ops, o, &of, &held);
		if (rc == 0 && (rc = await_answer(of.wait_end, -1, o->deadline, &c)) == 0 &&
		    c != GFD_ANSWER_READY) {
			errno = EPROTO;
			rc = -1;
		}
		if (rc == -1 && held.pid > 0)
			gfd_helper_stop(held.pid);
	} else {
		held.pid = o->sender;
		held.proof = of.proof;
		held.answer = of.answer_end;
		if (lists_fds)
			memcpy(held.fds, o->fds, o->nfds * sizeof *o->fds);
		rc = 0;
	}
	if (rc == 0) {
		rc = write_handle(o, ops->wire, &of, &held);
		if (rc == 0)
			rc = outcome(ops, &of, o);
		if (helper) {
			err = errno;
			gfd_helper_stop(held.pid);
			errno = err;
		}
	}
	err = errno;
	pending_remove(&mine);
	close_offer(&of);
	errno = err;
	return rc;
}

ssize_t gfd_handoff_send(const struct gfd_handoff_ops *ops, int chan,
                         const int *fds, size_t nfds,
                         const void *buf, size_t len)
{
	struct gfd_outgoing o;

	if (len > GFD_HANDLE_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	if (nfds > GFD_HANDLE_MAX_FDS) {
		errno = E2BIG;
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.chan = chan;
	o.fds = fds;
	o.nfds = nfds;
	o.buf = buf;
	o.len = len;
	o.sender = getpid();
	if (learn_channel(&o) == -1)
		return -1;
	if (nfds == 0)
		return write_handle(&o, ops->wire, NULL, NULL) == -1 ? -1 : (ssize_t)len;
	learn_peer(&o);
	o.deadline = gfd_now_ms() + gfd_handoff_timeout_ms();
	return offer_and_wait(ops, &o) == -1 ? -1 : (ssize_t)len;
}

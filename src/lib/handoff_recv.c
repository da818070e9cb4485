/* SPDX-License-Identifier: ISC */
/*
 * handoff_recv.c: the receiving side of procfd and pidfd. Reads exactly one
 * handle message (on a stream: the fixed header, the descriptor numbers,
 * then exactly the payload; on a message socket: its two or three
 * messages), has it judged (handoff_trust.c), takes the descriptors and
 * answers the sender: 'T' taken, 'R' refused. That last step, and the
 * checks of a header message, are shared with handoff_partial.c, which
 * reads a handle message a piece at a time for givefd_receiver.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "givefd.h"
#include "internal.h"
#include "msghdr_one.h"
#include "handoff_io.h"
#include "handoff_recv.h"
#include "handoff_send.h"
#include "handoff_trust.h"

/* A stream whose first `left` bytes already sit in pre at `at`; pre may be
 * the payload buffer itself, which fills from its start, behind `at`. */
struct reader {
	int chan;
	unsigned char *pre;
	size_t at, left;
};

/* Copies what is buffered, up to n bytes, to dst; points iov past it. */
static void from_buffer(struct reader *r, void *dst, size_t n,
                        struct iovec *iov)
{
	size_t have = n < r->left ? n : r->left;

	iov->iov_base = dst;
	iov->iov_len = n;
	if (have == 0)
		return;
	memmove(dst, r->pre + r->at, have);
	r->at += have;
	r->left -= have;
	iov->iov_base = (unsigned char *)dst + have;
	iov->iov_len = n - have;
}

/* Fills dst[0..n) and then dst2[0..n2) from the stream. */
static int next_bytes2(struct reader *r, void *dst, size_t n, void *dst2,
                       size_t n2)
{
	struct iovec iov[2];

	from_buffer(r, dst, n, &iov[0]);
	from_buffer(r, dst2, n2, &iov[1]);
	return gfd_readv_exact(r->chan, iov, 2);
}

static int next_bytes(struct reader *r, void *dst, size_t n)
{
	return next_bytes2(r, dst, n, NULL, 0);
}

/* Reads and drops n bytes of payload that do not fit. */
static int skip_bytes(struct reader *r, size_t n)
{
	unsigned char sink[512];

	while (n > 0) {
		size_t step = n < sizeof sink ? n : sizeof sink;

		if (next_bytes(r, sink, step) == -1)
			return -1;
		n -= step;
	}
	return 0;
}

/* Stream: the header, then the descriptor numbers with as much payload as
 * fits, and the rest dropped. *fits is 0 when the payload was larger than
 * len. */
static int read_stream(struct reader *r, struct gfd_handle *h,
                       unsigned char *buf, size_t len, int *fits)
{
	unsigned char head[GFD_HANDLE_MAX];
	size_t keep;

	if (next_bytes(r, head, GFD_HANDLE_FIXED) == -1 ||
	    gfd_handle_decode_fixed(head, h) == -1)
		return -1;
	keep = h->payload_len < len ? h->payload_len : len;
	*fits = len == 0 || h->payload_len <= len;
	if (next_bytes2(r, head + GFD_HANDLE_FIXED,
	                gfd_handle_size(h) - GFD_HANDLE_FIXED,
	                buf, keep) == -1 ||
	    gfd_handle_decode_fds(head + GFD_HANDLE_FIXED, h) == -1)
		return -1;
	return skip_bytes(r, h->payload_len - keep);
}

ssize_t gfd_handoff_recv_one(int chan, void *buf, size_t len, int *truncated,
                             int wait)
{
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	gfd_msghdr_one(&msg, &iov, buf, len);
	if (!wait && GFD_MSG_DONTWAIT == 0 && gfd_ready_now(chan) == -1)
		return -1;
	do
		n = recvmsg(chan, &msg, wait ? 0 : GFD_MSG_DONTWAIT);
	while (n == -1 && (errno == EINTR ||
	                   (wait && (errno == EAGAIN || errno == EWOULDBLOCK) &&
	                    gfd_wait_for_rest(chan) == 0)));
	if (n == 0) {
		errno = EPIPE;
		return -1;
	}
	*truncated = (msg.msg_flags & MSG_TRUNC) != 0;
	return n;
}

int gfd_handoff_header_message(unsigned char *head, size_t n, int truncated,
                               struct gfd_handle *h)
{
	memcpy(head, gfd_handle_magic, GFD_HANDLE_MAGIC_LEN);
	if (truncated || n < GFD_HANDLE_FIXED - GFD_HANDLE_MAGIC_LEN ||
	    gfd_handle_decode_fixed(head, h) == -1 ||
	    n + GFD_HANDLE_MAGIC_LEN != gfd_handle_size(h) ||
	    gfd_handle_decode_fds(head + GFD_HANDLE_FIXED, h) == -1) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Message socket: the magic came alone; then the header, then the payload. */
static int read_messages(int chan, struct gfd_handle *h, unsigned char *buf,
                         size_t len, int *fits)
{
	unsigned char head[GFD_HANDLE_MAX], filler;
	int truncated;
	ssize_t n;

	n = gfd_handoff_recv_one(chan, head + GFD_HANDLE_MAGIC_LEN,
	                         sizeof head - GFD_HANDLE_MAGIC_LEN, &truncated, 1);
	if (n == -1 ||
	    gfd_handoff_header_message(head, (size_t)n, truncated, h) == -1)
		return -1;
	*fits = 1;
	if (h->payload_len == 0)
		return 0;
	n = gfd_handoff_recv_one(chan, len > 0 ? buf : &filler,
	                         len > 0 ? len : 1, &truncated, 1);
	if (n == -1)
		return -1;
	if (len > 0 && (truncated || (size_t)n != h->payload_len))
		*fits = 0;
	return 0;
}

/* Reads the handle message that begins with pre's `have` bytes. */
static int read_handle(struct gfd_message *m, int message_socket, void *pre,
                       size_t have, struct gfd_handle *h, int *fits)
{
	struct reader r;

	if (message_socket)
		return read_messages(m->chan, h, m->buf, m->len, fits);
	r.chan = m->chan;
	r.pre = pre;
	r.at = 0;
	r.left = have;
	return read_stream(&r, h, m->buf, m->len, fits);
}

/* A handle read whole and trusted: takes its descriptors, or refuses them,
 * and tells the sender which. */
static ssize_t take_or_refuse(const struct gfd_handoff_ops *ops,
                              struct gfd_message *m, const struct gfd_handle *h,
                              struct gfd_holder *hd, int fits)
{
	int err = 0;

	if (h->nfds > m->room)
		err = EOVERFLOW;
	else if (!fits)
		err = EMSGSIZE;
	else if (ops->take(h, hd, m->fds) == -1)
		err = errno;
	if (err != 0) {
		ops->answer(h, hd, GFD_ANSWER_REFUSED);
		gfd_holder_close(hd);
		errno = err;
		return -1;
	}
	if (ops->answer(h, hd, GFD_ANSWER_TAKEN) == -1) {
		/* The sender stopped waiting: it will report a failure, so
		 * nothing may be delivered. */
		gfd_close_all(m->fds, h->nfds);
		gfd_holder_close(hd);
		errno = ECONNABORTED;
		return -1;
	}
	gfd_holder_close(hd);
	m->nfds = h->nfds;
	return m->len > 0 ? (ssize_t)h->payload_len : 0;
}

ssize_t gfd_handoff_recv(struct gfd_message *m, int message_socket,
                         void *pre, size_t have)
{
	struct gfd_handle h;
	int fits;

	/* A non-blocking pipe with nothing in it: EAGAIN, nothing consumed. */
	if (!message_socket && have == 0) {
		ssize_t n;

		do
			n = read(m->chan, pre, 1);
		while (n == -1 && errno == EINTR);
		if (n == 0)
			errno = EPIPE;
		if (n <= 0)
			return -1;
		have = 1;
	}
	if (read_handle(m, message_socket, pre, have, &h, &fits) == -1)
		return -1;
	return gfd_handoff_finish(m, &h, fits);
}

ssize_t gfd_handoff_finish(struct gfd_message *m, const struct gfd_handle *h,
                           int fits)
{
	const struct gfd_handoff_ops *ops;
	struct gfd_holder hd;

	if (h->nfds == 0) {
		if (!fits) {
			errno = EMSGSIZE;
			return -1;
		}
		m->nfds = 0;
		return m->len > 0 ? (ssize_t)h->payload_len : 0;
	}
	/* A process does not take from itself: a thread of it is waiting,
	 * and is told at once if the offer is really its own (only this
	 * process knows its secrets, so nothing from outside can match). */
	if (h->sender_pid == (uint32_t)getpid()) {
		gfd_offer_refuse_own(h->secret);
		errno = EPERM;
		return -1;
	}
	ops = gfd_handoff_ops_for(h->backend);
	if (ops == NULL) {
		errno = ENOTSUP;
		return -1;
	}
	if (gfd_trust_handle(ops, m->chan, (m->flags & GIVEFD_TRUST_WRITERS) != 0,
	                     h, &hd) == -1)
		return -1;
	return take_or_refuse(ops, m, h, &hd, fits);
}

/*
 * handoff_send.c: the sending side of procfd and pidfd up to the choice of
 * how the descriptors wait for the receiver: checks the request, learns
 * what the channel is and who is at its other end, writes handle messages,
 * and hands the transfer to a helper (helper.c) or, where the receiver
 * may take from this process itself, to direct.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "handoff.h"

#define DEFAULT_TIMEOUT_MS 30000

int gfd_handoff_timeout_ms(void)
{
	const char *s = getenv("GIVEFD_HANDOFF_TIMEOUT_MS");
	long v;
	char *end;

	if (s == NULL || *s == '\0')
		return DEFAULT_TIMEOUT_MS;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v < 86400000 ? (int)v : DEFAULT_TIMEOUT_MS;
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
 * payload. Streams get it all in one go. */
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
	for (i = 0; i < 3; i++) {
		ssize_t n;

		do
			n = send(o->chan, iov[i].iov_base, iov[i].iov_len, MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)iov[i].iov_len)
			return -1;
	}
	return 0;
}

int gfd_handle_send(const struct gfd_outgoing *o, unsigned flags,
                    pid_t helper, uint64_t nonce, int answer_fd)
{
	unsigned char head[GFD_HANDLE_MAX];
	struct gfd_handle h;
	ssize_t size;
	size_t i;

	memset(&h, 0, sizeof h);
	h.backend = o->backend;
	h.flags = flags;
	h.sender_pid = (uint32_t)o->sender;
	h.helper_pid = (uint32_t)helper;
	h.nonce = nonce;
	h.answer_fd = answer_fd;
	h.chan_fd = o->chan;
	h.payload_len = (uint32_t)o->len;
	h.nfds = o->nfds;
	for (i = 0; i < o->nfds; i++)
		h.fds[i] = o->fds[i];
	size = gfd_handle_encode(&h, head, sizeof head);
	if (size == -1)
		return -1;
	return write_message(o, head, (size_t)size);
}

ssize_t gfd_handoff_send(unsigned backend, int chan, const int *fds,
                         size_t nfds, const void *buf, size_t len)
{
	static const unsigned char nul = 0;
	struct gfd_outgoing o;
	size_t reported = len;
	int rc;

	/* As with scm_rights, a message without payload carries one NUL
	 * byte, so receivers see the same whichever backend sent. */
	if (len == 0) {
		buf = &nul;
		len = 1;
	}
	if (len > GFD_HANDLE_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	if (nfds > GFD_HANDLE_MAX_FDS) {
		errno = E2BIG;
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.backend = backend;
	o.chan = chan;
	o.fds = fds;
	o.nfds = nfds;
	o.buf = buf;
	o.len = len;
	o.sender = getpid();
	if (learn_channel(&o) == -1)
		return -1;
	if (nfds == 0)
		rc = gfd_handle_send(&o, 0, 0, 0, 0);
	else {
		int direct = gfd_direct_usable(&o), root = geteuid() == 0;

		/* The helper needs to know the peer; a root sender too, since a
		 * peer of another user cannot take from root. */
		if (!direct || root)
			learn_peer(&o);
		if (root && o.peer_known && o.peer_uid != 0)
			direct = 0;
		o.timeout_ms = gfd_handoff_timeout_ms();
		rc = direct ? gfd_direct_send(&o) : gfd_helper_send(&o);
	}
	return rc == -1 ? -1 : (ssize_t)reported;
}

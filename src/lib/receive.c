/*
 * receive.c: receives one message and holds the caller's promises: exactly
 * the descriptors it has room for, the payload whole, or -1 with nothing
 * left open. Whatever the sender's backend: descriptors in the message
 * itself (a socket, or a STREAMS pipe), or a handle message naming them
 * (on any byte stream, and on a socket as a message without descriptors
 * that begins with the magic).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "backend.h"
#include "receive.h"
#ifdef GIVEFD_HANDOFF
#include "handoff_handle.h"
#include "handoff_recv.h"

/* A socket message without descriptors that begins with the magic. On a
 * message socket the magic comes as a message of its own (seen whole, or
 * truncated by a small buffer); on a stream the rest of it is read now. */
static ssize_t handle_on_socket(struct gfd_message *m, unsigned char *got,
                                ssize_t n, const struct gfd_arrival *arrival)
{
	int type;
	socklen_t size = sizeof type;

	if (getsockopt(m->chan, SOL_SOCKET, SO_TYPE, &type, &size) == -1)
		return -1;
	if (type != SOCK_STREAM) {
		if ((size_t)n == GFD_HANDLE_MAGIC_LEN ||
		    ((size_t)n < GFD_HANDLE_MAGIC_LEN && arrival->truncated))
			return gfd_handoff_recv(m, 1, NULL, 0);
		errno = EPROTO;
		return -1;
	}
	return gfd_handoff_recv(m, 0, got, (size_t)n);
}
#endif

ssize_t gfd_receive(struct gfd_message *m)
{
	struct gfd_arrival arrival;
	unsigned char filler;
	unsigned char *dst = m->len > 0 ? m->buf : &filler;
	size_t room = m->len > 0 ? m->len : 1;
	ssize_t n;

	/* A message always has at least one byte; with no room for payload
	 * that byte goes to filler and is not reported. */
	n = gfd_socket_recv(m->chan, dst, room, 0, &arrival);
#ifdef GIVEFD_BACKEND_STREAMS
	if (n == -1 && errno == ENOTSOCK && gfd_streams_channel(m->chan))
		n = gfd_streams_recv(m->chan, dst, room, &arrival);
#endif
#ifdef GIVEFD_HANDOFF
	if (n == -1 && errno == ENOTSOCK)
		return gfd_handoff_recv(m, 0, dst, 0);
	if (n > 0 && arrival.nfds == 0 && gfd_handle_has_magic(dst, (size_t)n))
		return handle_on_socket(m, dst, n, &arrival);
#endif
	if (n == -1)
		return -1;
	if (arrival.nfds > m->room) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EOVERFLOW;
		return -1;
	}
	if (arrival.truncated && m->len > 0) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EMSGSIZE;
		return -1;
	}
	if (arrival.nfds > 0)
		memcpy(m->fds, arrival.fds, arrival.nfds * sizeof *m->fds);
	m->nfds = arrival.nfds;
	/* Descriptors sent without payload ride on one NUL byte (a stream
	 * cannot carry them alone): that byte is no payload. */
	if (arrival.nfds > 0 && n == 1 && dst[0] == '\0')
		return 0;
	return m->len > 0 ? n : 0;
}

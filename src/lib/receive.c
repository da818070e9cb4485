/* SPDX-License-Identifier: ISC */
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
 * truncated by a small buffer); on a stream the rest of it is still to be
 * read. */
static ssize_t handle_on_socket(struct gfd_message *m, ssize_t n,
                                const struct gfd_arrival *arrival,
                                struct gfd_start *st)
{
	int type;
	socklen_t size = sizeof type;

	if (getsockopt(m->chan, SOL_SOCKET, SO_TYPE, &type, &size) == -1)
		return -1;
	if (type != SOCK_STREAM) {
		if ((size_t)n == GFD_HANDLE_MAGIC_LEN ||
		    ((size_t)n < GFD_HANDLE_MAGIC_LEN && arrival->truncated)) {
			st->kind = GFD_START_MESSAGES;
			return 0;
		}
		errno = EPROTO;
		return -1;
	}
	st->kind = GFD_START_STREAM;
	st->have = (size_t)n;
	return 0;
}
#endif

/* An ordinary message of n bytes in dst with arrival's descriptors, handed
 * over with the caller's promises kept. */
static ssize_t deliver(struct gfd_message *m, const unsigned char *dst,
                       ssize_t n, struct gfd_arrival *arrival)
{
	if (arrival->nfds > m->room) {
		gfd_close_all(arrival->fds, arrival->nfds);
		errno = EOVERFLOW;
		return -1;
	}
	if (arrival->truncated && m->len > 0) {
		gfd_close_all(arrival->fds, arrival->nfds);
		errno = EMSGSIZE;
		return -1;
	}
	if (arrival->nfds > 0)
		memcpy(m->fds, arrival->fds, arrival->nfds * sizeof *m->fds);
	m->nfds = arrival->nfds;
	/* Descriptors sent without payload ride on one NUL byte (a stream
	 * cannot carry them alone): that byte is no payload. */
	if (arrival->nfds > 0 && n == 1 && dst[0] == '\0')
		return 0;
	return m->len > 0 ? n : 0;
}

ssize_t gfd_receive_start(struct gfd_message *m, int dontwait,
                          struct gfd_start *st)
{
	struct gfd_arrival arrival;
	size_t room = m->len > 0 ? m->len : 1;
	int fds[m->room < GFD_FD_CAP ? m->room + 1 : GFD_FD_CAP];
	ssize_t n;

	/* A message always has at least one byte; with no room for payload
	 * that byte goes to filler and is not reported. */
	st->kind = GFD_START_WHOLE;
	st->got = m->len > 0 ? m->buf : &st->filler;
	st->have = 0;
	arrival.fds = fds;
	arrival.cap = sizeof fds / sizeof fds[0];
	if (dontwait && GFD_MSG_DONTWAIT == 0 && gfd_ready_now(m->chan) == -1)
		return -1;
	n = gfd_socket_recv(m->chan, st->got, room,
	                    dontwait ? GFD_MSG_DONTWAIT : 0, &arrival);
#ifdef GIVEFD_BACKEND_STREAMS
	if (n == -1 && errno == ENOTSOCK && gfd_streams_channel(m->chan))
		n = dontwait && gfd_ready_now(m->chan) == -1 ? -1
		    : gfd_streams_recv(m->chan, st->got, room, &arrival);
#endif
#ifdef GIVEFD_HANDOFF
	if (n == -1 && errno == ENOTSOCK) {
		st->kind = GFD_START_PIPE;
		return 0;
	}
	if (n > 0 && arrival.nfds == 0 && gfd_handle_has_magic(st->got, (size_t)n))
		return handle_on_socket(m, n, &arrival, st);
#endif
	if (n == -1)
		return -1;
	return deliver(m, st->got, n, &arrival);
}

ssize_t gfd_receive(struct gfd_message *m)
{
	struct gfd_start st;
	ssize_t n = gfd_receive_start(m, 0, &st);

	if (n == -1 || st.kind == GFD_START_WHOLE)
		return n;
#ifdef GIVEFD_HANDOFF
	return gfd_handoff_recv(m, st.kind == GFD_START_MESSAGES, st.got, st.have);
#else
	errno = EPROTO;
	return -1;
#endif
}

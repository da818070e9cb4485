/* SPDX-License-Identifier: ISC */
/*
 * handoff_partial.c: reads a handle message a piece at a time, never
 * waiting (handoff_partial.h). On a byte stream it never reads past the
 * message's end; on a message socket each of its messages is taken whole
 * when it is there.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "handoff_partial.h"
#include "handoff_recv.h"

void gfd_partial_init(struct gfd_partial *p)
{
	p->stage = GFD_PARTIAL_NONE;
	p->kept = NULL;
}

void gfd_partial_clear(struct gfd_partial *p)
{
	free(p->kept);
	gfd_partial_init(p);
}

/* Up to n bytes from a byte stream, without waiting: a blocking pipe is
 * read only when poll says it has bytes. */
static ssize_t read_now(int chan, int is_socket, void *buf, size_t n)
{
	ssize_t got;

	if (is_socket) {
		if (GFD_MSG_DONTWAIT == 0 && gfd_ready_now(chan) == -1)
			return -1;
	} else {
		int fl = fcntl(chan, F_GETFL);

		if (fl == -1 || (!(fl & O_NONBLOCK) && gfd_ready_now(chan) == -1))
			return -1;
	}
	do
		got = is_socket ? recv(chan, buf, n, GFD_MSG_DONTWAIT)
		      : read(chan, buf, n);
	while (got == -1 && errno == EINTR);
	if (got == 0) {
		errno = EPIPE;
		return -1;
	}
	return got;
}

/* Decodes what of head has just become whole. len: the caller's room for
 * payload now, which sets how much of it is kept. */
static int decode_stream(struct gfd_partial *p, size_t len)
{
	if (!gfd_handle_has_magic(p->head, p->have)) {
		errno = EPROTO;
		return -1;
	}
	if (!p->decoded && p->have == GFD_HANDLE_FIXED) {
		if (gfd_handle_decode_fixed(p->head, &p->h) == -1)
			return -1;
		p->decoded = 1;
		p->keep = len < p->h.payload_len ? len : p->h.payload_len;
		if (p->keep > 0 && (p->kept = malloc(p->keep)) == NULL)
			return -1;
	}
	if (p->decoded && !p->numbered && p->have == gfd_handle_size(&p->h)) {
		if (gfd_handle_decode_fds(p->head + GFD_HANDLE_FIXED, &p->h) == -1)
			return -1;
		p->numbered = 1;
	}
	return 0;
}

static int stream_whole(const struct gfd_partial *p)
{
	return p->numbered && p->seen == p->h.payload_len;
}

/* Bytes still to come, as far as is known yet. */
static size_t stream_due(const struct gfd_partial *p)
{
	if (!p->decoded)
		return GFD_HANDLE_FIXED - p->have;
	return gfd_handle_size(&p->h) - p->have + (p->h.payload_len - p->seen);
}

/* Files n bytes of the stream away: header, numbers, payload (what does
 * not fit is dropped). Bytes past the message's end are dropped too. */
static int feed(struct gfd_partial *p, const unsigned char *in, size_t n,
                size_t len)
{
	while (n > 0 && !stream_whole(p)) {
		size_t step;

		if (!p->numbered) {
			size_t need = (p->decoded ? gfd_handle_size(&p->h)
			               : GFD_HANDLE_FIXED) - p->have;

			step = n < need ? n : need;
			memcpy(p->head + p->have, in, step);
			p->have += step;
			if (decode_stream(p, len) == -1)
				return -1;
		} else {
			size_t left = p->h.payload_len - p->seen;

			step = n < left ? n : left;
			if (p->seen < p->keep)
				memcpy(p->kept + p->seen, in,
				       step < p->keep - p->seen ? step : p->keep - p->seen);
			p->seen += step;
		}
		in += step;
		n -= step;
	}
	return 0;
}

/* The message is whole: hands it to the step every receive ends with. */
static ssize_t finish_stream(struct gfd_partial *p, struct gfd_message *m)
{
	struct gfd_handle h = p->h;
	int fits = m->len == 0 ||
	           (p->keep == h.payload_len && h.payload_len <= m->len);

	if (fits && m->len > 0 && p->keep > 0)
		memcpy(m->buf, p->kept, p->keep);
	gfd_partial_clear(p);
	return gfd_handoff_finish(m, &h, fits);
}

static ssize_t stream_recv(struct gfd_partial *p, struct gfd_message *m)
{
	unsigned char chunk[512];

	while (!stream_whole(p)) {
		size_t due = stream_due(p);
		ssize_t n = read_now(m->chan, p->is_socket, chunk,
		                     due < sizeof chunk ? due : sizeof chunk);

		if (n == -1)
			return -1;
		if (feed(p, chunk, (size_t)n, m->len) == -1)
			return -1;
	}
	return finish_stream(p, m);
}

static ssize_t messages_recv(struct gfd_partial *p, struct gfd_message *m)
{
	unsigned char filler;
	struct gfd_handle h;
	int truncated, fits;
	ssize_t n;

	if (p->stage == GFD_PARTIAL_HEADER) {
		n = gfd_handoff_recv_one(m->chan, p->head + GFD_HANDLE_MAGIC_LEN,
		                         sizeof p->head - GFD_HANDLE_MAGIC_LEN,
		                         &truncated, 0);
		if (n == -1 ||
		    gfd_handoff_header_message(p->head, (size_t)n, truncated,
		                               &p->h) == -1)
			return -1;
		p->stage = GFD_PARTIAL_PAYLOAD;
	}
	fits = 1;
	if (p->h.payload_len > 0) {
		n = gfd_handoff_recv_one(m->chan, m->len > 0 ? m->buf : &filler,
		                         m->len > 0 ? m->len : 1, &truncated, 0);
		if (n == -1)
			return -1;
		if (m->len > 0 && (truncated || (size_t)n != p->h.payload_len))
			fits = 0;
	}
	h = p->h;
	gfd_partial_clear(p);
	return gfd_handoff_finish(m, &h, fits);
}

static ssize_t partial_recv(struct gfd_partial *p, struct gfd_message *m)
{
	if (p->stage == GFD_PARTIAL_STREAM)
		return stream_recv(p, m);
	return messages_recv(p, m);
}

ssize_t gfd_partial_recv(struct gfd_partial *p, struct gfd_message *m)
{
	ssize_t n;

	if (p->stage == GFD_PARTIAL_NONE) {
		errno = EINVAL;
		return -1;
	}
	n = partial_recv(p, m);
	/* Anything but "not yet" ends the message. */
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
		int err = errno;

		gfd_partial_clear(p);
		errno = err;
	}
	return n;
}

ssize_t gfd_partial_begin(struct gfd_partial *p, struct gfd_message *m,
                          const struct gfd_start *st)
{
	ssize_t n;

	gfd_partial_clear(p);
	memset(p, 0, sizeof *p);
	if (st->kind == GFD_START_MESSAGES) {
		p->stage = GFD_PARTIAL_HEADER;
	} else {
		p->stage = GFD_PARTIAL_STREAM;
		p->is_socket = st->kind == GFD_START_STREAM;
		if (feed(p, st->got, st->have, m->len) == -1) {
			int err = errno;

			gfd_partial_clear(p);
			errno = err;
			return -1;
		}
	}
	n = gfd_partial_recv(p, m);
	/* A pipe with nothing in it: nothing begun. */
	if (n == -1 && p->stage == GFD_PARTIAL_STREAM && p->have == 0)
		gfd_partial_init(p);
	return n;
}

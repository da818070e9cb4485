/* SPDX-License-Identifier: ISC */
/*
 * conn.c: the fork server's connections (conn.h). A frame's first bytes
 * are received with a givefd_receiver, so that its descriptors come with
 * the header they belong to; it never waits, and a message that stops
 * half-way holds only its own connection, until FORKSERVER_FRAME_MS.
 * Output is sent at once when the socket takes it, else queued for
 * POLLOUT.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <givefd.h>
#include "compat.h"
#include "conn.h"
#include "kids.h"
#include "server.h"

#define FS_MAX_QUEUED (1024 * 1024)
#define FS_ERROR_FRAME_MAX (FSP_HDR_SIZE + 8 + FSP_MAX_MESSAGE)

struct conn fs_conns[FS_MAX_CONNS];
size_t fs_conns_end;
static int frame_ms;

void fs_conn_init(int ms)
{
	frame_ms = ms;
	fs_conns_end = 0;
}

/* What send takes of len bytes at p: their number (0 when the socket
 * is full), or -1 when the connection is of no further use. */
static ssize_t send_some(int fd, const void *p, size_t len)
{
	for (;;) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return n <= 0 ? -1 : n;
	}
}

void fs_conn_flush(size_t ci)
{
	struct conn *c = &fs_conns[ci];

	while (c->outlen > 0) {
		ssize_t n = send_some(c->fd, c->out, c->outlen);

		if (n == 0)
			return;
		if (n == -1) {
			c->outlen = 0;
			c->closing = 1;
			return;
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

void fs_conn_put(size_t ci, const void *frame, long n)
{
	struct conn *c = &fs_conns[ci];
	const unsigned char *rest = frame;
	size_t left = n > 0 ? (size_t)n : 0;

	if (left == 0 || c->fd == -1 || c->closing)
		return;
	if (c->outlen == 0) {
		/* Straight out: only what the socket does not take is queued
		 * (a page the server writes costs a fault after each fork). */
		ssize_t sent = send_some(c->fd, rest, left);

		if (sent == -1) {
			c->closing = 1;
			return;
		}
		rest += sent;
		left -= (size_t)sent;
		if (left == 0)
			return;
	}
	if (c->outlen + left > FS_MAX_QUEUED) {
		c->closing = 1; /* a client that never reads */
		c->outlen = 0;
		return;
	}
	if (c->outlen + left > c->outcap) {
		size_t cap = (c->outlen + left) * 2;
		unsigned char *p = realloc(c->out, cap);

		if (p == NULL) {
			c->closing = 1;
			return;
		}
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, rest, left);
	c->outlen += left;
	fs_conn_flush(ci);
}

static long error_frame(unsigned char *buf, uint32_t id, int err,
                        const char *msg)
{
	struct fsp_error e;

	e.err = (uint32_t)err;
	e.msg = msg;
	e.msglen = (uint16_t)strlen(msg);
	return fsp_error_encode(id, &e, buf, FS_ERROR_FRAME_MAX);
}

/* flags: FSP_ERROR_RUN, which only a quiet connection gets. */
static void error_flags(size_t ci, uint32_t id, int err, const char *msg,
                        uint16_t flags)
{
	unsigned char buf[FS_ERROR_FRAME_MAX];
	long n = error_frame(buf, id, err, msg);

	if (n > 0 && fs_conns[ci].quiet)
		fsp_header_set_flags(buf, flags);
	fs_conn_put(ci, buf, n);
}

void fs_conn_error(size_t ci, uint32_t id, int err, const char *msg)
{
	error_flags(ci, id, err, msg, 0);
}

/* A RUN that failed: no child, no EXITED will follow. */
void fs_conn_run_error(size_t ci, uint32_t id, int err, const char *msg)
{
	error_flags(ci, id, err, msg, FSP_ERROR_RUN);
}

static void send_hello(size_t ci)
{
	unsigned char buf[64];
	struct fsp_hello h;
	size_t maxfds = givefd_max_fds();

	h.magic = FSP_MAGIC;
	h.vmin = FSP_VERSION_MIN;
	h.vmax = FSP_VERSION;
	h.features = FSP_FEATURE_QUIET | FSP_FEATURE_KEEP_CWD;
	h.max_children = (uint32_t)fs_kids_max();
	h.max_fds = (uint32_t)(maxfds < FSP_MAX_FDS ? maxfds : FSP_MAX_FDS);
	fs_conn_put(ci, buf, fsp_hello_encode(&h, buf, sizeof buf));
}

static void close_fds(int *fds, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		close(fds[i]);
	*n = 0;
}

/* Room for the body of the frame whose header is c->h: 0, or -1. */
static int take_body(struct conn *c)
{
	c->body = c->h.len <= sizeof c->small ? c->small : malloc(c->h.len);
	return c->body == NULL ? -1 : 0;
}

static void drop_body(struct conn *c)
{
	if (c->body != c->small)
		free(c->body);
	c->body = NULL;
}

/* Forgets the frame whose descriptors are closed already. */
static void frame_reset(struct conn *c)
{
	c->nfds = 0;
	c->cwd_moved = 0;
	c->served = 0;
	drop_body(c);
	c->hdrlen = 0;
	c->bodylen = 0;
}

void fs_conn_close(size_t ci)
{
	struct conn *c = &fs_conns[ci];

	if (c->fd == -1)
		return;
	close(c->fd);
	c->fd = -1;
	givefd_receiver_free(c->rx);
	c->rx = NULL;
	if (c->served)
		frame_reset(c);
	close_fds(c->fds, &c->nfds);
	fs_conn_forget_dir(ci);
	drop_body(c);
	free(c->out);
	c->out = NULL;
	c->outlen = c->outcap = 0;
	fs_kids_orphan(ci);
	while (fs_conns_end > 0 && fs_conns[fs_conns_end - 1].fd == -1)
		fs_conns_end--;
}

/* A client over a limit gets an ERROR in place of the greeting. Its
 * socket is new and non-blocking: the frame fits, or is dropped. */
void fs_conn_refuse(int fd, const char *why)
{
	unsigned char buf[FS_ERROR_FRAME_MAX];
	long n = error_frame(buf, 0, EBUSY, why);

	if (n > 0)
		(void)send(fd, buf, (size_t)n, MSG_NOSIGNAL);
	close(fd);
}

void fs_conn_add(int fd, uid_t uid, int greet_ms)
{
	struct givefd_receiver *rx;
	struct conn *c;
	size_t ci;

	for (ci = 0; ci < fs_conns_end && fs_conns[ci].fd != -1; ci++)
		continue;
	if (ci == FS_MAX_CONNS) {
		fs_conn_refuse(fd, "too many connections");
		return;
	}
	rx = givefd_receiver_new(fd, 0);
	if (rx == NULL) {
		fs_conn_refuse(fd, "no memory for another connection");
		return;
	}
	c = &fs_conns[ci];
	memset(c, 0, sizeof *c);
	if (ci == fs_conns_end)
		fs_conns_end++;
	c->fd = fd;
	c->cwd = -1;
	c->rx = rx;
	c->uid = uid;
	c->message = fs_message_socket(fd);
	if (greet_ms > 0)
		c->greet_by = util_now_ms() + greet_ms;
	send_hello(ci);
}

void fs_conn_frame_served(size_t ci)
{
	fs_conns[ci].served = 1;
}

void fs_conn_frame_done(size_t ci)
{
	struct conn *c = &fs_conns[ci];
	size_t i;

	for (i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	if (!c->served)
		frame_reset(c);
}

int fs_conn_run_dir(size_t ci, uint32_t id, const struct fsp_run *run)
{
	struct conn *c = &fs_conns[ci];

	if ((run->runflags & FSP_RUNF_SAME_CWD) != 0) {
		if (c->cwd != -1)
			return c->cwd;
		fs_conn_run_error(ci, id, EPROTO, "no working directory kept");
		return -2;
	}
	if ((run->runflags & FSP_RUNF_CWD) == 0)
		return -1;
	if (!c->keep_cwd)
		return c->fds[run->ntargets];
	/* A RUN answered later (its turn parked) comes here again. */
	if (!c->cwd_moved) {
		if (c->cwd != -1)
			close(c->cwd);
		c->cwd = c->fds[--c->nfds];
		c->cwd_moved = 1;
	}
	return c->cwd;
}

void fs_conn_forget_dir(size_t ci)
{
	struct conn *c = &fs_conns[ci];

	if (c->cwd != -1)
		close(c->cwd);
	c->cwd = -1;
	c->cwd_moved = 0;
}

size_t fs_conn_frame_fds(size_t ci)
{
	return fs_conns[ci].nfds + (size_t)fs_conns[ci].cwd_moved;
}

/* The first receive of a frame, with the descriptors that come with it.
 * libgivefd's receiver never waits: a message still arriving gives
 * EAGAIN, with its part kept, and its start is noted for the deadline. */
static ssize_t recv_start(size_t ci, void *buf, size_t len)
{
	struct conn *c = &fs_conns[ci];
	size_t room = FSP_MAX_FDS;
	ssize_t n = givefd_receiver_recv(c->rx, c->fds, &room, buf, len);

	if (!givefd_receiver_pending(c->rx))
		c->begun = 0;
	else if (c->begun == 0)
		c->begun = util_now_ms();
	if (n >= 0)
		c->nfds = room;
	return n;
}

/* What is wrong with a decoded header on this connection, or 0. */
static int header_error(const struct conn *c)
{
	if (c->h.nfds != c->nfds)
		return EPROTO;
	return c->h.flags != 0 && !c->quiet ? EBADMSG : 0;
}

/* On a message socket: one whole frame, its descriptors with it. Returns
 * its size, 0 or -1 as recv does, or -2 after answering a bad frame. */
static ssize_t read_message(size_t ci)
{
	static unsigned char msg[FSP_HDR_SIZE + FSP_MAX_BODY];
	struct conn *c = &fs_conns[ci];
	ssize_t n;
	int err;

	n = recv_start(ci, msg, sizeof msg);
	if (n <= 0)
		return n;
	err = fsp_header_decode(msg, (size_t)n, &c->h) == -1 ? errno
	      : (size_t)n != FSP_HDR_SIZE + c->h.len ? EBADMSG
	      : header_error(c);
	if (err == 0 && c->h.len > 0) {
		if (take_body(c) == -1)
			err = ENOMEM;
		else
			memcpy(c->body, msg + FSP_HDR_SIZE, c->h.len);
	}
	if (err != 0) {
		fs_conn_error(ci, 0, err, "bad frame");
		c->closing = 1;
		return -2;
	}
	return n;
}

/* Reads what is there up to the end of one frame (poll tells of the
 * next). Returns 1 in a child. */
int fs_conn_read(size_t ci)
{
	struct conn *c = &fs_conns[ci];

	if (c->served)
		frame_reset(c);
	while (c->fd != -1 && !c->closing && !c->parked) {
		ssize_t n;

		if (c->message) {
			n = read_message(ci);
			if (n > 0)
				return fs_request(ci);
		} else if (c->hdrlen == 0) {
			/* Descriptors come with a frame's first bytes. */
			n = recv_start(ci, c->hdr, FSP_HDR_SIZE);
		} else if (c->hdrlen < FSP_HDR_SIZE) {
			n = recv(c->fd, c->hdr + c->hdrlen, FSP_HDR_SIZE - c->hdrlen, 0);
		} else {
			n = recv(c->fd, c->body + c->bodylen, c->h.len - c->bodylen, 0);
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n == -2)
			return 0; /* answered and closing */
		if (n <= 0) {
			if (n == -1 && errno != EPIPE && errno != ECONNRESET)
				fs_conn_error(ci, 0, errno, "bad message");
			c->closing = 1;
			c->outlen = errno == EPIPE || n == 0 ? 0 : c->outlen;
			return 0;
		}
		if (c->hdrlen < FSP_HDR_SIZE) {
			c->hdrlen += (size_t)n;
			if (c->hdrlen < FSP_HDR_SIZE)
				continue;
			int err = fsp_header_decode(c->hdr, FSP_HDR_SIZE, &c->h) == -1
			          ? errno : header_error(c);

			if (err != 0) {
				fs_conn_error(ci, 0, err, "bad frame header");
				c->closing = 1;
				return 0;
			}
			if (c->h.len > 0) {
				if (take_body(c) == -1) {
					c->closing = 1;
					return 0;
				}
				continue;
			}
		} else {
			c->bodylen += (size_t)n;
			if (c->bodylen < c->h.len)
				continue;
		}
		return fs_request(ci);
	}
	return 0;
}

/* Makes *timeout (-1: none) ms when that is sooner. */
static void sooner(int *timeout, long long ms)
{
	if (*timeout < 0 || ms < *timeout)
		*timeout = (int)ms;
}

int fs_conn_deadlines(int *timeout)
{
	long long now = util_now_ms();
	size_t ci;

	for (ci = 0; ci < fs_conns_end; ci++) {
		struct conn *c = &fs_conns[ci];

		if (c->fd == -1 || c->closing)
			continue;
		if (c->greet_by != 0 && c->greet_by <= now) {
			fs_conn_error(ci, 0, ETIMEDOUT, "no WANT in time");
			c->closing = 1;
			continue;
		}
		if (c->begun != 0 && now - c->begun >= frame_ms) {
			fs_conn_error(ci, 0, ETIMEDOUT, "frame not finished in time");
			c->closing = 1;
			continue;
		}
		if (c->begun != 0)
			sooner(timeout, c->begun + frame_ms - now);
		if (c->greet_by != 0 && !c->closing)
			sooner(timeout, c->greet_by - now);
	}
	return 0;
}

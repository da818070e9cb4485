/* SPDX-License-Identifier: ISC */
/* receive.h: one message in, whatever backend sent it. */
#ifndef GFD_RECEIVE_H
#define GFD_RECEIVE_H

#include <stddef.h>
#include <sys/types.h>

/* One receive: what the caller gave (api.c) and, in nfds, what came. */
struct gfd_message {
	int chan;
	int flags;      /* GIVEFD_* receive flags */
	int *fds;
	size_t room;    /* descriptors fds has room for */
	size_t nfds;    /* descriptors received */
	void *buf;
	size_t len;
};

/* Checks givefd_recv_flags's arguments and fills m from them: 0, or -1
 * and errno (EINVAL, EBADF). */
int gfd_message_set(struct gfd_message *m, int chan, int *fds,
                    const size_t *nfds, void *buf, size_t len, int flags);

/* givefd_recv_flags after its arguments have been checked: the payload
 * length, or -1 and errno with nothing left open. */
ssize_t gfd_receive(struct gfd_message *m);

/* How a message began (gfd_receive_start). */
enum gfd_start_kind {
	GFD_START_WHOLE,        /* an ordinary message, delivered whole */
	GFD_START_STREAM,       /* a handle on a stream socket: got[0..have) */
	GFD_START_MESSAGES,     /* a handle on a message socket: magic taken */
	GFD_START_PIPE          /* not a socket: nothing read yet */
};

struct gfd_start {
	enum gfd_start_kind kind;
	unsigned char *got;     /* m->buf, or filler */
	size_t have;
	unsigned char filler;
};

/* The first receive of a message, without waiting when dontwait (then -1
 * and EAGAIN means nothing was consumed). An ordinary message is
 * delivered into m and its payload length returned, as gfd_receive does;
 * for the start of a handle message 0 is returned and st says where the
 * rest is to be read from. -1 and errno with nothing left open. */
ssize_t gfd_receive_start(struct gfd_message *m, int dontwait,
                          struct gfd_start *st);

#endif

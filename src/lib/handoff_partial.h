/* SPDX-License-Identifier: ISC */
/*
 * handoff_partial.h: a handle message read a piece at a time, never
 * waiting, for givefd_receiver (receiver.c). What has come is kept here
 * until the message is whole; then handoff_recv.c's last step judges it
 * and takes its descriptors, as for a blocking receive.
 */
#ifndef GFD_HANDOFF_PARTIAL_H
#define GFD_HANDOFF_PARTIAL_H

#include <stddef.h>
#include <sys/types.h>

#include "handoff_handle.h"
#include "receive.h"

enum gfd_partial_stage {
	GFD_PARTIAL_NONE,       /* no message begun */
	GFD_PARTIAL_STREAM,     /* header, numbers, payload on a byte stream */
	GFD_PARTIAL_HEADER,     /* message socket: the header message is due */
	GFD_PARTIAL_PAYLOAD     /* message socket: the payload message is due */
};

struct gfd_partial {
	enum gfd_partial_stage stage;
	int is_socket;          /* stream: recv with MSG_DONTWAIT, else read */
	unsigned char head[GFD_HANDLE_MAX];
	size_t have;            /* stream: bytes of head so far, magic included */
	int decoded;            /* stream: h has the fixed part */
	int numbered;           /* stream: h has the descriptor numbers too */
	struct gfd_handle h;
	unsigned char *kept;    /* stream: the payload kept, keep bytes at most */
	size_t keep;
	size_t seen;            /* stream: payload bytes read (kept or dropped) */
};

/* Nothing begun, nothing held. */
void gfd_partial_init(struct gfd_partial *p);

/* Drops a message begun: frees what it kept (it holds no descriptor). */
void gfd_partial_clear(struct gfd_partial *p);

/* Takes over a handle message whose start gfd_receive_start found, then
 * reads on as gfd_partial_recv does. */
ssize_t gfd_partial_begin(struct gfd_partial *p, struct gfd_message *m,
                          const struct gfd_start *st);

/* Reads what has come of the message begun, without waiting: -1 and
 * EAGAIN while it is not whole (what came is kept), else the result of
 * gfd_receive for it (the message is then over, whatever the result). */
ssize_t gfd_partial_recv(struct gfd_partial *p, struct gfd_message *m);

#endif

/* SPDX-License-Identifier: ISC */
/* handoff_recv.h: the receiving side of the pipe backends. */
#ifndef GFD_HANDOFF_RECV_H
#define GFD_HANDOFF_RECV_H

#include <stddef.h>
#include <sys/types.h>

#include "handoff_handle.h"
#include "receive.h"

/* Receives the rest of a handle message whose first `have` bytes are
 * already in pre (which may be m->buf), checks it, takes the descriptors
 * and answers the sender; same promises as gfd_receive. On a message
 * socket the 4-byte magic message has been consumed and have is 0. */
ssize_t gfd_handoff_recv(struct gfd_message *m, int message_socket,
                         void *pre, size_t have);

/* A handle message h read whole, its payload (if any) in m->buf; fits is 0
 * when the payload did not fit m->len. Has it judged, takes or refuses its
 * descriptors, answers the sender: the result gfd_receive returns. */
ssize_t gfd_handoff_finish(struct gfd_message *m, const struct gfd_handle *h,
                           int fits);

/* One message from a message socket into buf[0..len): its size (*truncated
 * when it did not fit), or -1 and errno (EPIPE at the end). With wait, a
 * non-blocking socket is waited on as gfd_wait_for_rest does; without, an
 * empty one gives EAGAIN. */
ssize_t gfd_handoff_recv_one(int chan, void *buf, size_t len, int *truncated,
                             int wait);

/* The header message of a handle on a message socket, whose n bytes (of
 * what follows the magic) sit at head + GFD_HANDLE_MAGIC_LEN: puts the
 * magic before them and decodes all into h. 0, or -1 and EPROTO. */
int gfd_handoff_header_message(unsigned char *head, size_t n, int truncated,
                               struct gfd_handle *h);

#endif

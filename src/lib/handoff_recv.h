/* handoff_recv.h: the receiving side of the pipe backends. */
#ifndef GFD_HANDOFF_RECV_H
#define GFD_HANDOFF_RECV_H

#include <stddef.h>
#include <sys/types.h>

#include "receive.h"

/* Receives the rest of a handle message whose first `have` bytes are
 * already in pre (which may be m->buf), checks it, takes the descriptors
 * and answers the sender; same promises as gfd_receive. On a message
 * socket the 4-byte magic message has been consumed and have is 0. */
ssize_t gfd_handoff_recv(struct gfd_message *m, int message_socket,
                         void *pre, size_t have);

#endif

/* receive.h: one message in, whatever backend sent it. */
#ifndef GFD_RECEIVE_H
#define GFD_RECEIVE_H

#include <stddef.h>
#include <sys/types.h>

/* givefd_recv after its arguments have been checked. */
ssize_t gfd_receive(int chan, int *fds, size_t *nfds, void *buf, size_t len);

#endif

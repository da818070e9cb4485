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

/* givefd_recv_flags after its arguments have been checked: the payload
 * length, or -1 and errno with nothing left open. */
ssize_t gfd_receive(struct gfd_message *m);

#endif

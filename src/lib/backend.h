/* SPDX-License-Identifier: ISC */
/*
 * backend.h: the interface every descriptor-passing backend implements, and
 * the receive primitive of the socket backend this system has.
 */
#ifndef GFD_BACKEND_H
#define GFD_BACKEND_H

#include <stddef.h>
#include <sys/types.h>

struct gfd_backend {
	const char *name;
	/* Most descriptors one message can carry. */
	size_t (*max_fds)(void);
	/* Sends one message; arguments already checked. Returns the payload
	 * bytes sent, or -1 and errno. */
	ssize_t (*send)(int chan, const int *fds, size_t nfds,
	                const void *buf, size_t len);
};

/* The backends built in, in order of preference, ended by NULL. */
extern const struct gfd_backend *const gfd_backends[];

/* The built-in backend called name, or NULL. */
const struct gfd_backend *gfd_backend_find(const char *name);

/* What one receive from a socket brought, into the caller's fds. A
 * receiver that takes at most k descriptors gives room for k + 1 (up to
 * GFD_FD_CAP): a full array then says that more came than it takes, the
 * rest closed; the room is sized so that the buffers of a receive that
 * takes a few descriptors stay small (a server's stack pages are written
 * again after each fork). */
struct gfd_arrival {
	int *fds;
	size_t cap;             /* room in fds: 1 .. GFD_FD_CAP */
	size_t nfds;
	int truncated;          /* the payload did not fit (datagrams) */
};

/*
 * Receives one message from a socket: up to room bytes into buf and every
 * descriptor that came with them into arrival (up to its cap, the rest
 * closed), close-on-exec; flags are added to recvmsg's (MSG_DONTWAIT).
 * Returns the bytes received, or -1 and errno with nothing left open.
 */
ssize_t gfd_socket_recv(int chan, void *buf, size_t room, int flags,
                        struct gfd_arrival *arrival);

/* The streams backend: is chan a STREAMS file, and one receive from it
 * with the same promises as gfd_socket_recv. */
int gfd_streams_channel(int chan);
ssize_t gfd_streams_recv(int chan, void *buf, size_t room,
                         struct gfd_arrival *arrival);

extern const struct gfd_backend gfd_backend_scm_rights;
extern const struct gfd_backend gfd_backend_accrights;
extern const struct gfd_backend gfd_backend_streams;
extern const struct gfd_backend gfd_backend_pidfd;
extern const struct gfd_backend gfd_backend_procfd;

#endif /* GFD_BACKEND_H */

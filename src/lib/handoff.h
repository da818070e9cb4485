/*
 * handoff.h: what the procfd and pidfd backends share: exact reads and
 * writes on byte streams, the helper process that parks descriptors, the
 * check that a handle names the peer's own helper, and the receive side.
 */
#ifndef GFD_HANDOFF_H
#define GFD_HANDOFF_H

#include <stddef.h>
#include <sys/types.h>

#include "handle.h"

/* stream_io.c. Both retry on EINTR and never raise SIGPIPE. */
int gfd_write_all(int fd, const void *buf, size_t len);
/* 0, or -1 with EPIPE (end of stream before len bytes) or the read's.
 * On a non-blocking descriptor it waits for the bytes. */
int gfd_read_exact(int fd, void *buf, size_t len);

/* helper.c: sends nfds descriptors and the payload as a handle message,
 * parking the descriptors in a helper; returns len once the receiver has
 * taken them, or -1 and errno. */
ssize_t gfd_handoff_send(unsigned backend, int chan, const int *fds,
                         size_t nfds, const void *buf, size_t len);

/* peer.c: a verified helper, pinned so that its pid cannot be reused. */
struct gfd_proc {
	int dir;        /* /proc/PID */
	int pidfd;      /* -1 unless the handle is a pidfd one */
	pid_t pid;
};
/* Checks that h names a live helper started by the sender for this very
 * transfer and, where chan tells, that the sender is the peer: 0, or -1
 * and EPERM with nothing open. */
int gfd_peer_open(int chan, const struct gfd_handle *h, struct gfd_proc *p);
/* Sends sig to the helper (0: none) and closes p. */
void gfd_peer_release(struct gfd_proc *p, int sig);
/* Reads the small file path under the /proc/PID directory dir into text,
 * NUL-terminated: 0, or -1 and errno. */
int gfd_read_proc_file(int dir, const char *path, char *text, size_t size);
/* The name a helper for this nonce gives itself. */
void gfd_helper_name(unsigned long long nonce, char name[16]);

/* The way each backend takes descriptor number fdnum out of the helper:
 * a new close-on-exec descriptor, or -1 and errno. */
int gfd_procfd_take(const struct gfd_proc *p, int fdnum);
int gfd_pidfd_take(const struct gfd_proc *p, int fdnum);

/* handoff_recv.c: receives the rest of a handle message whose first have
 * bytes are already in pre (which may be buf), takes the descriptors and
 * releases the helper; same promises as gfd_receive. On a message socket
 * the 4-byte magic message has been consumed and have is 0. */
ssize_t gfd_handoff_recv(int chan, int message_socket, void *pre,
                         size_t have, int *fds, size_t *nfds,
                         void *buf, size_t len);

#endif

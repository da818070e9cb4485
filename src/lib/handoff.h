/*
 * handoff.h: what the procfd and pidfd backends share: exact reads and
 * writes on byte streams, the helper process that parks descriptors, the
 * check that a handle names the peer's own helper, and the receive side.
 */
#ifndef GFD_HANDOFF_H
#define GFD_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "handle.h"

/* stream_io.c. Both retry on EINTR and never raise SIGPIPE. Writes every
 * byte of iov[0..iovcnt) (which it consumes) with sendmsg on a socket,
 * writev otherwise. */
int gfd_writev_all(int fd, int is_socket, struct iovec *iov, int iovcnt);
/* Fills iov[0..iovcnt) (which it consumes): 0, or -1 with EPIPE (end of
 * stream first) or the read's. On a non-blocking descriptor it waits for
 * the bytes, up to gfd_handoff_timeout_ms() at a time; on a blocking one
 * whose receive timeout (SO_RCVTIMEO) expires it stops. Either way the
 * stream is then out of step: ETIMEDOUT. */
int gfd_readv_exact(int fd, struct iovec *iov, int iovcnt);
/* Mid-message, nothing to read (EAGAIN): on a non-blocking channel the
 * rest is on its way (a message is never left half read) unless the peer
 * stalls past gfd_handoff_timeout_ms(); on a blocking one the socket's
 * receive timeout has expired. 0 when there is more to read, or -1 and
 * ETIMEDOUT. */
int gfd_wait_for_rest(int fd);

/* One outgoing transfer, as handoff_send.c prepares it for the ways of
 * sending below. */
struct gfd_outgoing {
	unsigned backend;       /* enum gfd_handle_backend */
	int chan;
	int is_socket;
	int message_socket;     /* SOCK_SEQPACKET or SOCK_DGRAM */
	const int *fds;
	size_t nfds;            /* at least 1 */
	const void *buf;
	size_t len;             /* at least 1 */
	pid_t sender;
	int timeout_ms;
	int peer_known;         /* the socket told who its peer is: */
	pid_t peer_pid;
	uid_t peer_uid;
	gid_t peer_gid;
};

/* handoff_send.c: sends the handle message for o; flags, helper, nonce and
 * answer_fd as the handle's fields. 0, or -1 and errno. */
int gfd_handle_send(const struct gfd_outgoing *o, unsigned flags,
                    pid_t helper, uint64_t nonce, int answer_fd);
/* How long a sender waits for its receiver, and a receiver for the rest of
 * a message it began to read: GIVEFD_HANDOFF_TIMEOUT_MS, or 30 s. */
int gfd_handoff_timeout_ms(void);
/* Sends nfds descriptors and the payload as a handle message: len once
 * the receiver has taken them, or -1 and errno. */
ssize_t gfd_handoff_send(unsigned backend, int chan, const int *fds,
                         size_t nfds, const void *buf, size_t len);

/* helper.c: parks the descriptors in a helper process and waits until the
 * receiver killed it: 0 (taken) or -1 and errno. */
int gfd_helper_send(const struct gfd_outgoing *o);

/* direct.c: whether a receiver of this user can take the descriptors from
 * this process itself; then sends a direct handle and waits for the
 * receiver's answer: 0 (taken) or -1 and errno. */
int gfd_direct_usable(const struct gfd_outgoing *o);
int gfd_direct_send(const struct gfd_outgoing *o);

/* peer.c: the process a handle names (a helper or, for a direct handle,
 * the sender), verified and pinned so that its pid cannot be reused. */
struct gfd_proc {
	int dir;        /* /proc/PID */
	int pidfd;      /* -1 unless the handle is a pidfd one */
	int answer;     /* direct handles: the far end of the sender's answer channel */
	pid_t pid;
};
/* Checks that h names a live helper started by the sender for this very
 * transfer, or for a direct handle the sender itself in the middle of this
 * transfer; and, where chan tells, that the sender is the peer: 0, or -1
 * and EPERM with nothing open (ENOSYS: no pidfd on this kernel). */
int gfd_peer_open(int chan, const struct gfd_handle *h, struct gfd_proc *p);
/* Tells the sender how the transfer ended (the helper killed with SIGKILL
 * or SIGTERM, or the answer written) and closes p: 0, or -1 and
 * ECONNABORTED when a direct sender had stopped waiting (its deadline
 * passed), so that taken descriptors must not be delivered. */
enum gfd_outcome { GFD_NOTHING, GFD_TAKEN, GFD_REFUSED };
int gfd_peer_release(struct gfd_proc *p, enum gfd_outcome outcome);
/* Reads the small file path under the /proc/PID directory dir into text,
 * NUL-terminated: 0, or -1 and errno. */
int gfd_read_proc_file(int dir, const char *path, char *text, size_t size);
/* The name a helper for this nonce gives itself. */
void gfd_helper_name(unsigned long long nonce, char name[16]);

/* The way each backend takes descriptor number fdnum out of the helper:
 * a new close-on-exec descriptor, or -1 and errno. */
int gfd_procfd_take(const struct gfd_proc *p, int fdnum);
int gfd_pidfd_take(const struct gfd_proc *p, int fdnum);
/* pidfd from a direct sender: receives exactly n descriptors queued on the
 * answer socket p->answer into fds: 0, or -1 and errno (EPROTO: not n) with
 * nothing open. */
int gfd_pidfd_take_queued(const struct gfd_proc *p, size_t n, int *fds);

/* handoff_recv.c: receives the rest of a handle message whose first have
 * bytes are already in pre (which may be buf), takes the descriptors and
 * releases the helper; same promises as gfd_receive. On a message socket
 * the 4-byte magic message has been consumed and have is 0. */
ssize_t gfd_handoff_recv(int chan, int message_socket, void *pre,
                         size_t have, int *fds, size_t *nfds,
                         void *buf, size_t len);

#endif

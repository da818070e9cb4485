/* SPDX-License-Identifier: ISC */
/*
 * conn.h: the fork server's connections: frames read with the
 * descriptors that come with them, replies queued and sent, greeting,
 * limits and deadlines, closing. What a whole frame asks for is
 * fs_request's (server.c). Private to the in-target server.
 */
#ifndef FS_CONN_H
#define FS_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "environ.h"
#include "protocol.h"

/* Frame bodies up to this size (a RUN with a few targets and arguments)
 * are read into the connection itself: no allocation per run. */
#define FS_SMALL_BODY 256

struct conn {
	int fd;                          /* -1: slot free */
	int message;                     /* SOCK_SEQPACKET: a frame a message */
	int greeted;
	int quiet;                       /* agreed FSP_FEATURE_QUIET */
	int keep_cwd;                    /* agreed FSP_FEATURE_KEEP_CWD */
	int cwd;                         /* the directory kept, or -1 */
	int cwd_moved;                   /* this frame's went to cwd */
	int served;                      /* its child started: its descriptors
	                                  * are closed, the rest is undone at
	                                  * the next read */
	unsigned version;                /* agreed protocol version */
	int parked;                      /* a RUN waits for a free slot */
	struct givefd_receiver *rx;      /* receives the frame's start */
	long long begun;                 /* when a libgivefd message began
	                                  * to arrive; 0: none under way */
	int closing;                     /* close once the output is out */
	uid_t uid;                       /* the peer's, (uid_t)-1 unknown */
	long long greet_by;              /* WANT due by then; 0: none due */
	unsigned char hdr[FSP_HDR_SIZE];
	size_t hdrlen;
	struct fsp_header h;             /* the frame being read */
	unsigned char *body;             /* small, or malloc'd when larger */
	size_t bodylen;
	unsigned char small[FS_SMALL_BODY];
	int fds[FSP_MAX_FDS];            /* and the descriptors it brought */
	size_t nfds;
	unsigned char *out;
	size_t outlen, outcap;
};

extern struct conn fs_conns[FS_MAX_CONNS];
/* Every slot from this one up is free: the loops over the connections
 * stop there, and a slot is cleared when it is taken, never before. The
 * pages of slots no connection has used stay unmapped zero pages, which a
 * fork neither shares nor a child's exit tears down. */
extern size_t fs_conns_end;

/* Frees every slot (without writing them); frame_ms: the time a frame's
 * descriptors may take to arrive once begun. */
void fs_conn_init(int frame_ms);

/* Takes fd, non-blocking, as a connection of uid and greets it, with its
 * WANT due within greet_ms (0: no deadline); a client over the limit of
 * connections is refused instead. */
void fs_conn_add(int fd, uid_t uid, int greet_ms);

/* Tells a client EBUSY (why) in place of the greeting, and closes fd. */
void fs_conn_refuse(int fd, const char *why);

/* Closes connection ci and what it holds; its children are killed. */
void fs_conn_close(size_t ci);

/* Queues a frame of n bytes (nothing when n <= 0) and sends what the
 * socket takes; a client that reads nothing is closed at 1 MiB. */
void fs_conn_put(size_t ci, const void *frame, long n);
void fs_conn_flush(size_t ci);

/* An ERROR for request id (0: the connection); the one that ends a RUN. */
void fs_conn_error(size_t ci, uint32_t id, int err, const char *msg);
void fs_conn_run_error(size_t ci, uint32_t id, int err, const char *msg);

/* Reads what is there up to the end of one frame, which goes to
 * fs_request. Returns 1 in a child, else 0. */
int fs_conn_read(size_t ci);

/* The current frame is dealt with: its descriptors closed, body freed.
 * For a frame marked served (just before its child was forked), only its
 * descriptors are closed at once: a page the server writes while a child
 * shares it is copied, and the rest waits for the connection's next read,
 * once the child is most likely gone. */
void fs_conn_frame_done(size_t ci);
void fs_conn_frame_served(size_t ci);

/* The working directory of connection ci's RUN (request id): its
 * descriptor, -1 for none (the server's), or -2 after answering the RUN
 * with an error. On a connection that agreed to KEEP_CWD a directory
 * sent moves from the frame's descriptors to the connection, which keeps
 * it for the runs that say SAME_CWD, whether this run starts or not. */
int fs_conn_run_dir(size_t ci, uint32_t id, const struct fsp_run *run);

/* Closes the directory connection ci keeps, after a RUN malformed enough
 * that what its client thinks is kept cannot be known: a later SAME_CWD
 * fails rather than run in a directory nobody meant. */
void fs_conn_forget_dir(size_t ci);

/* The descriptors that came with the current frame and are still among
 * its own: the frame's nfds, less a directory moved to the connection. */
size_t fs_conn_frame_fds(size_t ci);

/* Closes connections whose frame's start or WANT is overdue; shortens
 * *timeout (ms, -1 none) to the next deadline. Returns 0 (1 would be in a
 * child, as for fs_conn_read). */
int fs_conn_deadlines(int *timeout);

/* server.c: does what the whole frame on connection ci asks. Returns 1
 * in a child, else 0. */
int fs_request(size_t ci);

#endif /* FS_CONN_H */

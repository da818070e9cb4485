/* SPDX-License-Identifier: ISC */
/*
 * handoff_send.h: the sending side of the pipe backends: one outgoing
 * transfer, and the helper program that holds an offer where the receiver
 * cannot take from the sender itself.
 */
#ifndef GFD_HANDOFF_SEND_H
#define GFD_HANDOFF_SEND_H

#include <stddef.h>
#include <sys/types.h>

#include "handoff_ops.h"

/* One outgoing transfer. */
struct gfd_outgoing {
	int chan;
	int is_socket;
	int message_socket;     /* SOCK_SEQPACKET or SOCK_DGRAM */
	const int *fds;
	size_t nfds;
	const void *buf;
	size_t len;
	pid_t sender;
	long long deadline;     /* gfd_now_ms() time */
	int peer_known;         /* the socket told who its peer is: */
	pid_t peer_pid;
	uid_t peer_uid;
	gid_t peer_gid;
};

/* Sends nfds descriptors and the payload as a handle message: len once
 * the receiver has said it took them, or -1 and errno. */
ssize_t gfd_handoff_send(const struct gfd_handoff_ops *ops, int chan,
                         const int *fds, size_t nfds,
                         const void *buf, size_t len);

/* A thread of this process read the handle of one of its own pending
 * offers: tells that offer's sender, at once, that it is refused. 0, or
 * -1 and ENOENT when no pending offer of this process has that secret
 * (the handle is stale, or forged). */
int gfd_offer_refuse_own(const unsigned char secret[GFD_SECRET_LEN]);

/* Where a helper holds an offer: the numbers the handle names. */
struct gfd_holding {
	pid_t pid;
	int proof, answer;
	int fds[GFD_HANDLE_MAX_FDS];
};

/* handoff_helper.c: starts the helper program holding of's far ends (and,
 * where the handle lists them, o's descriptors): 0 with *held filled, or
 * -1 and errno with no helper left. It says it is ready on the answer
 * channel. */
int gfd_helper_start(const struct gfd_handoff_ops *ops,
                     const struct gfd_outgoing *o, const struct gfd_offer *of,
                     struct gfd_holding *held);
/* Ends and reaps the helper. */
void gfd_helper_stop(pid_t pid);

/* The byte a holder or receiver writes to the sender's answer channel. */
enum gfd_answer_byte {
	GFD_ANSWER_READY = 'H',         /* a helper holds the offer */
	GFD_ANSWER_TAKEN = 'T',
	GFD_ANSWER_REFUSED = 'R'
};

#endif

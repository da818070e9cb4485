/* SPDX-License-Identifier: ISC */
/*
 * handler.h: turns one decoded request into its effect on the daemon's
 * state and its reply frame.
 */
#ifndef PF_HANDLER_H
#define PF_HANDLER_H

#include <sys/types.h>

#include "advice.h"
#include "protocol.h"
#include "replay.h"
#include "session.h"
#include "warm.h"

struct pf_client {
	const void *owner;  /* identifies the connection's sessions */
	uid_t uid;          /* the peer's, from the kernel: its sessions */
	int trusted;        /* may name paths and see every uid's sessions:
	                     * the daemon's own uid, root, or the parent */
	int hello;          /* the version was agreed */
	int stop;           /* set by EXIT: the daemon stops after replying */
	struct pf_lock_job *deferred; /* a lock to submit; its reply waits */
	struct pf_advice advice;      /* advice under way; its reply waits */
	struct pf_replay *replay;     /* a replay under way; its reply waits */
	struct pf_warm *warm;         /* a WARM_FDS under way; its reply waits */
};

/* 1 while advice, a replay or a WARM_FDS of cl's is under way, taken a
 * step a turn. */
static inline int pf_client_stepping(const struct pf_client *cl)
{
	return cl->advice.active || cl->replay != NULL || cl->warm != NULL;
}

/* Handles req; fds are the req->hdr.nfds descriptors that came with it,
 * each always consumed (taken, or closed) and set to -1. The reply is
 * written into w. */
void pf_handle(struct pf_state *st, struct pf_client *cl,
               const struct pf_request *req, int *fds, struct pf_writer *w);

/* Takes the next step of the advice, replay or WARM_FDS under way for
 * cl; when it
 * is over (done, failed, or its file or session gone), ends it and writes
 * the reply its request was waiting for. */
void pf_handle_advice_step(struct pf_state *st, struct pf_client *cl,
                           struct pf_writer *w);

/* Settles a lock job that came back from the pool and writes the reply
 * its request was waiting for. */
void pf_handle_lock_done(struct pf_state *st, struct pf_lock_job *job,
                         struct pf_writer *w);

/* Drops what a closing connection left under way. */
void pf_client_release(struct pf_client *cl);

/* The reply to a frame that could not be decoded (errno from the codec). */
void pf_handle_error(const struct pf_header *hdr, int err, struct pf_writer *w);

#endif /* PF_HANDLER_H */

/* SPDX-License-Identifier: ISC */
/*
 * warm.h: the daemon's side of WARM_FDS. The descriptors that came with
 * the frame are registered in the client's session at once, each one
 * registered or closed before the request's handler returns; then their
 * ranges are advised a bounded step at a time, as REPLAY's are, so that a
 * batch does not hold up the other connections.
 */
#ifndef PF_WARM_H
#define PF_WARM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "advice.h"
#include "protocol.h"
#include "session.h"

struct pf_warm_item {
	uint64_t serial;        /* its registration; 0: none (it failed) */
	uint64_t off, len;      /* the range asked for */
	uint32_t err;           /* 0, or why it was not warmed */
	uint64_t bytes;         /* data bytes advised */
};

struct pf_warm {
	uid_t uid;              /* the session, looked up at each step */
	uint32_t sid, tag, first;
	unsigned kind;
	size_t n, next;         /* files, and the one being advised */
	int advising;           /* advice of file next is under way */
	struct pf_advice advice;
	struct pf_warm_item item[PF_WARM_MAX_FILES];
};

/* Registers the files of req (a decoded WARM_FDS) in session s, file i
 * as fid req->fid + i with fds[i], and makes the job that advises them.
 * Every descriptor is taken, whatever happens: registered, or closed
 * (its error kept for the reply). NULL and errno: EINVAL (a kind that
 * holds memory: those are READAHEAD's), ENOMEM. */
struct pf_warm *pf_warm_start(struct pf_state *st, struct pf_session *s,
                              const struct pf_request *req, int *fds);

/* Advises the next files: at most a few small ones, or one step of a
 * large one. 0 when some is left, 1 when done, -1 and errno (ENOENT: the
 * session is gone). A file whose advice fails is unregistered. */
int pf_warm_step(struct pf_state *st, struct pf_warm *w);

/* Writes the body of a done job's reply: u32 n, then per file u32
 * status and u64 bytes. */
void pf_warm_body(const struct pf_warm *w, struct pf_writer *out);

void pf_warm_free(struct pf_warm *w);

#endif /* PF_WARM_H */

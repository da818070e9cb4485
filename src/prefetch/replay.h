/* SPDX-License-Identifier: ISC */
/*
 * replay.h: the daemon's side of REPLAY. A trace handed over as a
 * descriptor is read, decoded, its files opened, checked against what the
 * trace recorded and registered in the client's session, and their
 * recorded ranges advised: each part a bounded step at a time, so that the
 * event loop goes on serving the other connections between steps.
 */
#ifndef PF_REPLAY_H
#define PF_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "advice.h"
#include "session.h"
#include "trace.h"

#define PF_REPLAY_MAX_TRACE ((uint64_t)16 << 20) /* bytes of trace taken */

struct pf_replay {
	int phase;              /* reading, opening, warming */
	int fd;                 /* the trace, until it is read */
	uid_t uid;              /* the session, looked up at each step */
	uint32_t sid, tag;
	unsigned kind;
	unsigned char *buf;     /* the trace's bytes while reading */
	size_t cap, got;
	struct pf_trace trace;
	uint64_t *serial;       /* per trace file: its registration, 0: none */
	uint32_t file, range;   /* where the next step starts */
	int advising;           /* advice of that range is under way */
	int failed;             /* advice of that file failed */
	struct pf_advice advice;
	uint32_t warmed, changed, skipped;
	uint64_t bytes;         /* data bytes advised */
};

/* Begins replaying the trace open as fd (taken in every case) into
 * session s with kind: the job, or NULL and errno: EINVAL (not a regular
 * file, or not an advice kind), EFBIG (over PF_REPLAY_MAX_TRACE), ENOMEM. */
struct pf_replay *pf_replay_start(const struct pf_session *s, int fd,
                                  unsigned kind, uint32_t tag);

/* Takes the next step: 0 when some is left, 1 when done, -1 and errno
 * (EBADMSG: the trace is damaged; ENOENT: the session is gone; or what
 * reading the trace failed with). */
int pf_replay_step(struct pf_state *st, struct pf_replay *r);

/* Writes the body of a done replay's reply. */
void pf_replay_body(const struct pf_replay *r, struct pf_writer *w);

void pf_replay_free(struct pf_replay *r);

#endif /* PF_REPLAY_H */

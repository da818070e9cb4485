/* SPDX-License-Identifier: ISC */
/*
 * advice.h: a readahead of the advice kinds (fadvise, readahead) done a
 * bounded step at a time, so that the event loop goes on serving others
 * between steps. Only the file's data is advised: holes are skipped, and
 * the range is clipped to the file's size and the daemon's maximum.
 */
#ifndef PF_ADVICE_H
#define PF_ADVICE_H

#include <stdint.h>
#include <sys/types.h>

#include "session.h"

struct pf_advice {
	int active;
	/* the file, looked up again before each step: it may have gone */
	uid_t uid;
	uint32_t sid, fid, tag;
	uint64_t file;          /* its serial */
	unsigned kind;
	size_t chunk;
	uint64_t pos, end;      /* what is left to look at */
	uint64_t done;          /* data bytes advised so far */
};

/* Starts the advice of [off, off+len) of f (len 0: to its end), clipped to
 * the file's size and to max bytes (0: no maximum). 0, or -1 and errno
 * (EOPNOTSUPP on a memory file system, which ignores advice). */
int pf_advice_start(struct pf_advice *a, const struct pf_file *f,
                    unsigned kind, uint64_t off, uint64_t len, uint64_t max);

/* Advises the next part of the range through fd: at most a fixed number of
 * bytes and of data extents. 1 when the range is done, 0 when some is
 * left, -1 and errno. */
int pf_advice_step(struct pf_advice *a, int fd);

#endif /* PF_ADVICE_H */

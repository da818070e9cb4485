/* SPDX-License-Identifier: ISC */
/*
 * lockpool.h: worker threads that map and lock files for the mmap and
 * mlock kinds, so that reading a large file in does not hold up the event
 * loop. A job is submitted by the loop, done by a worker, and handed back
 * to the loop, which alone touches the daemon's state.
 */
#ifndef PF_LOCKPOOL_H
#define PF_LOCKPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pf_lock_job {
	struct pf_lock_job *next;
	/* what the loop needs to finish the request */
	uint64_t conn;          /* the connection's serial */
	uint64_t file;          /* the file's serial */
	uid_t uid;              /* its session's */
	uint32_t sid, fid, tag;
	uint64_t done;          /* bytes to report */
	/* the work */
	int fd;                 /* the job's own descriptor, closed when done */
	uint64_t start;
	size_t span;
	int use_mlock;
	/* the result */
	void *addr;             /* NULL on failure */
	int err;
};

/* Starts n workers; *notify gets a descriptor that becomes readable when
 * jobs are done. 0, or -1 and errno. */
int pf_lockpool_start(unsigned n, int *notify);
/* Queues a job (owned by the pool until taken back). */
void pf_lockpool_submit(struct pf_lock_job *job);
/* Takes back every finished job, as a list. */
struct pf_lock_job *pf_lockpool_take(void);
/* Stops the workers once their current job is done; returns the jobs not
 * yet taken back (finished or never started: addr NULL), as a list. */
struct pf_lock_job *pf_lockpool_stop(void);
/* 1 when the pool runs. */
int pf_lockpool_running(void);
/* The descriptor the workers write to when a job is done, or -1. */
int pf_lockpool_wakeup_fd(void);

#endif /* PF_LOCKPOOL_H */

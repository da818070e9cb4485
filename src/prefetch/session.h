/* SPDX-License-Identifier: ISC */
/*
 * session.h: the daemon's state: sessions, the files registered in them,
 * the mappings held for the locking kinds, and the locked-memory budget.
 * Every function returns -1 and sets errno on failure.
 */
#ifndef PF_SESSION_H
#define PF_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol.h"
#include "lockpool.h"
#include "quota.h"

#define PF_MAX_MAPS 16
#define PF_MAX_FILES 1024
#define PF_MAX_SESSIONS 4096

struct pf_map {
	void *addr;
	size_t len;
};

struct pf_file {
	uint32_t fid;
	uint64_t serial;        /* unique in the daemon's life */
	int fd;
	int trusted;            /* mincore tells the truth for this file */
	int memfs;              /* tmpfs-like: advice is ignored */
	size_t chunk;           /* the device's readahead size */
	uint64_t dev, ino;
	char *name;
	struct pf_map maps[PF_MAX_MAPS];
	size_t nmaps;
	size_t pending;         /* lock jobs under way */
	uint64_t locked;
};

struct pf_session {
	struct pf_session *next;
	uid_t uid;              /* whose: sids are per uid */
	uint32_t sid;
	uint8_t flags;
	const void *owner;      /* NULL when persistent */
	char desc[PF_MAX_DESC + 1];
	struct pf_file *files;
	size_t nfiles, cap;
};

struct pf_state {
	struct pf_session *sessions;
	size_t nsessions, nfiles;
	uint64_t locked, budget;  /* locked includes jobs under way */
	uint64_t serial;
	size_t page;
	unsigned connections;
	struct pf_limits limits;  /* per client uid */
	struct pf_usage *usage;
	uint64_t max_readahead;   /* bytes per advice request, 0: no limit */
	struct {                  /* the last device's readahead chunk */
		dev_t dev;
		size_t chunk;
		uint64_t until_ms;
	} ra_cache;
};

void pf_state_init(struct pf_state *st, uint64_t budget);
/* Releases every session, mapping and descriptor. */
void pf_state_free(struct pf_state *st);

/* Sessions belong to the uid that created them: another uid neither sees
 * nor touches them. EDQUOT: uid holds its limit of sessions. */
int pf_session_create(struct pf_state *st, uid_t uid, uint32_t sid,
                      uint8_t flags, const char *desc, size_t dlen,
                      const void *owner);
struct pf_session *pf_session_find(struct pf_state *st, uid_t uid,
                                   uint32_t sid);
int pf_session_destroy(struct pf_state *st, uid_t uid, uint32_t sid);
/* Ends the sessions a closing connection owns. */
void pf_session_drop_owner(struct pf_state *st, const void *owner);

/* Takes fd in every case: it is closed on failure. name may be NULL.
 * EDQUOT: the session's uid holds its limit of files. */
int pf_file_register(struct pf_state *st, struct pf_session *s, uint32_t fid,
                     int fd, const char *name, size_t nlen);
int pf_file_unregister(struct pf_state *st, struct pf_session *s, uint32_t fid);
int pf_file_unregister_id(struct pf_state *st, struct pf_session *s,
                          uint64_t dev, uint64_t ino);
struct pf_file *pf_file_find(struct pf_session *s, uint32_t fid);

/* Locks [off, off+len) of a file (len 0: to its end) with a locking kind;
 * *done gets the bytes covered. ENOMEM: the lock budget would be exceeded.
 * When job is not NULL and the lock pool runs, *job gets the work to
 * submit (its budget already reserved) instead of it being done here;
 * pf_lock_finish then settles it. (The advice kinds are advice.h's.) */
int pf_file_lock_range(struct pf_state *st, struct pf_file *f, unsigned kind,
                       uint64_t off, uint64_t len, uint64_t *done,
                       struct pf_lock_job **job);
/* Gives a done job's mapping to its file, or, when the job failed or its
 * file is gone, releases the mapping and the reservation: 0, or -1 and
 * errno (the job's error, or ENOENT). */
int pf_lock_finish(struct pf_state *st, struct pf_lock_job *job);

/* Writes one session's residency entries into w. */
int pf_session_residency(struct pf_session *s, struct pf_writer *w);
/* Writes the totals and the dump records of uid's session sid, or of all
 * its sessions (PF_SID_ALL), or of every uid's when all_uids. */
void pf_state_dump(struct pf_state *st, uid_t uid, int all_uids, uint32_t sid,
                   struct pf_writer *w);

#endif /* PF_SESSION_H */

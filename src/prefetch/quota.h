/* SPDX-License-Identifier: ISC */
/*
 * quota.h: what each client uid holds in the daemon (connections,
 * sessions, registered files, descriptors sent but not yet claimed by a
 * request) against the per-uid limits, so that no one uid can use up the
 * daemon's descriptors for everyone else.
 */
#ifndef PF_QUOTA_H
#define PF_QUOTA_H

#include <sys/types.h>

struct pf_limits {
	unsigned conns;     /* connections at once */
	unsigned sessions;  /* sessions, persistent ones included */
	unsigned files;     /* registered files, over all its sessions */
	unsigned pending;   /* descriptors received and not yet settled */
};

struct pf_usage {
	struct pf_usage *next;
	uid_t uid;
	unsigned conns, sessions, files;
	unsigned pending;   /* the loop counts these afresh every turn */
};

/* Defaults derived from the descriptors this process may open: a uid gets
 * at most a quarter of them for files, a sixteenth (up to 256) for
 * connections and an eighth (at least 256) for descriptors in flight. */
void pf_limits_default(struct pf_limits *lim, unsigned long nofile);

/* The usage of uid in *list, created at zero if need be: NULL and ENOMEM
 * when it cannot be. */
struct pf_usage *pf_usage_get(struct pf_usage **list, uid_t uid);
/* Forgets the usage of uids that hold nothing any more. */
void pf_usage_trim(struct pf_usage **list);
void pf_usage_free(struct pf_usage **list);

#endif /* PF_QUOTA_H */

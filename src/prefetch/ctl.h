/* SPDX-License-Identifier: ISC */
/*
 * ctl.h: what prefetchctl's commands share.
 */
#ifndef PF_CTL_H
#define PF_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "prefetch.h"

struct ctl {
	const char *socket;
	uid_t server_uid;   /* trusted besides our own and root, or -1 */
};

/* Connects, saying why on stderr when it cannot (errno kept: EPERM for a
 * daemon refused as untrusted). */
prefetch_t *ctl_connect(const struct ctl *ctl);
/* Opens a regular file read-only, saying why on stderr when it cannot. */
int ctl_open(const char *path);
/* The name a file is registered under, for dump: path made absolute
 * (in buf) against the working directory, as given when it cannot be. */
const char *ctl_label(const char *path, char *buf, size_t len);
/* A fresh session id (PREFETCH_ALL_SESSIONS when none could be made). */
uint32_t ctl_new_session(prefetch_t *p, const char *what, int flags);
/* Prints "prefetchctl: FILE: what: reason", with the budget for ENOMEM. */
void ctl_report_error(prefetch_t *p, const char *file, const char *what);

/* Prints s as a JSON string. */
void ctl_json_string(const char *s);

/* status's output: a header, a row per file (fd open on it, for the page
 * map), and the total. */
struct ctl_status_out {
	int json, verbose;
	uint64_t page;                  /* bytes */
	uint64_t have, total;           /* pages of the files measured */
	uint64_t bytes, size;           /* resident bytes and size of those */
	uint64_t files, unknown;        /* files measured, and not */
};
void ctl_status_begin(struct ctl_status_out *o);
void ctl_status_row(struct ctl_status_out *o, const char *name, int fd,
                    const struct prefetch_residency *r);
void ctl_status_end(struct ctl_status_out *o);
/* status through the daemon: its exit status, 3 (nothing printed, errno
 * set) when the daemon could not be reached or was refused. */
int ctl_status_daemon(const struct ctl *ctl, struct ctl_status_out *o,
                      int argc, char **argv);

/* Replaces the command's arguments by its options, "--" and its files: a
 * directory's regular files (no symbolic link followed), and for "-" the
 * paths on standard input, a line each or NUL-separated after -0. 0, or
 * -1 (said on stderr). */
int ctl_expand(int *argc, char ***argv);

int ctl_warm(const struct ctl *ctl, int argc, char **argv);
int ctl_status(const struct ctl *ctl, int argc, char **argv);
int ctl_dump(const struct ctl *ctl, int argc, char **argv);
int ctl_evict(int argc, char **argv);

#endif /* PF_CTL_H */

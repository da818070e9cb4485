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

/* --range OFFSET:LENGTH (ctl_range.c): the bytes of each file a command
 * works on, standing for the whole pages they touch; len 0 is to the end,
 * and set 0 the whole file. */
struct ctl_range {
	uint64_t off, len;
	int set;
};
/* Parses "OFFSET:LENGTH" or "OFFSET:": 0, or -1 said on stderr. */
int ctl_range_parse(const char *arg, struct ctl_range *r);
/* When (*argv)[0] is --range, parses its value into r and steps past
 * both: 1, or -1 said on stderr; 0 for any other argument. */
int ctl_range_option(int *argc, char ***argv, struct ctl_range *r);
/* The pages of a file of size bytes that r touches (count 0: none). */
void ctl_range_pages(const struct ctl_range *r, uint64_t size, uint64_t page,
                     uint64_t *first, uint64_t *count);
/* The bytes of those pages within the file. */
uint64_t ctl_range_bytes(const struct ctl_range *r, uint64_t size,
                         uint64_t page);
/* Measures here the pages of fd that r touches: size gets their bytes
 * within the file; trusted as prefetch_residency_fd says. 0 or -1. */
int ctl_range_residency(int fd, const struct ctl_range *r,
                        struct prefetch_residency *out);

/* warm's progress line (ctl_progress.c), drawn on standard error when it
 * is a terminal and the files are many or large; else these do nothing.
 * begin counts the files' bytes (of the range), update gives those in and
 * the files wholly in of the batch being waited for, batch_done adds them
 * to the finished ones, end draws the last state and ends the line. break
 * ends the line before another message. */
void ctl_progress_begin(int argc, char **argv, const struct ctl_range *range);
void ctl_progress_update(uint64_t bytes, uint64_t files);
void ctl_progress_batch_done(void);
void ctl_progress_break(void);
void ctl_progress_end(void);
/* Seconds on the monotonic clock. */
double ctl_now(void);
/* A wait for pages (ctl_waiter.c). After each measure of the pages in,
 * ctl_waiter_next pauses and says whether to go on, ask again (nothing
 * came for a while) or give up (the deadline passed; no pause then). */
struct ctl_waiter {
	double deadline, moved;
	uint64_t before;
	unsigned pause;                 /* microseconds */
};
enum { CTL_WAIT_ON, CTL_WAIT_NUDGE, CTL_WAIT_OVER };
void ctl_waiter_start(struct ctl_waiter *w, double timeout);
int ctl_waiter_next(struct ctl_waiter *w, uint64_t have);
/* "3.0M": bytes with a binary unit, in buf. */
const char *ctl_human(uint64_t bytes, char *buf, size_t len);

/* status's output: a header, a row per file (fd open on it, for the page
 * map), and the total. */
struct ctl_status_out {
	int json, verbose;
	uint64_t page;                  /* bytes */
	uint64_t have, total;           /* pages of the files measured */
	uint64_t bytes, size;           /* resident bytes and size of those */
	uint64_t files, unknown;        /* files measured, and not */
	struct ctl_range range;         /* of each file, measured here */
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

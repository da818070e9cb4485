/* SPDX-License-Identifier: ISC */
/*
 * trace_run.h: recording a command's page-cache use into a trace
 * (trace_record.c), measuring residency (trace_resident.c), planning a
 * replay (trace_replay.c, trace_place.c) and ordering a trace for
 * prefetchd's replay request (trace_order.c, trace_anon.c), for
 * prefetchctl's record, replay and trace.
 */
#ifndef PF_TRACE_RUN_H
#define PF_TRACE_RUN_H

#include <stdint.h>
#include <sys/types.h>

#include "trace.h"

struct rec_opts {
	int cold;      /* evict each file as the command opens it */
	int verbose;
	long ra_kb;    /* -1, or the readahead (KiB) while recording */
	int preload;   /* use the preload fallback even where fanotify works */
};

/* The readahead settings record changed, to put back (trace_ra.c). */
#define RA_MAX 32
#define RA_PATH 96
struct ra_set {
	size_t n;
	struct {
		char path[RA_PATH];
		long kb;
	} e[RA_MAX];
};
/* Lowers the readahead of the block device under mount to kb, saving the
 * old value in s: 0, or -1 when it has none or cannot. */
int trace_ra_lower(struct ra_set *s, const char *mount, long kb);
/* Puts back every value saved in s. */
void trace_ra_restore(struct ra_set *s);
/* Reads at most len - 1 bytes of a small file (procfs, sysfs) into buf,
 * NUL-terminated: the bytes read, or -1. */
ssize_t trace_read_small(const char *path, char *buf, size_t len);

/* Runs argv as a child and fills t with the regular files it (or its
 * descendants) opened and the pages of them resident when it exited.
 * *status gets its wait status. -1 with errno (ENOTSUP: no fanotify here;
 * EPERM: not privileged) when it could not record; the reason is printed. */
int trace_record(char *const *argv, const struct rec_opts *o,
                 struct pf_trace *t, int *status);

/* Appends to f the ranges of fd's first pages (size bytes) that are in
 * the page cache (mincore): 0 or -1. */
int trace_resident_ranges(int fd, uint64_t size, uint32_t page_size,
                          struct pf_trace_file *f);
/* Appends the file open as fd to t with its identity and resident
 * ranges: 0 or -1. */
int trace_add_file_fd(struct pf_trace *t, const char *path, int fd);
/* The fallback of trace_record without fanotify: the command runs with
 * prefetch-record-preload.so (trace_record_preload.c). */
int trace_record_preload(char *const *argv, const struct rec_opts *o,
                         struct pf_trace *t, int *status);
/* Resident pages of [first, first+count) of fd, or -1. */
int64_t trace_resident_count(int fd, uint64_t size, uint32_t page_size,
                             uint32_t first, uint32_t count);

/* One range to warm, in the order to warm it. */
struct replay_item {
	uint32_t file, first, count, seq;
	uint64_t phys;    /* its place on disk, UINT64_MAX unknown */
};

struct replay_plan {
	int *fds;         /* per trace file, -1 when skipped */
	struct replay_item *items;
	size_t nitems;
	uint64_t pages;   /* pages to warm */
	uint64_t file_bytes; /* sizes of the files kept */
	unsigned skipped, kept;
	int disk_order;   /* 1 when FIEMAP placed the ranges */
};

/* Opens the trace's files, skips (and reports on stderr) those missing or
 * changed since recording, and (when disk_order) orders the ranges by
 * their place on disk when the file system tells it: 0 or -1 (ENOMEM). */
int replay_plan(const struct pf_trace *t, struct replay_plan *p, int disk_order);
void replay_plan_free(const struct pf_trace *t, struct replay_plan *p);

/* Opens a trace's file to replay or place it, read-only, without blocking
 * on a FIFO, taking a terminal or (where allowed) touching its access
 * time: the descriptor, or -1 with errno. */
int trace_open_file(const char *path);
/* Sets the phys of items[0..n), ranges of the file open as fd in
 * ascending order, to where each starts on disk, from the FIEMAP ioctl:
 * 1 when some were placed, 0 when the file system did not tell (no
 * FIEMAP here or for it, a hole, data not yet written out). */
int trace_place(int fd, uint32_t page_size, struct replay_item *items, size_t n);

/* Reorders the files of t by where their first range lies on disk, the
 * order prefetchd's replay request then warms them in; files on one
 * device together, devices in the order the trace first names them;
 * files that cannot be placed (missing, not regular, no FIEMAP, a hole)
 * after the others in the trace's order. Ranges and identities are left
 * as they are. The number of files placed (0: t is as it was), or -1
 * with errno (ENOMEM, t as it was). */
long trace_order_by_disk(struct pf_trace *t);
/* An anonymous file (memfd, or an unlinked temporary file where there is
 * none) holding t encoded, to hand to prefetchd: the descriptor
 * (close-on-exec), or -1 with errno. */
int trace_anon_file(const struct pf_trace *t);

#endif

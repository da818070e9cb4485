/* SPDX-License-Identifier: ISC */
/*
 * trace.h: the prefetch trace, what prefetchctl record writes and replay
 * reads: per file its path, identity (device, inode, size, mtime) and the
 * page ranges a command brought into the page cache. The format is in
 * doc/prefetch-trace.md. The decoder is strict: anything damaged or out of
 * bounds is refused with a reason, never trusted.
 */
#ifndef PF_TRACE_H
#define PF_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define PF_TRACE_MAGIC "PFTRACE"     /* 8 bytes with the NUL */
#define PF_TRACE_VERSION 1
#define PF_TRACE_HDR 20               /* magic, version, flags, page size, files */
#define PF_TRACE_MAX_FILES 65536u
#define PF_TRACE_MAX_RANGES 1048576u  /* per file */
#define PF_TRACE_MAX_PATH 4095u
#define PF_TRACE_MAX_BYTES ((size_t)256 << 20) /* a trace file, at most */

/* Decoder flag: do not check the trailing CRC-32 (the fuzz target uses it
 * to reach the rest of the decoder). */
#define PF_TRACE_NO_CRC 0x1

struct pf_trace_range {
	uint32_t first;   /* first page */
	uint32_t count;   /* pages, at least 1 */
};

struct pf_trace_file {
	char *path;
	uint64_t dev, ino, size;
	int64_t mtime_sec;
	uint32_t mtime_nsec;
	uint32_t nranges, cap;
	struct pf_trace_range *ranges;
};

struct pf_trace {
	uint32_t page_size;
	uint32_t nfiles, cap;
	struct pf_trace_file *files;
};

void pf_trace_init(struct pf_trace *t, uint32_t page_size);
void pf_trace_free(struct pf_trace *t);

/* Appends a file (path is copied) and returns it, or NULL with errno. */
struct pf_trace_file *pf_trace_add_file(struct pf_trace *t, const char *path);
/* Appends pages [first, first+count) to f, merged with the last range when
 * they touch. Ranges must come in increasing order: -1 EINVAL otherwise. */
int pf_trace_add_range(struct pf_trace_file *f, uint32_t first, uint32_t count);

/* Bytes pf_trace_encode needs, or 0 (errno EOVERFLOW/EINVAL) when t
 * breaks the format's limits. */
size_t pf_trace_encoded_size(const struct pf_trace *t);
/* Encodes t into buf: the bytes written, or -1 (ENOSPC, EINVAL). */
long pf_trace_encode(const struct pf_trace *t, unsigned char *buf, size_t cap);
/* Decodes buf into t (which the caller frees with pf_trace_free, also on
 * failure): 0, or -1 with errno EBADMSG (ENOMEM) and *why saying what is
 * wrong. */
int pf_trace_decode(const unsigned char *buf, size_t len, int flags,
                    struct pf_trace *t, const char **why);

/* Reads and decodes the file at path: 0, or -1 with errno and *why. */
int pf_trace_load(const char *path, struct pf_trace *t, const char **why);
/* Writes t to path (through a temporary file and rename): 0 or -1. */
int pf_trace_save(const char *path, const struct pf_trace *t);

struct stat;
/* NULL when the file st describes is f as recorded (device, inode, size
 * and mtime), else what differs. */
const char *pf_trace_file_changed(const struct pf_trace_file *f,
                                  const struct stat *st);

/* Pages a file of t covers in all, and the pages of its ranges. */
uint64_t pf_trace_file_pages(const struct pf_trace *t, const struct pf_trace_file *f);
uint64_t pf_trace_range_pages(const struct pf_trace_file *f);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * trace.c: the prefetch trace codec (trace.h, doc/prefetch-trace.md):
 * building a trace in memory, encoding it big-endian with a CRC-32
 * trailer, and decoding it strictly: every count and length is checked
 * against the bytes left before anything is allocated, ranges must be in
 * order, apart and inside the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "be.h"
#include "trace.h"

#define FILE_FIXED (2 + 8 + 8 + 8 + 8 + 4 + 4) /* a file record without path and ranges */

static void put64(unsigned char *p, uint64_t v)
{
	gfd_put32(p, (uint32_t)(v >> 32));
	gfd_put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)gfd_get32(p) << 32 | gfd_get32(p + 4);
}

/* CRC-32 (IEEE 802.3, the one of zlib and gzip), bit by bit: traces are
 * small and read once. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static int page_size_ok(uint32_t ps)
{
	return ps >= 512 && ps <= (1u << 20) && (ps & (ps - 1)) == 0;
}

void pf_trace_init(struct pf_trace *t, uint32_t page_size)
{
	memset(t, 0, sizeof *t);
	t->page_size = page_size;
}

void pf_trace_free(struct pf_trace *t)
{
	uint32_t i;

	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].ranges);
	}
	free(t->files);
	t->files = NULL;
	t->nfiles = t->cap = 0;
}

struct pf_trace_file *pf_trace_add_file(struct pf_trace *t, const char *path)
{
	struct pf_trace_file *f;
	size_t len = strlen(path);

	if (len == 0 || len > PF_TRACE_MAX_PATH) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (t->nfiles >= PF_TRACE_MAX_FILES) {
		errno = E2BIG;
		return NULL;
	}
	if (t->nfiles == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 16;
		struct pf_trace_file *grown = realloc(t->files, cap * sizeof *grown);

		if (grown == NULL)
			return NULL;
		t->files = grown;
		t->cap = cap;
	}
	f = &t->files[t->nfiles];
	memset(f, 0, sizeof *f);
	f->path = malloc(len + 1);
	if (f->path == NULL)
		return NULL;
	memcpy(f->path, path, len + 1);
	t->nfiles++;
	return f;
}

int pf_trace_add_range(struct pf_trace_file *f, uint32_t first, uint32_t count)
{
	struct pf_trace_range *last = f->nranges ? &f->ranges[f->nranges - 1] : NULL;
	uint64_t end = (uint64_t)first + count;

	if (count == 0 || end > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (last != NULL) {
		uint64_t lend = (uint64_t)last->first + last->count;

		if (first < lend) {
			errno = EINVAL;
			return -1;
		}
		if (first == lend) {
			last->count += count;
			return 0;
		}
	}
	if (f->nranges >= PF_TRACE_MAX_RANGES) {
		errno = E2BIG;
		return -1;
	}
	if (f->nranges == f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 8;
		struct pf_trace_range *grown = realloc(f->ranges, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		f->ranges = grown;
		f->cap = cap;
	}
	f->ranges[f->nranges].first = first;
	f->ranges[f->nranges].count = count;
	f->nranges++;
	return 0;
}

const char *pf_trace_file_changed(const struct pf_trace_file *f,
                                  const struct stat *st)
{
	if ((uint64_t)st->st_dev != f->dev || (uint64_t)st->st_ino != f->ino)
		return "replaced (device or inode differ)";
	if ((uint64_t)st->st_size != f->size)
		return "size changed";
	if ((int64_t)st->st_mtim.tv_sec != f->mtime_sec ||
	    (uint32_t)st->st_mtim.tv_nsec != f->mtime_nsec)
		return "modified (mtime differs)";
	return NULL;
}

uint64_t pf_trace_file_pages(const struct pf_trace *t, const struct pf_trace_file *f)
{
	return t->page_size ? (f->size + t->page_size - 1) / t->page_size : 0;
}

uint64_t pf_trace_range_pages(const struct pf_trace_file *f)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < f->nranges; i++)
		n += f->ranges[i].count;
	return n;
}

/* Checks one file's ranges and fields against the format: NULL or why. */
static const char *file_check(const struct pf_trace *t, const struct pf_trace_file *f)
{
	uint64_t pages = pf_trace_file_pages(t, f), prev_end = 0;
	size_t len = f->path ? strlen(f->path) : 0;
	uint32_t i;

	if (len == 0 || len > PF_TRACE_MAX_PATH)
		return "bad path length";
	if (f->mtime_nsec >= 1000000000u)
		return "bad mtime nanoseconds";
	if (f->nranges > PF_TRACE_MAX_RANGES)
		return "too many ranges";
	if (pages > UINT32_MAX)
		return "file too large for the format";
	for (i = 0; i < f->nranges; i++) {
		uint64_t first = f->ranges[i].first, end = first + f->ranges[i].count;

		if (f->ranges[i].count == 0)
			return "empty range";
		if (i > 0 && first <= prev_end)
			return "ranges out of order, overlapping or touching";
		if (end > pages)
			return "range past the end of the file";
		prev_end = end;
	}
	return NULL;
}

size_t pf_trace_encoded_size(const struct pf_trace *t)
{
	size_t n = PF_TRACE_HDR + 4;
	uint32_t i;

	if (!page_size_ok(t->page_size) || t->nfiles > PF_TRACE_MAX_FILES) {
		errno = EINVAL;
		return 0;
	}
	for (i = 0; i < t->nfiles; i++) {
		if (file_check(t, &t->files[i]) != NULL) {
			errno = EINVAL;
			return 0;
		}
		n += FILE_FIXED + strlen(t->files[i].path) +
		     (size_t)t->files[i].nranges * 8;
		if (n > PF_TRACE_MAX_BYTES) {
			errno = EOVERFLOW;
			return 0;
		}
	}
	return n;
}

long pf_trace_encode(const struct pf_trace *t, unsigned char *buf, size_t cap)
{
	size_t need = pf_trace_encoded_size(t), at;
	uint32_t i, j;

	if (need == 0)
		return -1;
	if (need > cap) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, PF_TRACE_MAGIC, 8);
	gfd_put16(buf + 8, PF_TRACE_VERSION);
	gfd_put16(buf + 10, 0);
	gfd_put32(buf + 12, t->page_size);
	gfd_put32(buf + 16, t->nfiles);
	at = PF_TRACE_HDR;
	for (i = 0; i < t->nfiles; i++) {
		const struct pf_trace_file *f = &t->files[i];
		size_t len = strlen(f->path);

		gfd_put16(buf + at, (uint16_t)len);
		memcpy(buf + at + 2, f->path, len);
		at += 2 + len;
		put64(buf + at, f->dev);
		put64(buf + at + 8, f->ino);
		put64(buf + at + 16, f->size);
		put64(buf + at + 24, (uint64_t)f->mtime_sec);
		gfd_put32(buf + at + 32, f->mtime_nsec);
		gfd_put32(buf + at + 36, f->nranges);
		at += 40;
		for (j = 0; j < f->nranges; j++, at += 8) {
			gfd_put32(buf + at, f->ranges[j].first);
			gfd_put32(buf + at + 4, f->ranges[j].count);
		}
	}
	gfd_put32(buf + at, crc32_of(buf, at));
	return (long)(at + 4);
}

static int bad(const char **why, const char *what)
{
	if (why != NULL)
		*why = what;
	errno = EBADMSG;
	return -1;
}

int pf_trace_decode(const unsigned char *buf, size_t len, int flags,
                    struct pf_trace *t, const char **why)
{
	size_t at, end;
	uint32_t nfiles, i, j;
	const char *problem;

	pf_trace_init(t, 0);
	if (len < PF_TRACE_HDR + 4 || memcmp(buf, PF_TRACE_MAGIC, 8) != 0)
		return bad(why, "not a prefetch trace");
	if (gfd_get16(buf + 8) != PF_TRACE_VERSION)
		return bad(why, "unsupported trace version");
	if (len > PF_TRACE_MAX_BYTES)
		return bad(why, "trace too large");
	end = len - 4;
	if (!(flags & PF_TRACE_NO_CRC) && crc32_of(buf, end) != gfd_get32(buf + end))
		return bad(why, "checksum mismatch (damaged trace)");
	if (gfd_get16(buf + 10) != 0)
		return bad(why, "unknown flags");
	t->page_size = gfd_get32(buf + 12);
	if (!page_size_ok(t->page_size))
		return bad(why, "bad page size");
	nfiles = gfd_get32(buf + 16);
	if (nfiles > PF_TRACE_MAX_FILES || nfiles > (end - PF_TRACE_HDR) / (FILE_FIXED + 1))
		return bad(why, "file count exceeds the trace");
	at = PF_TRACE_HDR;
	for (i = 0; i < nfiles; i++) {
		struct pf_trace_file *f;
		char path[PF_TRACE_MAX_PATH + 1];
		size_t plen;
		uint32_t nranges;

		if (end - at < FILE_FIXED)
			return bad(why, "truncated file record");
		plen = gfd_get16(buf + at);
		if (plen == 0 || plen > PF_TRACE_MAX_PATH || plen > end - at - FILE_FIXED)
			return bad(why, "bad path length");
		memcpy(path, buf + at + 2, plen);
		path[plen] = '\0';
		if (memchr(path, '\0', plen) != NULL)
			return bad(why, "NUL byte in a path");
		at += 2 + plen;
		f = pf_trace_add_file(t, path);
		if (f == NULL) {
			if (why != NULL)
				*why = "out of memory";
			return -1;
		}
		f->dev = get64(buf + at);
		f->ino = get64(buf + at + 8);
		f->size = get64(buf + at + 16);
		f->mtime_sec = (int64_t)get64(buf + at + 24);
		f->mtime_nsec = gfd_get32(buf + at + 32);
		nranges = gfd_get32(buf + at + 36);
		at += 40;
		if (nranges > PF_TRACE_MAX_RANGES || nranges > (end - at) / 8)
			return bad(why, "range count exceeds the trace");
		if (nranges > 0) {
			f->ranges = malloc((size_t)nranges * sizeof *f->ranges);
			if (f->ranges == NULL) {
				if (why != NULL)
					*why = "out of memory";
				return -1;
			}
			f->cap = nranges;
		}
		for (j = 0; j < nranges; j++, at += 8) {
			f->ranges[j].first = gfd_get32(buf + at);
			f->ranges[j].count = gfd_get32(buf + at + 4);
		}
		f->nranges = nranges;
		problem = file_check(t, f);
		if (problem != NULL)
			return bad(why, problem);
	}
	if (at != end)
		return bad(why, "trailing bytes after the last file");
	return 0;
}

int pf_trace_load(const char *path, struct pf_trace *t, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int rc = -1;

	pf_trace_init(t, 0);
	if (why != NULL)
		*why = NULL;
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > PF_TRACE_MAX_BYTES) {
		rc = bad(why, "trace too large");
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		goto out;
	while (got < (size_t)st.st_size + 1) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto out;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > (size_t)st.st_size) {
		rc = bad(why, "trace changed while being read");
		goto out;
	}
	rc = pf_trace_decode(buf, got, 0, t, why);
out:
	err = errno;
	free(buf);
	close(fd);
	errno = err;
	return rc;
}

int pf_trace_save(const char *path, const struct pf_trace *t)
{
	size_t need = pf_trace_encoded_size(t), done = 0;
	unsigned char *buf;
	char *tmp;
	int fd = -1, err, rc = -1, made = 0;
	long n;

	if (need == 0)
		return -1;
	buf = malloc(need);
	tmp = malloc(strlen(path) + 16);
	if (buf == NULL || tmp == NULL)
		goto out;
	n = pf_trace_encode(t, buf, need);
	if (n < 0)
		goto out;
	snprintf(tmp, strlen(path) + 16, "%s.tmp%ld", path, (long)getpid() % 100000);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		goto out;
	made = 1;
	while (done < (size_t)n) {
		ssize_t w = write(fd, buf + done, (size_t)n - done);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			goto out;
		done += (size_t)w;
	}
	if (close(fd) == -1) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto out;
	rc = 0;
out:
	err = errno;
	if (fd != -1)
		close(fd);
	if (rc == -1 && made)
		unlink(tmp);
	free(buf);
	free(tmp);
	errno = err;
	return rc;
}

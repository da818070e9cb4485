/* SPDX-License-Identifier: ISC */
/*
 * trace_resident.c: which pages of a file are in the page cache, read
 * with mincore(2) over read-only shared mappings in windows of at most
 * 1 GiB, as ranges of a trace file or as a count.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trace_run.h"

#define WINDOW_PAGES ((uint64_t)1 << 18)

/* Calls fn on each window's residency vector. */
static int walk(int fd, uint64_t size, uint32_t ps, uint64_t from, uint64_t to,
                int (*fn)(uint64_t page, const unsigned char *vec, size_t n, void *),
                void *arg)
{
#if HAVE_DECL_MINCORE
	uint64_t pages = (size + ps - 1) / ps;
	unsigned char *vec;
	long sys = sysconf(_SC_PAGESIZE);

	if (sys <= 0 || (uint32_t)sys != ps) {
		errno = EINVAL;   /* mincore speaks in the system's pages */
		return -1;
	}
	if (to > pages)
		to = pages;
	vec = malloc((size_t)(to > from && to - from < WINDOW_PAGES ? to - from : WINDOW_PAGES) + 1);
	if (vec == NULL)
		return -1;
	while (from < to) {
		size_t n = (size_t)(to - from < WINDOW_PAGES ? to - from : WINDOW_PAGES);
		void *m = mmap(NULL, n * ps, PROT_READ, MAP_SHARED, fd, (off_t)(from * ps));
		int rc;

		if (m == MAP_FAILED) {
			free(vec);
			return -1;
		}
		/* char * on the BSDs, unsigned char * on Linux. */
		rc = mincore(m, n * ps, (void *)vec);
		munmap(m, n * ps);
		if (rc == -1 || fn(from, vec, n, arg) == -1) {
			int err = errno;

			free(vec);
			errno = err;
			return -1;
		}
		from += n;
	}
	free(vec);
	return 0;
#else
	(void)fd; (void)size; (void)ps; (void)from; (void)to; (void)fn; (void)arg;
	errno = ENOTSUP;
	return -1;
#endif
}

static int add_ranges(uint64_t page, const unsigned char *vec, size_t n, void *arg)
{
	struct pf_trace_file *f = arg;
	size_t i = 0;

	while (i < n) {
		size_t j;

		if (!(vec[i] & 1)) {
			i++;
			continue;
		}
		for (j = i; j < n && (vec[j] & 1); j++)
			;
		if (pf_trace_add_range(f, (uint32_t)(page + i), (uint32_t)(j - i)) == -1)
			return -1;
		i = j;
	}
	return 0;
}

int trace_resident_ranges(int fd, uint64_t size, uint32_t page_size,
                          struct pf_trace_file *f)
{
	if (size == 0)
		return 0;
	if ((size + page_size - 1) / page_size > UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	return walk(fd, size, page_size, 0, UINT64_MAX, add_ranges, f);
}

static int count(uint64_t page, const unsigned char *vec, size_t n, void *arg)
{
	int64_t *have = arg;
	size_t i;

	(void)page;
	for (i = 0; i < n; i++)
		*have += vec[i] & 1;
	return 0;
}

int64_t trace_resident_count(int fd, uint64_t size, uint32_t page_size,
                             uint32_t first, uint32_t count_pages)
{
	int64_t have = 0;

	if (size == 0)
		return 0;
	if (walk(fd, size, page_size, first, (uint64_t)first + count_pages,
	         count, &have) == -1)
		return -1;
	return have;
}

int trace_add_file_fd(struct pf_trace *t, const char *path, int fd)
{
	struct pf_trace_file *f;
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	f = pf_trace_add_file(t, path);
	if (f == NULL)
		return -1;
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	f->size = (uint64_t)st.st_size;
	f->mtime_sec = (int64_t)st.st_mtim.tv_sec;
	f->mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
	if (trace_resident_ranges(fd, f->size, t->page_size, f) == -1)
		fprintf(stderr, "prefetchctl: record: %s: residency: %s\n",
		        path, strerror(errno));
	return 0;
}

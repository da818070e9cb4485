/* SPDX-License-Identifier: ISC */
/*
 * trace_place.c: where a trace's ranges lie on disk, for replaying them in
 * that order: opening a trace's file safely, and asking the file system
 * with the FIEMAP ioctl where it has one (elsewhere nothing is placed and
 * callers keep the trace's order).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#if defined(HAVE_LINUX_FIEMAP_H) && defined(HAVE_LINUX_FS_H)
#include <linux/fiemap.h>
#include <linux/fs.h>
#define PLACE_FIEMAP 1
#endif

#include "trace_run.h"

#define FIEMAP_BATCH 128

#ifndef O_NOATIME
#define O_NOATIME 0
#endif
/* O_NONBLOCK, O_NOCTTY: a trace naming a FIFO or a terminal must not hang
 * replay or give it a terminal. */
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

int trace_open_file(const char *path)
{
	int fd = open(path, OPEN_FLAGS | O_NOATIME);

	/* O_NOATIME is only for the file's owner. */
	if (fd == -1 && errno == EPERM && O_NOATIME != 0)
		fd = open(path, OPEN_FLAGS);
	return fd;
}

int trace_place(int fd, uint32_t page_size, struct replay_item *items, size_t n)
{
#ifdef PLACE_FIEMAP
	union {
		struct fiemap fm;
		char buf[sizeof(struct fiemap) + FIEMAP_BATCH * sizeof(struct fiemap_extent)];
	} u;
	uint64_t start = 0, ps = page_size;
	size_t at = 0, placed = 0;

	while (at < n) {
		uint64_t want = items[at].first * ps;
		unsigned i;
		int last = 0;

		memset(&u.fm, 0, sizeof u.fm);
		u.fm.fm_start = start > want ? start : want;
		u.fm.fm_length = ~0ULL - u.fm.fm_start;
		u.fm.fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, &u.fm) == -1 || u.fm.fm_mapped_extents == 0)
			break;
		for (i = 0; i < u.fm.fm_mapped_extents; i++) {
			struct fiemap_extent *e = &u.fm.fm_extents[i];

			while (at < n && items[at].first * ps < e->fe_logical + e->fe_length) {
				uint64_t off = items[at].first * ps;

				if (off >= e->fe_logical &&
				    !(e->fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC))) {
					items[at].phys = e->fe_physical + (off - e->fe_logical);
					placed++;
				}
				at++;
			}
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				last = 1;
			if (e->fe_logical + e->fe_length <= start)
				last = 1;   /* no progress: do not ask forever */
			start = e->fe_logical + e->fe_length;
		}
		if (last)
			break;
	}
	return placed > 0;
#else
	(void)fd; (void)page_size; (void)items; (void)n;
	return 0;
#endif
}

/* SPDX-License-Identifier: ISC */
/*
 * trace_replay.c: plans a replay. Opens each file of a trace, skips and
 * reports those gone or changed since recording (device, inode, size or
 * mtime differ), and orders every range by where it lies on disk, from
 * the FIEMAP ioctl where the file system answers it; ranges it cannot
 * place keep the trace's order (the order the command opened the files)
 * after the placed ones.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(HAVE_LINUX_FIEMAP_H) && defined(HAVE_LINUX_FS_H)
#include <linux/fiemap.h>
#include <linux/fs.h>
#define REPLAY_FIEMAP 1
#endif

#include "trace_run.h"

#define FIEMAP_BATCH 128

#ifndef O_NOATIME
#define O_NOATIME 0
#endif
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

/* Where each range of f starts on disk (items[0..n) are f's, in range
 * order): 1 when the file system told, 0 when it could not. */
static int place(int fd, uint32_t ps, struct replay_item *items, size_t n)
{
#ifdef REPLAY_FIEMAP
	union {
		struct fiemap fm;
		char buf[sizeof(struct fiemap) + FIEMAP_BATCH * sizeof(struct fiemap_extent)];
	} u;
	uint64_t start = 0;
	size_t at = 0, placed = 0;

	while (at < n) {
		uint64_t want = (uint64_t)items[at].first * ps;
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

			while (at < n && (uint64_t)items[at].first * ps < e->fe_logical + e->fe_length) {
				uint64_t off = (uint64_t)items[at].first * ps;

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
	(void)fd; (void)ps; (void)items; (void)n;
	return 0;
#endif
}

static int by_disk(const void *a, const void *b)
{
	const struct replay_item *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int replay_plan(const struct pf_trace *t, struct replay_plan *p, int disk_order)
{
	size_t total = 0, k = 0;
	uint32_t i, j;
	int placed_any = 0;

	memset(p, 0, sizeof *p);
	for (i = 0; i < t->nfiles; i++)
		total += t->files[i].nranges;
	p->fds = malloc((t->nfiles ? t->nfiles : 1) * sizeof *p->fds);
	p->items = malloc((total ? total : 1) * sizeof *p->items);
	if (p->fds == NULL || p->items == NULL) {
		free(p->fds);
		free(p->items);
		p->fds = NULL;
		p->items = NULL;
		return -1;
	}
	for (i = 0; i < t->nfiles; i++) {
		const struct pf_trace_file *f = &t->files[i];
		const char *why = NULL;
		struct stat st;
		int fd;

		p->fds[i] = -1;
		if (f->nranges == 0)
			continue;
		/* O_NONBLOCK, O_NOCTTY: a trace naming a FIFO or a terminal
		 * must not hang replay or give it a terminal. */
		fd = open(f->path, OPEN_FLAGS | O_NOATIME);
		if (fd == -1 && errno == EPERM && O_NOATIME != 0)
			fd = open(f->path, OPEN_FLAGS);
		if (fd == -1)
			why = strerror(errno);
		else if (fstat(fd, &st) == -1)
			why = strerror(errno);
		else if (!S_ISREG(st.st_mode))
			why = "not a regular file";
		else
			why = pf_trace_file_changed(f, &st);
		if (why != NULL) {
			fprintf(stderr, "prefetchctl: replay: %s: %s, skipped\n", f->path, why);
			if (fd != -1)
				close(fd);
			p->skipped++;
			continue;
		}
		p->fds[i] = fd;
		p->kept++;
		p->file_bytes += f->size;
		for (j = 0; j < f->nranges; j++, k++) {
			p->items[k].file = i;
			p->items[k].first = f->ranges[j].first;
			p->items[k].count = f->ranges[j].count;
			p->items[k].seq = (uint32_t)k;
			p->items[k].phys = UINT64_MAX;
			p->pages += f->ranges[j].count;
		}
		if (disk_order &&
		    place(fd, t->page_size, p->items + k - f->nranges, f->nranges))
			placed_any = 1;
	}
	p->nitems = k;
	if (placed_any)
		qsort(p->items, p->nitems, sizeof *p->items, by_disk);
	p->disk_order = placed_any;
	return 0;
}

void replay_plan_free(const struct pf_trace *t, struct replay_plan *p)
{
	uint32_t i;

	if (p->fds != NULL)
		for (i = 0; i < t->nfiles; i++)
			if (p->fds[i] != -1)
				close(p->fds[i]);
	free(p->fds);
	free(p->items);
	p->fds = NULL;
	p->items = NULL;
}

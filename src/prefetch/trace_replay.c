/* SPDX-License-Identifier: ISC */
/*
 * trace_replay.c: plans a replay. Opens each file of a trace, skips and
 * reports those gone or changed since recording (device, inode, size or
 * mtime differ), and orders every range by where it lies on disk, from
 * the FIEMAP ioctl where the file system answers it (trace_place.c),
 * across files: ranges of several files may interleave; ranges it cannot
 * place keep the trace's order (the order the command opened the files)
 * after the placed ones.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_run.h"

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
		fd = trace_open_file(f->path);
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
		    trace_place(fd, t->page_size, p->items + k - f->nranges, f->nranges))
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

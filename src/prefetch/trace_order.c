/* SPDX-License-Identifier: ISC */
/*
 * trace_order.c: puts a trace's files in the order their data lies on
 * disk, for prefetchd's replay request. The daemon warms a trace file by
 * file in the trace's order, each file's ranges in ascending order, and
 * may not ask the file system where they lie (its sandbox has no FIEMAP);
 * so prefetchctl, which may, reorders the trace before handing it over.
 * The format holds one entry per file with its ranges sorted, so the order
 * is per file: a file's place is that of its first range, where the
 * daemon starts on it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_run.h"

struct file_key {
	uint64_t dev;     /* the device it is on (only placed files) */
	uint64_t phys;    /* where its first range starts, UINT64_MAX unknown */
	uint32_t index;   /* its place in the trace */
	uint32_t group;   /* its device's first place in the trace */
};

/* Where file f's first range lies: 1 placed (key filled), 0 not. */
static int place_file(const struct pf_trace *t, const struct pf_trace_file *f,
                      struct file_key *key)
{
	struct replay_item first;
	struct stat st;
	int fd, placed = 0;

	if (f->nranges == 0)
		return 0;
	fd = trace_open_file(f->path);
	if (fd == -1)
		return 0;
	memset(&first, 0, sizeof first);
	first.first = f->ranges[0].first;
	first.count = f->ranges[0].count;
	first.phys = UINT64_MAX;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    trace_place(fd, t->page_size, &first, 1) == 1) {
		key->dev = (uint64_t)st.st_dev;
		key->phys = first.phys;
		placed = 1;
	}
	close(fd);
	return placed;
}

/* Placed files first, by device, then by place on disk. */
static int by_device(const void *a, const void *b)
{
	const struct file_key *x = a, *y = b;

	if ((x->phys == UINT64_MAX) != (y->phys == UINT64_MAX))
		return x->phys == UINT64_MAX ? 1 : -1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Devices in the order the trace first names them, then by place. */
static int by_group(const void *a, const void *b)
{
	const struct file_key *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

long trace_order_by_disk(struct pf_trace *t)
{
	struct file_key *keys;
	struct pf_trace_file *files;
	uint32_t i, run, first;
	long placed = 0;

	if (t->nfiles == 0)
		return 0;
	keys = malloc(t->nfiles * sizeof *keys);
	if (keys == NULL)
		return -1;
	for (i = 0; i < t->nfiles; i++) {
		keys[i].dev = 0;
		keys[i].phys = UINT64_MAX;
		keys[i].index = i;
		keys[i].group = UINT32_MAX;
		placed += place_file(t, &t->files[i], &keys[i]);
	}
	if (placed == 0) {
		free(keys);
		return 0;
	}
	files = malloc(t->cap * sizeof *files);
	if (files == NULL) {
		free(keys);
		return -1;
	}
	/* The placed files come first, a run per device: each run's group is
	 * the least trace index in it. */
	qsort(keys, t->nfiles, sizeof *keys, by_device);
	for (run = 0; run < (uint32_t)placed; run = i) {
		first = keys[run].index;
		for (i = run; i < (uint32_t)placed && keys[i].dev == keys[run].dev; i++)
			if (keys[i].index < first)
				first = keys[i].index;
		while (run < i)
			keys[run++].group = first;
	}
	qsort(keys, t->nfiles, sizeof *keys, by_group);
	for (i = 0; i < t->nfiles; i++)
		files[i] = t->files[keys[i].index];
	free(t->files);
	t->files = files;
	free(keys);
	return placed;
}

/* SPDX-License-Identifier: ISC */
/*
 * ctl_trace.c: prefetchctl trace show [--json] [--ranges] TRACE prints
 * what a trace holds: per file its pages, ranges, size and path (with
 * --ranges each range too), or all of it as one JSON object.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl_trace.h"
#include "trace.h"

static void json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void show_json(const struct pf_trace *t)
{
	uint32_t i, j;

	printf("{\"version\":%d,\"page_size\":%u,\"files\":[", PF_TRACE_VERSION,
	       t->page_size);
	for (i = 0; i < t->nfiles; i++) {
		const struct pf_trace_file *f = &t->files[i];

		printf("%s{\"path\":", i ? "," : "");
		json_string(f->path);
		printf(",\"dev\":%llu,\"ino\":%llu,\"size\":%llu,\"mtime_sec\":%lld,"
		       "\"mtime_nsec\":%u,\"pages\":%llu,\"ranges\":[",
		       (unsigned long long)f->dev, (unsigned long long)f->ino,
		       (unsigned long long)f->size, (long long)f->mtime_sec,
		       f->mtime_nsec, (unsigned long long)pf_trace_range_pages(f));
		for (j = 0; j < f->nranges; j++)
			printf("%s[%u,%u]", j ? "," : "", f->ranges[j].first,
			       f->ranges[j].count);
		printf("]}");
	}
	printf("]}\n");
}

static void show_text(const char *name, const struct pf_trace *t, int ranges)
{
	uint64_t pages = 0, bytes = 0;
	uint32_t i, j;

	for (i = 0; i < t->nfiles; i++) {
		pages += pf_trace_range_pages(&t->files[i]);
		bytes += t->files[i].size;
	}
	printf("%s: trace version %d, page size %u, %u files, %llu pages "
	       "(%.1f MiB) of %.1f MiB\n", name, PF_TRACE_VERSION, t->page_size,
	       t->nfiles, (unsigned long long)pages,
	       (double)pages * t->page_size / 1048576.0, (double)bytes / 1048576.0);
	printf("%10s %7s %12s  %s\n", "PAGES", "RANGES", "SIZE", "FILE");
	for (i = 0; i < t->nfiles; i++) {
		const struct pf_trace_file *f = &t->files[i];

		printf("%10llu %7u %12llu  %s\n",
		       (unsigned long long)pf_trace_range_pages(f), f->nranges,
		       (unsigned long long)f->size, f->path);
		for (j = 0; ranges && j < f->nranges; j++)
			printf("%10s pages %u-%u (%u)\n", "", f->ranges[j].first,
			       f->ranges[j].first + f->ranges[j].count - 1,
			       f->ranges[j].count);
	}
}

int ctl_trace(int argc, char **argv)
{
	struct pf_trace t;
	const char *why = NULL, *path = NULL;
	int json = 0, ranges = 0, i;

	if (argc == 0 || strcmp(argv[0], "show") != 0) {
		fprintf(stderr, "usage: prefetchctl trace show [--json] [--ranges] TRACE\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--ranges") == 0)
			ranges = 1;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else {
			fprintf(stderr, "prefetchctl: trace show: unexpected '%s'\n", argv[i]);
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "usage: prefetchctl trace show [--json] [--ranges] TRACE\n");
		return 2;
	}
	if (pf_trace_load(path, &t, &why) == -1) {
		fprintf(stderr, "prefetchctl: trace: %s: %s\n", path,
		        why != NULL ? why : strerror(errno));
		pf_trace_free(&t);
		return 1;
	}
	if (json)
		show_json(&t);
	else
		show_text(path, &t, ranges);
	pf_trace_free(&t);
	return 0;
}

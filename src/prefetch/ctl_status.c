/* SPDX-License-Identifier: ISC */
/*
 * ctl_status.c: prefetchctl status: each file's resident pages, as text
 * (with sizes a person reads) or JSON, and with -v a page map as vmtouch
 * draws it. The daemon measures, and this process where the daemon
 * cannot; with --local or --range (the daemon measures whole files), or
 * when no daemon answers, everything is measured here (prefetchctl opens
 * the files itself in any case); not when a daemon answers but is
 * refused as untrusted.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

#define CTL_MAP_WIDTH 60
#define CTL_MAP_WINDOW 16384 /* pages per mincore call */

const char *ctl_human(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", v, units[u]);
	return buf;
}

/* One character per chunk of pages: 'O' all resident, 'o' some, ' '
 * none; '?' throughout when residency cannot be told here. map gets at
 * most CTL_MAP_WIDTH characters and a NUL. */
static void ctl_page_map(int fd, uint64_t first, uint64_t pages, int trusted,
                         char *map)
{
	size_t width = pages < CTL_MAP_WIDTH ? (size_t)pages : CTL_MAP_WIDTH, c;
	uint64_t counts[CTL_MAP_WIDTH] = { 0 }, sizes[CTL_MAP_WIDTH] = { 0 };
	int ok = trusted && width > 0;
#if HAVE_DECL_MINCORE
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	unsigned char vec[CTL_MAP_WINDOW];
	uint64_t at = 0;

	while (ok && at < pages) {
		uint64_t n = pages - at < CTL_MAP_WINDOW ? pages - at : CTL_MAP_WINDOW;
		void *addr = mmap(NULL, (size_t)n * page, PROT_NONE, MAP_SHARED, fd,
		                  (off_t)((first + at) * page));
		uint64_t i;

		if (addr == MAP_FAILED) {
			ok = 0;
			break;
		}
		if (mincore(addr, (size_t)n * page, (void *)vec) == -1)
			ok = 0;
		munmap(addr, (size_t)n * page);
		for (i = 0; ok && i < n; i++) {
			size_t k = (size_t)((at + i) * width / pages);

			counts[k] += vec[i] & 1;
			sizes[k]++;
		}
		at += n;
	}
#else
	(void)fd;
	(void)first;
	ok = 0;
#endif
	for (c = 0; c < width; c++) {
		if (!ok)
			map[c] = '?';
		else
			map[c] = counts[c] == 0 ? ' ' : counts[c] == sizes[c] ? 'O' : 'o';
	}
	map[width] = '\0';
}

/* The first page of fd the row measured: 0, or where the range starts. */
static uint64_t ctl_status_first(const struct ctl_status_out *o, int fd)
{
	uint64_t first = 0, count;
	struct stat st;

	if (o->range.set && fstat(fd, &st) == 0)
		ctl_range_pages(&o->range, (uint64_t)st.st_size, o->page, &first,
		                &count);
	return first;
}

void ctl_status_begin(struct ctl_status_out *o)
{
	long pg = sysconf(_SC_PAGESIZE);

	o->page = pg > 0 ? (uint64_t)pg : 4096;
	o->have = o->total = o->bytes = o->size = 0;
	o->files = 0;
	o->unknown = 0;
	if (o->json)
		printf("{\"files\": [");
	else
		printf("%10s %10s %17s %7s  %s\n", "RESIDENT", "PAGES", "SIZE",
		       "PERCENT", "FILE");
}

void ctl_status_row(struct ctl_status_out *o, const char *name, int fd,
                    const struct prefetch_residency *r)
{
	char map[CTL_MAP_WIDTH + 1] = "", hr[32], hs[32], both[80];
	uint64_t bytes = r->resident * o->page;

	if (bytes > r->size)
		bytes = r->size;
	if (o->verbose)
		ctl_page_map(fd, ctl_status_first(o, fd), r->pages, r->trusted, map);
	if (o->json) {
		printf("%s{\"file\": ", o->files + o->unknown > 0 ? ", " : "");
		ctl_json_string(name);
		printf(", \"size\": %llu, \"pages\": %llu, ",
		       (unsigned long long)r->size, (unsigned long long)r->pages);
		if (r->trusted)
			printf("\"resident\": %llu, \"resident_bytes\": %llu",
			       (unsigned long long)r->resident,
			       (unsigned long long)bytes);
		else
			printf("\"resident\": null, \"resident_bytes\": null");
		if (o->verbose) {
			printf(", \"map\": ");
			ctl_json_string(map);
		}
		putchar('}');
	} else if (!r->trusted) {
		snprintf(both, sizeof both, "?/%s", ctl_human(r->size, hs, sizeof hs));
		printf("%10s %10llu %17s %7s  %s\n", "?",
		       (unsigned long long)r->pages, both, "?", name);
	} else {
		char pct[16];

		if (r->pages > 0)
			snprintf(pct, sizeof pct, "%6.1f%%",
			         100.0 * (double)r->resident / (double)r->pages);
		else
			snprintf(pct, sizeof pct, "%7s", "-"); /* an empty file */
		snprintf(both, sizeof both, "%s/%s", ctl_human(bytes, hr, sizeof hr),
		         ctl_human(r->size, hs, sizeof hs));
		printf("%10llu %10llu %17s %s  %s\n",
		       (unsigned long long)r->resident, (unsigned long long)r->pages,
		       both, pct, name);
	}
	if (o->verbose && !o->json)
		printf("  [%s]\n", map);
	if (r->trusted) {
		o->have += r->resident;
		o->total += r->pages;
		o->bytes += bytes;
		o->size += r->size;
		o->files++;
	} else {
		o->unknown++;
	}
}

void ctl_status_end(struct ctl_status_out *o)
{
	char hr[32], hs[32], both[80], pct[16];

	if (o->total > 0)
		snprintf(pct, sizeof pct, "%6.1f%%",
		         100.0 * (double)o->have / (double)o->total);
	else
		snprintf(pct, sizeof pct, "%7s", "-"); /* no page: no percentage */
	if (o->json) {
		printf("], \"total\": {\"files\": %llu, \"unknown\": %llu, "
		       "\"size\": %llu, \"pages\": %llu, \"resident\": %llu, "
		       "\"resident_bytes\": %llu}}\n",
		       (unsigned long long)o->files, (unsigned long long)o->unknown,
		       (unsigned long long)o->size, (unsigned long long)o->total,
		       (unsigned long long)o->have, (unsigned long long)o->bytes);
		return;
	}
	snprintf(both, sizeof both, "%s/%s", ctl_human(o->bytes, hr, sizeof hr),
	         ctl_human(o->size, hs, sizeof hs));
	printf("%10llu %10llu %17s %s  total (%llu file%s)\n",
	       (unsigned long long)o->have, (unsigned long long)o->total, both,
	       pct, (unsigned long long)o->files, o->files == 1 ? "" : "s");
}

/* Every file (or its range) measured here. */
static int ctl_status_local(struct ctl_status_out *o, int argc, char **argv)
{
	int rc = 0, i;

	for (i = 0; i < argc; i++) {
		struct prefetch_residency r;
		int fd = ctl_open(argv[i]);

		if (fd == -1) {
			rc = 1;
			continue;
		}
		if (ctl_range_residency(fd, &o->range, &r) == -1) {
			fprintf(stderr, "prefetchctl: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else {
			ctl_status_row(o, argv[i], fd, &r);
		}
		close(fd);
	}
	return rc;
}

int ctl_status(const struct ctl *ctl, int argc, char **argv)
{
	struct ctl_status_out o;
	int local = 0, rc;

	memset(&o, 0, sizeof o);
	while (argc > 0 && argv[0][0] == '-' && argv[0][1] != '\0') {
		int used = ctl_range_option(&argc, &argv, &o.range);

		if (used != 0) {
			if (used == -1)
				return 2;
			continue;
		}
		if (strcmp(argv[0], "--local") == 0)
			local = 1;
		else if (strcmp(argv[0], "--json") == 0)
			o.json = 1;
		else if (strcmp(argv[0], "-v") == 0 || strcmp(argv[0], "--verbose") == 0)
			o.verbose = 1;
		else if (strcmp(argv[0], "--") == 0) {
			argc--, argv++;
			break;
		} else {
			fprintf(stderr, "prefetchctl: status: unknown option '%s'\n",
			        argv[0]);
			return 2;
		}
		argc--, argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "prefetchctl: status: no files\n");
		return 2;
	}
	/* The daemon measures whole files: a range is measured here. */
	if (!local && !o.range.set) {
		rc = ctl_status_daemon(ctl, &o, argc, argv);
		/* A daemon refused as untrusted is a mistake to see, not to hide. */
		if (rc != 3 || errno == EPERM)
			return rc;
		fprintf(stderr, "prefetchctl: status: measuring here instead\n");
	}
	ctl_status_begin(&o);
	rc = ctl_status_local(&o, argc, argv);
	ctl_status_end(&o);
	return rc;
}

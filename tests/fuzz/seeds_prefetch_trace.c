/* SPDX-License-Identifier: ISC */
/*
 * seeds_prefetch_trace.c: writes the seed corpus of fuzz_prefetch_trace
 * into the directory named on its command line, every seed made by
 * pf_trace_encode: an empty trace, one file without ranges, a few files
 * with several ranges, a file whose last range ends at its last page, and
 * one cut inside a file record.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "trace.h"
#include "seedio.h"

static unsigned char buf[1 << 16];

static struct pf_trace_file *file(struct pf_trace *t, const char *path,
                                  uint64_t size)
{
	struct pf_trace_file *f = pf_trace_add_file(t, path);

	if (f != NULL) {
		f->size = size;
		f->dev = 0xfe00;
		f->ino = 247230;
		f->mtime_sec = 1672924848;
		f->mtime_nsec = 123456789;
	}
	return f;
}

static void put(const char *name, struct pf_trace *t, size_t cut)
{
	long n = pf_trace_encode(t, buf, sizeof buf);

	if (n > 0 && cut > 0 && (size_t)n > cut)
		n = (long)cut;
	seed_put(name, buf, n);
	pf_trace_free(t);
}

int main(int argc, char **argv)
{
	struct pf_trace t;
	struct pf_trace_file *f;

	if (seed_begin(argc, argv) == -1)
		return 2;
	pf_trace_init(&t, 4096);
	put("empty", &t, 0);

	pf_trace_init(&t, 4096);
	file(&t, "/usr/bin/dash", 125640);
	put("no-ranges", &t, 0);

	pf_trace_init(&t, 4096);
	f = file(&t, "/usr/lib/x86_64-linux-gnu/libc.so.6", 2125328);
	if (f != NULL) {
		pf_trace_add_range(f, 0, 40);
		pf_trace_add_range(f, 100, 3);
		pf_trace_add_range(f, 400, 119);
	}
	f = file(&t, "/usr/lib/python3.11/json/__init__.py", 14023);
	if (f != NULL)
		pf_trace_add_range(f, 0, 4);
	f = file(&t, "/var/lib/db/big.db", (uint64_t)1 << 33);
	if (f != NULL) {
		pf_trace_add_range(f, 7, 1);
		pf_trace_add_range(f, 1u << 20, 256);
	}
	put("three-files", &t, 0);

	pf_trace_init(&t, 65536);
	f = file(&t, "/a", 65536 * 3 + 1);
	if (f != NULL)
		pf_trace_add_range(f, 1, 3);
	put("last-page-64k", &t, 0);

	pf_trace_init(&t, 4096);
	f = file(&t, "/usr/bin/python3", 6000000);
	if (f != NULL)
		pf_trace_add_range(f, 10, 20);
	put("cut", &t, 40);
	return seed_end();
}

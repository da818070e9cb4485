/* SPDX-License-Identifier: ISC */
/*
 * fuzz_prefetch_trace.c: feeds bytes to the prefetch trace decoder, with
 * and without its checksum (so that mutations reach the rest of it).
 * Whatever decodes must re-encode to the same bytes and hold only ranges
 * inside its files. Built with libFuzzer (-DPF_LIBFUZZER
 * -fsanitize=fuzzer) it is a fuzz target; otherwise its main decodes the
 * files named on the command line, or a few thousand random and mutated
 * valid traces, and fails on any inconsistency.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, int flags)
{
	struct pf_trace t;
	const char *why = NULL;

	if (pf_trace_decode(data, size, flags, &t, &why) == 0) {
		unsigned char *again = malloc(size);
		uint32_t i, j;
		long n;

		if (again == NULL)
			abort();
		n = pf_trace_encode(&t, again, size);
		/* The same bytes but the checksum, which NO_CRC did not check. */
		if (n != (long)size || memcmp(again, data, size - 4) != 0)
			abort();
		if (!(flags & PF_TRACE_NO_CRC) && memcmp(again, data, size) != 0)
			abort();
		for (i = 0; i < t.nfiles; i++)
			for (j = 0; j < t.files[i].nranges; j++)
				if ((uint64_t)t.files[i].ranges[j].first +
				    t.files[i].ranges[j].count > pf_trace_file_pages(&t, &t.files[i]))
					abort();
		free(again);
	} else if (why == NULL) {
		abort(); /* every refusal says why */
	}
	pf_trace_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, 0);
	check(data, size, PF_TRACE_NO_CRC);
	return 0;
}

#ifndef PF_LIBFUZZER
/* A valid trace of a few files with random ranges: its length. */
static long make_valid(unsigned char *buf, size_t cap)
{
	struct pf_trace t;
	unsigned nfiles = (unsigned)rand() % 5, i;
	long n;

	pf_trace_init(&t, 4096);
	for (i = 0; i < nfiles; i++) {
		struct pf_trace_file *f = pf_trace_add_file(&t, i % 2 ? "/usr/lib/x.so" :
		                                            "/var/lib/db/big.db");
		uint32_t page = 0;

		if (f == NULL)
			abort();
		f->size = (uint64_t)(rand() % 4096) * 4096 + (uint64_t)(rand() % 4096);
		f->dev = 0x801;
		f->ino = (uint64_t)rand();
		f->mtime_sec = rand();
		f->mtime_nsec = (uint32_t)rand() % 1000000000u;
		while (rand() % 4 != 0) {
			uint32_t pages = (uint32_t)pf_trace_file_pages(&t, f);
			uint32_t gap = 1 + (uint32_t)rand() % 64, len = 1 + (uint32_t)rand() % 64;

			if (page + gap + len > pages)
				break;
			page += gap;
			pf_trace_add_range(f, page, len);
			page += len;
		}
	}
	n = pf_trace_encode(&t, buf, cap);
	pf_trace_free(&t);
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	unsigned i;
	int a;

	for (a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		size_t n;

		if (f == NULL) {
			perror(argv[a]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	if (argc > 1)
		return 0;
	srand(4242);
	for (i = 0; i < 5000; i++) {
		long n = make_valid(buf, sizeof buf);
		size_t len, flips;

		if (n < 0)
			abort();
		len = (size_t)n;
		switch (i % 4) {
		case 0:   /* as made: must decode */
			{
				struct pf_trace t;

				if (pf_trace_decode(buf, len, 0, &t, NULL) != 0)
					abort();
				pf_trace_free(&t);
			}
			break;
		case 1:   /* cut short */
			len = (size_t)rand() % (len + 1);
			break;
		case 2:   /* bytes changed */
			flips = 1 + (size_t)rand() % 8;
			while (flips-- > 0)
				buf[(size_t)rand() % len] = (uint8_t)rand();
			break;
		default:  /* random tail */
			flips = (size_t)rand() % 64;
			while (flips-- > 0 && len < sizeof buf)
				buf[len++] = (uint8_t)rand();
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	return 0;
}
#endif

/* SPDX-License-Identifier: ISC */
/*
 * fuzz_prefetch_protocol.c: feeds bytes to the prefetch decoders as a
 * stream of frames, as requests and as replies. Built with libFuzzer
 * (-DPF_LIBFUZZER -fsanitize=fuzzer) it is a fuzz target; otherwise its
 * main decodes the files named on the command line, or a few thousand
 * random and mutated inputs, and fails on any inconsistency.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A decoded WARM_FDS holds exactly one good entry per descriptor, within
 * the frame. */
static void check_warm_files(const struct pf_request *req)
{
	struct pf_reader r;
	unsigned i;

	if (req->hdr.nfds < 1 || req->hdr.nfds > PF_WARM_MAX_FILES)
		abort();
	pf_reader_init(&r, req->files, req->fileslen);
	for (i = 0; i < req->hdr.nfds; i++) {
		struct pf_warm_file f;

		pf_get_warm_file(&r, &f);
		if (r.err != 0 || f.namelen > PF_MAX_STRING)
			abort();
	}
	if (pf_reader_done(&r) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;

	while (at < size) {
		struct pf_header hdr;
		struct pf_request req;
		struct pf_reader r;
		uint32_t status;
		int whole = pf_frame_peek(data + at, size - at, PF_MAX_FRAME, &hdr);

		if (whole <= 0)
			break;
		if (hdr.len < PF_HDR_SIZE || hdr.len > size - at)
			abort(); /* peek promised a whole frame */
		if (pf_request_decode(data + at, hdr.len, &req) == 0) {
			uint8_t again[PF_MAX_FRAME];
			long n = pf_request_encode(&req, again, sizeof again);

			/* What decodes re-encodes to the same bytes. */
			if (n != (long)hdr.len || memcmp(again, data + at, hdr.len) != 0)
				abort();
			if (req.hdr.cmd == PF_WARM_FDS)
				check_warm_files(&req);
		}
		if (pf_reply_decode(data + at, hdr.len, &hdr, &status, &r) == 0) {
			while (r.err == 0 && r.pos < r.len) {
				size_t len;

				pf_get_str(&r, &len, PF_MAX_STRING);
				pf_get_u64(&r);
			}
		}
		at += hdr.len;
	}
	return 0;
}

#ifndef PF_LIBFUZZER
static size_t seed_frame(uint8_t *buf, size_t cap, unsigned cmd)
{
	uint8_t files[64];
	struct pf_writer fw;
	struct pf_request req;
	long n;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = (uint16_t)cmd;
	req.str = "/var/lib/x";
	req.strlen = 10;
	/* WARM_FDS: two files, one named. */
	pf_writer_init(&fw, files, sizeof files);
	pf_put_warm_file(&fw, "/x", 2, 0, 0);
	pf_put_warm_file(&fw, "", 0, 4096, 8192);
	req.hdr.nfds = cmd == PF_WARM_FDS ? 2 : 0;
	req.files = files;
	req.fileslen = fw.len;
	n = pf_request_encode(&req, buf, cap);
	return n > 0 ? (size_t)n : 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[4 * PF_MAX_FRAME];
	unsigned i, seed = 12345;
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
	srand(seed);
	for (i = 0; i < 5000; i++) {
		size_t n = 0, k, flips;

		/* A few valid frames back to back, then some bytes changed. */
		while (n < 512 && rand() % 4 != 0)
			n += seed_frame(buf + n, sizeof buf - n,
			                1 + (unsigned)rand() % PF_CMD_LAST);
		k = (size_t)rand() % 64;
		while (k-- > 0 && n < sizeof buf)
			buf[n++] = (uint8_t)rand();
		flips = i % 3 == 0 ? 0 : (size_t)rand() % 8;
		while (flips-- > 0 && n > 0)
			buf[(size_t)rand() % n] = (uint8_t)rand();
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif

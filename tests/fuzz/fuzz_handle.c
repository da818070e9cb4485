/* SPDX-License-Identifier: ISC */
/*
 * fuzz_handle.c: feeds bytes to the handle message decoder. Built with
 * -DGFD_LIBFUZZER it is a libFuzzer target; otherwise main() decodes the
 * files named on the command line, or, with none, a few thousand random
 * and mutated-valid inputs (make check). A decoded handle must re-encode
 * to the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "handoff_handle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char again[GFD_HANDLE_MAX];
	struct gfd_handle h;
	size_t need;

	if (size < GFD_HANDLE_FIXED || gfd_handle_decode_fixed(data, &h) == -1)
		return 0;
	if (h.nfds > GFD_HANDLE_MAX_FDS)
		abort();
	need = gfd_handle_size(&h);
	if (size < need || gfd_handle_decode_fds(data + GFD_HANDLE_FIXED, &h) == -1)
		return 0;
	if (gfd_handle_encode(&h, again, sizeof again) != (ssize_t)need ||
	    memcmp(again, data, need) != 0)
		abort();
	return 0;
}

#ifndef GFD_LIBFUZZER
static int run_file(const char *path)
{
	static unsigned char data[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	n = fread(data, 1, sizeof data, f);
	fclose(f);
	return LLVMFuzzerTestOneInput(data, n);
}

int main(int argc, char **argv)
{
	unsigned char data[GFD_HANDLE_MAX + 8];
	struct gfd_handle h;
	int i, round;
	size_t k;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run_file(argv[i]) != 0)
				return 1;
		return 0;
	}
	srand(1);
	for (round = 0; round < 5000; round++) {
		size_t size = (size_t)rand() % sizeof data;

		memset(&h, 0, sizeof h);
		h.backend = 1 + (unsigned)(round & 1);
		h.sender_pid = 1 + (uint32_t)rand();
		/* Every fourth round the sender holds the offer itself. */
		h.holder_pid = round % 4 == 1 ? h.sender_pid : h.sender_pid + 1;
		for (k = 0; k < GFD_SECRET_LEN; k++)
			h.secret[k] = (unsigned char)(1 + rand() % 255);
		h.proof_fd = rand() % 1024;
		h.answer_fd = h.backend == GFD_HANDLE_PIDFD ? h.proof_fd : rand() % 1024;
		h.payload_len = (uint32_t)rand() % 100;
		h.nfds = 1 + (size_t)rand() % GFD_HANDLE_MAX_FDS;
		for (k = 0; k < h.nfds; k++)
			h.fds[k] = rand() % 1024;
		if (round % 3 == 0) {
			for (k = 0; k < size; k++)
				data[k] = (unsigned char)rand();
		} else {
			size = (size_t)gfd_handle_encode(&h, data, sizeof data);
			/* Flip a few bytes of a valid message. */
			for (k = 0; k < (size_t)(round % 4); k++)
				data[(size_t)rand() % size] ^= (unsigned char)(1 + rand() % 255);
		}
		LLVMFuzzerTestOneInput(data, size);
	}
	return 0;
}
#endif

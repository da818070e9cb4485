/* SPDX-License-Identifier: ISC */
/*
 * fuzz_forkserver_protocol.c: feeds bytes to the fork-server decoders as a
 * stream of frames. Built with libFuzzer (-DFSP_LIBFUZZER
 * -fsanitize=fuzzer) it is a fuzz target; otherwise its main decodes the
 * files named on the command line, or a few thousand random and mutated
 * inputs, and fails on any inconsistency: whatever decodes must encode
 * back to the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* again: the frame encoded back, its header's flags still to be set. */
static void same(const uint8_t *frame, size_t len, uint8_t *again, long n)
{
	if (n > 0)
		fsp_header_set_flags(again, (uint16_t)(frame[2] << 8 | frame[3]));
	if (n != (long)len || memcmp(frame, again, len) != 0)
		abort();
}

static void check_body(const struct fsp_header *h, const uint8_t *frame)
{
	static uint8_t again[FSP_HDR_SIZE + FSP_MAX_BODY];
	static struct fsp_run run;
	const uint8_t *body = frame + FSP_HDR_SIZE;
	size_t len = FSP_HDR_SIZE + h->len;
	struct fsp_hello hello;
	struct fsp_want want;
	struct fsp_exited ex;
	struct fsp_signal sg;
	struct fsp_error er;
	uint32_t pid;
	unsigned v;

	/* Replies other than HELLO and WANT keep the id; RUN its nfds. */
	switch (h->type) {
	case FSP_HELLO:
		if (fsp_hello_decode(body, h->len, &hello) == 0 && h->id == 0)
			same(frame, len, again, fsp_hello_encode(&hello, again, sizeof again));
		break;
	case FSP_WANT:
		if (fsp_want_decode(body, h->len, &want) == 0 && h->id == 0)
			same(frame, len, again, fsp_want_encode(&want, again, sizeof again));
		break;
	case FSP_RUN:
		/* Either version's decoder, each encoding back the same. */
		for (v = FSP_VERSION_MIN; v <= FSP_VERSION; v++)
			if (fsp_run_decode(body, h->len, v, &run) == 0 &&
			    FSP_RUN_NFDS(&run) == h->nfds)
				same(frame, len, again, fsp_run_encode(h->id, v, &run,
				     again, sizeof again));
		break;
	case FSP_STARTED:
		if (fsp_started_decode(body, h->len, &pid) == 0)
			same(frame, len, again, fsp_started_encode(h->id, pid, again, sizeof again));
		break;
	case FSP_EXITED:
		if (fsp_exited_decode(body, h->len, &ex) == 0)
			same(frame, len, again, fsp_exited_encode(h->id, &ex, again, sizeof again));
		break;
	case FSP_SIGNAL:
		if (fsp_signal_decode(body, h->len, &sg) == 0)
			same(frame, len, again, fsp_signal_encode(h->id, &sg, again, sizeof again));
		break;
	case FSP_ERROR:
		if (fsp_error_decode(body, h->len, &er) == 0)
			same(frame, len, again, fsp_error_encode(h->id, &er, again, sizeof again));
		break;
	default:
		abort(); /* the header decoder let an unknown type through */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;

	while (size - at >= FSP_HDR_SIZE) {
		struct fsp_header h;

		if (fsp_header_decode(data + at, size - at, &h) == -1)
			break;
		if (h.len > FSP_MAX_BODY || h.nfds > FSP_MAX_FDS)
			abort();
		if (h.len > size - at - FSP_HDR_SIZE)
			break;
		check_body(&h, data + at);
		at += FSP_HDR_SIZE + h.len;
	}
	return 0;
}

#ifndef FSP_LIBFUZZER
static size_t seed_frame(uint8_t *buf, size_t cap, unsigned type)
{
	static const struct fsp_hello hello = { FSP_MAGIC, 1, 1, 0, 16, 64 };
	static const struct fsp_want want = { FSP_MAGIC, 1, 0 };
	static const struct fsp_exited ex = { 0x100, 0 };
	static const struct fsp_signal sg = { 9, 1 };
	static struct fsp_run run;
	struct fsp_error er;
	long n = -1;

	er.err = 2;
	er.msg = "gone";
	er.msglen = 4;
	run.timeout_ms = 5;
	run.ntargets = 3;
	run.targets[2] = 7;
	run.nargs = 1;
	run.args[0] = "arg";
	run.arglen[0] = 3;
	run.runflags = 0;
	run.nenv = 0;
	if (rand() % 2 == 0) {          /* version 2: directory, environment */
		run.runflags = FSP_RUNF_CWD;
		run.nenv = 1;
		run.env[0] = "K=v";
		run.envlen[0] = 3;
	}
	switch (type) {
	case FSP_HELLO: n = fsp_hello_encode(&hello, buf, cap); break;
	case FSP_WANT: n = fsp_want_encode(&want, buf, cap); break;
	case FSP_RUN:
		n = fsp_run_encode(4, run.nenv > 0 ? 2 : 1, &run, buf, cap);
		break;
	case FSP_STARTED: n = fsp_started_encode(4, 99, buf, cap); break;
	case FSP_EXITED: n = fsp_exited_encode(4, &ex, buf, cap); break;
	case FSP_SIGNAL: n = fsp_signal_encode(4, &sg, buf, cap); break;
	default: n = fsp_error_encode(4, &er, buf, cap); break;
	}
	/* FSP_RUN_QUIET, FSP_ERROR_RUN: the one flag these types have. */
	if (n > 0 && (type == FSP_RUN || type == FSP_ERROR) && rand() % 2 == 0)
		fsp_header_set_flags(buf, 1);
	return n > 0 ? (size_t)n : 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[4 * FSP_MAX_BODY];
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
	for (i = 0; i < 20000; i++) {
		size_t n = 0, k, flips;

		while (n < 512 && rand() % 4 != 0)
			n += seed_frame(buf + n, sizeof buf - n,
			                1 + (unsigned)rand() % FSP_TYPE_LAST);
		k = (size_t)rand() % 32;
		while (k-- > 0 && n < sizeof buf)
			buf[n++] = (uint8_t)rand();
		flips = i % 3 == 0 ? 0 : (size_t)rand() % 6;
		while (flips-- > 0 && n > 0)
			buf[(size_t)rand() % n] = (uint8_t)rand();
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif

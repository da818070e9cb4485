/* SPDX-License-Identifier: ISC */
/*
 * seeds_forkserver_protocol.c: writes the seed corpus of
 * fuzz_forkserver_protocol into the directory named on its command line:
 * one frame of each type made by the codec's encoders, a RUN with
 * descriptors and arguments, a quiet one and a version 2 one (working
 * directory and environment), a handshake followed by
 * requests as a client sends them, and a stream that stops inside a frame.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "protocol.h"
#include "seedio.h"

static uint8_t frame[FSP_HDR_SIZE + FSP_MAX_BODY];

static long run_frame(uint8_t *buf, size_t cap, uint32_t id, int quiet,
                      unsigned version)
{
	static struct fsp_run run;
	long n;

	memset(&run, 0, sizeof run);
	run.timeout_ms = 2000;
	run.ntargets = 3;
	run.targets[0] = 0;
	run.targets[1] = 1;
	run.targets[2] = 2;
	run.nargs = 2;
	run.args[0] = "exit";
	run.arglen[0] = 4;
	run.args[1] = "42";
	run.arglen[1] = 2;
	if (version >= 2) {             /* the caller's directory, a variable */
		run.runflags = FSP_RUNF_CWD;
		run.nenv = 1;
		run.env[0] = "LANG=C";
		run.envlen[0] = 6;
	}
	n = fsp_run_encode(id, version, &run, buf, cap);
	if (n > 0 && quiet)
		fsp_header_set_flags(buf, FSP_RUN_QUIET);
	return n;
}

/* A client's side of a connection: WANT, two RUNs, a SIGNAL. */
static long session(uint8_t *buf, size_t cap)
{
	static const struct fsp_want want = { FSP_MAGIC, FSP_VERSION, FSP_FEATURE_QUIET };
	static const struct fsp_signal sig = { 15, FSP_SIGNAL_GROUP };
	long at = 0, n;

	if ((n = fsp_want_encode(&want, buf, cap)) < 0)
		return -1;
	at += n;
	if ((n = run_frame(buf + at, cap - (size_t)at, 1, 0, FSP_VERSION)) < 0)
		return -1;
	at += n;
	if ((n = run_frame(buf + at, cap - (size_t)at, 2, 1, FSP_VERSION)) < 0)
		return -1;
	at += n;
	if ((n = fsp_signal_encode(1, &sig, buf + at, cap - (size_t)at)) < 0)
		return -1;
	return at + n;
}

int main(int argc, char **argv)
{
	static const struct fsp_hello hello = { FSP_MAGIC, FSP_VERSION, FSP_VERSION,
	                                        FSP_FEATURE_QUIET, 16, FSP_MAX_FDS };
	static const struct fsp_want want = { FSP_MAGIC, FSP_VERSION, 0 };
	static const struct fsp_exited exited = { 0x2a00, 0 };
	static const struct fsp_exited timedout = { 9, FSP_EXIT_TIMEDOUT };
	static const struct fsp_signal sig = { 9, 0 };
	struct fsp_error err;
	long n;

	if (seed_begin(argc, argv) == -1)
		return 2;
	seed_put("hello", frame, fsp_hello_encode(&hello, frame, sizeof frame));
	seed_put("want", frame, fsp_want_encode(&want, frame, sizeof frame));
	seed_put("run", frame, run_frame(frame, sizeof frame, 7, 0, 1));
	seed_put("run-quiet", frame, run_frame(frame, sizeof frame, 8, 1, 1));
	seed_put("run-v2", frame, run_frame(frame, sizeof frame, 9, 0, 2));
	seed_put("started", frame, fsp_started_encode(7, 31337, frame, sizeof frame));
	seed_put("exited", frame, fsp_exited_encode(7, &exited, frame, sizeof frame));
	seed_put("exited-timeout", frame,
	         fsp_exited_encode(7, &timedout, frame, sizeof frame));
	seed_put("signal", frame, fsp_signal_encode(7, &sig, frame, sizeof frame));
	err.err = 16;
	err.msg = "too many connections";
	err.msglen = (uint16_t)strlen(err.msg);
	n = fsp_error_encode(0, &err, frame, sizeof frame);
	seed_put("error", frame, n);
	if (n > 0)
		fsp_header_set_flags(frame, FSP_ERROR_RUN);
	seed_put("error-run", frame, n);
	n = session(frame, sizeof frame);
	seed_put("session", frame, n);
	seed_put("session-cut", frame, n > 5 ? n - 5 : n);
	return seed_end();
}

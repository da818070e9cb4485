/* SPDX-License-Identifier: ISC */
/*
 * test_forkserver_protocol.c: the fork-server codec. Exact bytes on the
 * wire (big-endian whatever the host), every frame round-trips, and bad
 * headers and bodies are refused with the documented errno.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "protocol.h"
#include "server.h"
#include "testutil.h"

static void test_run_bytes(void **state)
{
	static const uint8_t want[] = {
		FSP_RUN, 2, 0, 0,       /* type, two descriptors, flags */
		0x01, 0x02, 0x03, 0x04, /* id */
		0, 0, 0, 19,            /* body length */
		0, 0, 0x03, 0xe8,       /* timeout 1000 ms */
		0, 2,                   /* two targets */
		0, 0, 0, 0,
		0, 0, 0x01, 0x00,       /* 0 and 256 */
		0, 1, 0, 1, 'x',        /* one argument "x" */
	};
	struct fsp_header h;
	struct fsp_run run, got;
	uint8_t buf[128];

	(void)state;
	memset(&run, 0, sizeof run);
	run.timeout_ms = 1000;
	run.ntargets = 2;
	run.targets[0] = 0;
	run.targets[1] = 256;
	run.nargs = 1;
	run.args[0] = "x";
	run.arglen[0] = 1;
	assert_int_equal(fsp_run_encode(0x01020304, 1, &run, buf, sizeof buf),
	                 sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(fsp_header_decode(buf, FSP_HDR_SIZE, &h), 0);
	assert_int_equal(h.type, FSP_RUN);
	assert_int_equal(h.nfds, 2);
	assert_int_equal(h.id, 0x01020304);
	assert_int_equal(h.len, 19);
	assert_int_equal(fsp_run_decode(buf + FSP_HDR_SIZE, h.len, 1, &got), 0);
	assert_int_equal(got.timeout_ms, 1000);
	assert_int_equal(got.ntargets, 2);
	assert_int_equal(got.targets[1], 256);
	assert_int_equal(got.nargs, 1);
	assert_int_equal(got.arglen[0], 1);
	assert_memory_equal(got.args[0], "x", 1);
	/* Too small a buffer: EMSGSIZE, at every size. */
	assert_int_equal(fsp_run_encode(1, 1, &run, buf, sizeof want - 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(fsp_run_encode(1, FSP_VERSION, &run, buf, 3), -1);
	assert_int_equal(errno, EMSGSIZE);
}

/* Version 2: the flags and the environment after the arguments, the
 * working directory one more descriptor. */
static void test_run_v2_bytes(void **state)
{
	static const uint8_t want[] = {
		FSP_RUN, 2, 0, 0,       /* type, target and directory, flags */
		0, 0, 0, 9,             /* id */
		0, 0, 0, 24,            /* body length */
		0, 0, 0, 0,             /* no deadline */
		0, 1, 0, 0, 0, 1,       /* one target: 1 */
		0, 0,                   /* no argument */
		0, 1,                   /* FSP_RUNF_CWD */
		0, 1, 0, 6, 'A', '=', 'b', '=', 'c', 'd',
	};
	static const uint8_t no_name[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, '=', 'x',
	};
	static const uint8_t no_eq[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'x',
	};
	static const uint8_t bad_flag[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0,
	};
	static const uint8_t both_dirs[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0,
	};
	static const uint8_t same_dir[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0,
	};
	struct fsp_header h;
	struct fsp_run run, got;
	uint8_t buf[128];

	(void)state;
	memset(&run, 0, sizeof run);
	run.ntargets = 1;
	run.targets[0] = 1;
	run.runflags = FSP_RUNF_CWD;
	run.nenv = 1;
	run.env[0] = "A=b=cd";
	run.envlen[0] = 6;
	assert_int_equal(fsp_run_encode(9, 2, &run, buf, sizeof buf), sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(fsp_header_decode(buf, FSP_HDR_SIZE, &h), 0);
	assert_int_equal(h.nfds, 2);
	assert_int_equal(fsp_run_decode(buf + FSP_HDR_SIZE, h.len, 2, &got), 0);
	assert_int_equal(got.runflags, FSP_RUNF_CWD);
	assert_int_equal(FSP_RUN_NFDS(&got), 2);
	assert_int_equal(got.nenv, 1);
	assert_memory_equal(got.env[0], "A=b=cd", 6);
	/* The same body is too long for version 1, and version 1 carries
	 * neither the directory nor the environment. */
	assert_int_equal(fsp_run_decode(buf + FSP_HDR_SIZE, h.len, 1, &got), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_encode(9, 1, &run, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fsp_run_encode(9, 3, &run, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	/* Entries need a name and an '='; unknown flags are refused. */
	assert_int_equal(fsp_run_decode(no_name, sizeof no_name, 2, &got), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_decode(no_eq, sizeof no_eq, 2, &got), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_decode(bad_flag, sizeof bad_flag, 2, &got), -1);
	assert_int_equal(errno, EBADMSG);
	/* The directory kept carries no descriptor; it and one sent, both,
	 * make no sense. */
	assert_int_equal(fsp_run_decode(same_dir, sizeof same_dir, 2, &got), 0);
	assert_int_equal(got.runflags, FSP_RUNF_SAME_CWD);
	assert_int_equal(FSP_RUN_NFDS(&got), 0);
	assert_int_equal(fsp_run_decode(both_dirs, sizeof both_dirs, 2, &got), -1);
	assert_int_equal(errno, EBADMSG);
	got.runflags = FSP_RUNF_CWD | FSP_RUNF_SAME_CWD;
	assert_int_equal(fsp_run_encode(9, 2, &got, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	run.env[0] = "=x";
	run.envlen[0] = 2;
	assert_int_equal(fsp_run_encode(9, 2, &run, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	/* 64 targets leave no room for the directory. */
	run.nenv = 0;
	run.ntargets = FSP_MAX_FDS;
	assert_int_equal(fsp_run_encode(9, 2, &run, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_replies_round_trip(void **state)
{
	uint8_t buf[512];
	struct fsp_header h;
	struct fsp_hello hello = { FSP_MAGIC, 1, 1, 0, 16, 64 }, hello2;
	struct fsp_want want = { FSP_MAGIC, 1, 0 }, want2;
	struct fsp_exited ex = { 0x8b, FSP_EXIT_TIMEDOUT }, ex2;
	struct fsp_signal sg = { 15, FSP_SIGNAL_GROUP }, sg2;
	struct fsp_error er, er2;
	uint32_t pid;
	long n;

	(void)state;
	n = fsp_hello_encode(&hello, buf, sizeof buf);
	assert_int_equal(n, FSP_HDR_SIZE + 20);
	assert_int_equal(buf[12], 0x46);
	assert_int_equal(buf[15], 0x56);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(fsp_hello_decode(buf + FSP_HDR_SIZE, h.len, &hello2), 0);
	assert_int_equal(hello2.max_children, 16);
	assert_int_equal(hello2.max_fds, 64);

	n = fsp_want_encode(&want, buf, sizeof buf);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(h.type, FSP_WANT);
	assert_int_equal(fsp_want_decode(buf + FSP_HDR_SIZE, h.len, &want2), 0);
	assert_int_equal(want2.version, 1);

	n = fsp_started_encode(7, 12345, buf, sizeof buf);
	assert_int_equal(n, FSP_HDR_SIZE + 4);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(h.id, 7);
	assert_int_equal(fsp_started_decode(buf + FSP_HDR_SIZE, h.len, &pid), 0);
	assert_int_equal(pid, 12345);
	assert_int_equal(fsp_started_encode(7, 0, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);

	n = fsp_exited_encode(9, &ex, buf, sizeof buf);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(fsp_exited_decode(buf + FSP_HDR_SIZE, h.len, &ex2), 0);
	assert_int_equal(ex2.status, 0x8b);
	assert_int_equal(ex2.flags, FSP_EXIT_TIMEDOUT);

	n = fsp_signal_encode(9, &sg, buf, sizeof buf);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(fsp_signal_decode(buf + FSP_HDR_SIZE, h.len, &sg2), 0);
	assert_int_equal(sg2.signo, 15);
	assert_int_equal(sg2.flags, FSP_SIGNAL_GROUP);

	er.err = ESRCH;
	er.msg = "no such child";
	er.msglen = 13;
	n = fsp_error_encode(3, &er, buf, sizeof buf);
	assert_int_equal(n, FSP_HDR_SIZE + 4 + 2 + 13);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, &h), 0);
	assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &er2), 0);
	assert_int_equal(er2.err, ESRCH);
	assert_int_equal(er2.msglen, 13);
	assert_memory_equal(er2.msg, "no such child", 13);
}

static void test_bad_headers(void **state)
{
	uint8_t hdr[FSP_HDR_SIZE] = { FSP_STARTED, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4 };
	struct fsp_header h;

	(void)state;
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), 0);
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr - 1, &h), -1);
	assert_int_equal(errno, EBADMSG);
	hdr[0] = 0;
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EBADMSG);
	hdr[0] = FSP_TYPE_LAST + 1;
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EBADMSG);
	hdr[0] = FSP_STARTED;
	hdr[3] = 1;                     /* a flag STARTED does not have */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EBADMSG);
	hdr[0] = FSP_RUN;               /* FSP_RUN_QUIET */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), 0);
	assert_int_equal(h.flags, FSP_RUN_QUIET);
	hdr[0] = FSP_ERROR;             /* FSP_ERROR_RUN */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), 0);
	assert_int_equal(h.flags, FSP_ERROR_RUN);
	hdr[3] = 2;                     /* reserved everywhere */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EBADMSG);
	hdr[3] = 0;
	hdr[2] = 0x80;
	hdr[0] = FSP_RUN;
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EBADMSG);
	fsp_header_set_flags(hdr, FSP_RUN_QUIET);
	assert_int_equal(hdr[2], 0);
	assert_int_equal(hdr[3], 1);
	hdr[0] = FSP_STARTED;
	hdr[3] = 0;
	hdr[9] = 0x01;                  /* 65536 + 4 bytes */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EMSGSIZE);
	hdr[9] = 0;
	hdr[1] = 1;                     /* descriptors on a STARTED frame */
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EPROTO);
	hdr[0] = FSP_RUN;
	hdr[1] = FSP_MAX_FDS + 1;
	assert_int_equal(fsp_header_decode(hdr, sizeof hdr, &h), -1);
	assert_int_equal(errno, EPROTO);
}

static void test_bad_bodies(void **state)
{
	static const uint8_t trailing[] = { 0, 0, 0, 1, 0xff };
	static const uint8_t zero_pid[] = { 0, 0, 0, 0 };
	static const uint8_t many_targets[] = { 0, 0, 0, 0, 0, 65 };
	static const uint8_t arg_nul[] = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 'a', 0 };
	static const uint8_t arg_short[] = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 9, 'a' };
	static const uint8_t bad_magic[] = { 'F', 'K', 'S', 'W', 0, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t no_errno[] = { 0, 0, 0, 0, 0, 0 };
	static const uint8_t sig_zero[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	struct fsp_run run;
	struct fsp_want want;
	struct fsp_error er;
	struct fsp_signal sg;
	uint32_t pid;

	(void)state;
	assert_int_equal(fsp_started_decode(trailing, sizeof trailing, &pid), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_started_decode(zero_pid, sizeof zero_pid, &pid), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_started_decode(zero_pid, 2, &pid), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_decode(many_targets, sizeof many_targets, FSP_VERSION, &run), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_decode(arg_nul, sizeof arg_nul, FSP_VERSION, &run), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_run_decode(arg_short, sizeof arg_short, FSP_VERSION, &run), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_want_decode(bad_magic, sizeof bad_magic, &want), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_error_decode(no_errno, sizeof no_errno, &er), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(fsp_signal_decode(sig_zero, sizeof sig_zero, &sg), -1);
	assert_int_equal(errno, EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_run_bytes),
		TU_TEST(test_run_v2_bytes),
		TU_TEST(test_replies_round_trip),
		TU_TEST(test_bad_headers),
		TU_TEST(test_bad_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

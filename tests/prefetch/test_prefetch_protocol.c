/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_protocol.c: the prefetch codec. Exact bytes on the wire
 * (big-endian, whatever the host), every request round-trips, and short,
 * long, oversized or inconsistent frames (WARM_FDS entries that are not
 * one per descriptor) are refused with the right errno.
 * Also the K/M/G sizes of the command lines.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "protocol.h"
#include "size.h"
#include "testutil.h"

static void test_readahead_bytes(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 0x25,          /* length 37 */
		0, PF_READAHEAD,        /* command */
		0, 0,                   /* no descriptors, no flags */
		0x01, 0x02, 0x03, 0x04, /* tag */
		0, 0, 0, 9,             /* session */
		0, 0, 1, 0,             /* file */
		PF_KIND_MLOCK,
		0, 0, 0, 0, 0, 0, 0x10, 0,             /* offset 4096 */
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	};
	struct pf_request req, got;
	uint8_t buf[64];

	(void)state;
	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_READAHEAD;
	req.hdr.tag = 0x01020304;
	req.sid = 9;
	req.fid = 256;
	req.kind = PF_KIND_MLOCK;
	req.off = 4096;
	req.len = 0x0102030405060708ULL;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(pf_request_decode(want, sizeof want, &got), 0);
	assert_int_equal(got.hdr.tag, 0x01020304);
	assert_int_equal(got.sid, 9);
	assert_int_equal(got.fid, 256);
	assert_int_equal(got.kind, PF_KIND_MLOCK);
	assert_int_equal(got.off, 4096);
	assert_true(got.len == 0x0102030405060708ULL);
}

static void test_every_request_round_trips(void **state)
{
	uint16_t cmd;

	(void)state;
	for (cmd = PF_HELLO; cmd <= PF_CMD_LAST; cmd++) {
		struct pf_request req, got;
		struct pf_warm_file f;
		struct pf_writer fw;
		struct pf_reader fr;
		uint8_t buf[128], files[64];
		long n;

		memset(&req, 0, sizeof req);
		req.hdr.cmd = cmd;
		req.hdr.tag = cmd * 1000u;
		req.vmin = 1;
		req.vmax = 3;
		req.sid = 77;
		req.fid = 5;
		req.flags = PF_SESSION_PERSISTENT;
		req.kind = PF_KIND_READAHEAD;
		req.off = 1;
		req.len = 2;
		req.dev = 0x8001;
		req.ino = 123456789;
		req.str = "/some/path";
		req.strlen = strlen(req.str);
		/* WARM_FDS: one entry per descriptor. */
		pf_writer_init(&fw, files, sizeof files);
		pf_put_warm_file(&fw, "/a", 2, 1, 2);
		pf_put_warm_file(&fw, "", 0, 0, 0);
		req.files = files;
		req.fileslen = fw.len;
		req.hdr.nfds = cmd == PF_WARM_FDS ? 2 : 0;
		n = pf_request_encode(&req, buf, sizeof buf);
		assert_true(n >= PF_HDR_SIZE);
		assert_int_equal(pf_request_decode(buf, (size_t)n, &got), 0);
		assert_int_equal(got.hdr.cmd, cmd);
		assert_int_equal(got.hdr.tag, req.hdr.tag);
		assert_int_equal(got.hdr.nfds, cmd == PF_REG_FD ||
		                 cmd == PF_REG_FD_NAMED || cmd == PF_REPLAY ? 1 :
		                 cmd == PF_WARM_FDS ? 2 : 0);
		switch (cmd) {
		case PF_HELLO:
			assert_int_equal(got.vmin, 1);
			assert_int_equal(got.vmax, 3);
			break;
		case PF_CREATE:
			assert_int_equal(got.flags, PF_SESSION_PERSISTENT);
			/* fall through */
		case PF_REG_PATH:
		case PF_REG_FD_NAMED:
			assert_int_equal(got.strlen, req.strlen);
			assert_memory_equal(got.str, req.str, req.strlen);
			break;
		case PF_UNREG_ID:
			assert_int_equal(got.dev, 0x8001);
			assert_int_equal(got.ino, 123456789);
			break;
		case PF_READAHEAD:
			assert_int_equal(got.kind, PF_KIND_READAHEAD);
			assert_int_equal(got.off, 1);
			assert_int_equal(got.len, 2);
			break;
		case PF_REPLAY:
			assert_int_equal(got.kind, PF_KIND_READAHEAD);
			assert_int_equal(n, PF_HDR_SIZE + 5);
			break;
		case PF_WARM_FDS:
			assert_int_equal(got.fid, 5);
			assert_int_equal(got.kind, PF_KIND_READAHEAD);
			assert_int_equal(n, PF_HDR_SIZE + 9 + 2 * PF_WARM_FILE_SIZE + 2);
			pf_reader_init(&fr, got.files, got.fileslen);
			pf_get_warm_file(&fr, &f);
			assert_int_equal(f.namelen, 2);
			assert_memory_equal(f.name, "/a", 2);
			assert_int_equal(f.off, 1);
			assert_int_equal(f.len, 2);
			pf_get_warm_file(&fr, &f);
			assert_int_equal(f.namelen, 0);
			assert_int_equal(pf_reader_done(&fr), 0);
			break;
		default:
			break;
		}
		if (cmd != PF_HELLO && cmd != PF_EXIT)
			assert_int_equal(got.sid, 77);
		/* Every shorter prefix is incomplete or malformed, never accepted. */
		while (--n > 0) {
			struct pf_header hdr;

			assert_int_equal(pf_frame_peek(buf, (size_t)n, PF_MAX_FRAME, &hdr),
			                 0);
			assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
		}
	}
}

/* WARM_FDS: one entry per descriptor, 1 to PF_WARM_MAX_FILES of them. */
static void test_warm_fds_frames(void **state)
{
	struct pf_request req, got;
	struct pf_writer fw;
	uint8_t buf[128], files[64];
	long n;

	(void)state;
	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_WARM_FDS;
	req.hdr.nfds = 1;
	pf_writer_init(&fw, files, sizeof files);
	pf_put_warm_file(&fw, "f", 1, 0, 0);
	req.files = files;
	req.fileslen = fw.len;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_int_equal(n, PF_HDR_SIZE + 9 + PF_WARM_FILE_SIZE + 1);
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), 0);
	buf[6] = 2; /* two descriptors, one entry */
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EPROTO);
	buf[6] = 0; /* none */
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EPROTO);
	buf[6] = PF_WARM_MAX_FILES + 1; /* more than a frame may carry */
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EPROTO);
	buf[6] = 1;
	buf[3] = (uint8_t)(n - 1); /* the entry cut short */
	assert_int_equal(pf_request_decode(buf, (size_t)n - 1, &got), -1);
	assert_int_equal(errno, EBADMSG);
	/* The encoder refuses what the decoder would. */
	req.hdr.nfds = 2;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	req.hdr.nfds = 0;
	req.fileslen = 0;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	req.hdr.nfds = 1;
	req.fileslen = fw.len;
	req.fid = UINT32_MAX;
	assert_true(pf_request_encode(&req, buf, sizeof buf) > 0);
	req.hdr.nfds = 2;
	pf_put_warm_file(&fw, "", 0, 0, 0);
	req.fileslen = fw.len;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_bad_frames(void **state)
{
	struct pf_request req, got;
	struct pf_header hdr;
	uint8_t buf[64];
	long n;

	(void)state;
	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_DESTROY;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_int_equal(n, PF_HDR_SIZE + 4);

	buf[7] = 1; /* reserved flags */
	assert_int_equal(pf_frame_peek(buf, (size_t)n, PF_MAX_FRAME, &hdr), -1);
	assert_int_equal(errno, EBADMSG);
	buf[7] = 0;
	buf[3] = 4; /* length under the header */
	assert_int_equal(pf_frame_peek(buf, (size_t)n, PF_MAX_FRAME, &hdr), -1);
	assert_int_equal(errno, EBADMSG);
	buf[0] = 1; /* 16 MiB: over the maximum */
	assert_int_equal(pf_frame_peek(buf, (size_t)n, PF_MAX_FRAME, &hdr), -1);
	assert_int_equal(errno, EMSGSIZE);
	buf[0] = 0;
	buf[3] = (uint8_t)n;
	buf[5] = 200; /* unknown command */
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, ENOSYS);
	buf[5] = PF_DESTROY;
	buf[6] = 1; /* a descriptor DESTROY does not take */
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EPROTO);
	buf[6] = 0;
	buf[3] = (uint8_t)(n + 1); /* a byte too many */
	buf[n] = 0;
	assert_int_equal(pf_request_decode(buf, (size_t)n + 1, &got), -1);
	assert_int_equal(errno, EBADMSG);

	/* An unknown kind, a NUL inside a path, an empty path. */
	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_READAHEAD;
	n = pf_request_encode(&req, buf, sizeof buf);
	buf[PF_HDR_SIZE + 8] = PF_KIND_LAST + 1;
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EBADMSG);
	req.hdr.cmd = PF_REG_PATH;
	req.str = "a\0b";
	req.strlen = 3;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	req.str = "ab";
	req.strlen = 2;
	n = pf_request_encode(&req, buf, sizeof buf);
	buf[n - 1] = '\0';
	assert_int_equal(pf_request_decode(buf, (size_t)n, &got), -1);
	assert_int_equal(errno, EBADMSG);
	req.strlen = 0;
	assert_int_equal(pf_request_encode(&req, buf, sizeof buf), -1);
	/* No room. */
	req.strlen = 2;
	assert_int_equal(pf_request_encode(&req, buf, 10), -1);
	assert_int_equal(errno, EMSGSIZE);
}

static void test_reply(void **state)
{
	struct pf_writer w;
	struct pf_reader r;
	struct pf_header hdr;
	uint8_t buf[64];
	uint32_t status;
	long n;

	(void)state;
	pf_writer_init(&w, buf, sizeof buf);
	pf_reply_begin(&w, PF_READAHEAD, 5, ENOMEM);
	pf_put_u64(&w, 100);
	n = pf_frame_end(&w);
	assert_int_equal(n, PF_HDR_SIZE + 4 + 8);
	assert_int_equal(buf[4], 0x80);
	assert_int_equal(buf[5], PF_READAHEAD);
	assert_int_equal(pf_reply_decode(buf, (size_t)n, &hdr, &status, &r), 0);
	assert_int_equal(status, ENOMEM);
	assert_int_equal(hdr.tag, 5);
	assert_int_equal(pf_get_u64(&r), 100);
	assert_int_equal(pf_reader_done(&r), 0);
	assert_int_equal(pf_get_u8(&r), 0); /* past the end */
	assert_int_equal(pf_reader_done(&r), -1);
	buf[4] = 0; /* a request is not a reply */
	assert_int_equal(pf_reply_decode(buf, (size_t)n, &hdr, &status, &r), -1);
}

static void test_sizes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(pf_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pf_parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(pf_parse_size("3M", &v), 0);
	assert_int_equal(v, 3 << 20);
	assert_int_equal(pf_parse_size("2GiB", &v), 0);
	assert_true(v == (uint64_t)2 << 30);
	assert_int_equal(pf_parse_size("1g", &v), 0);
	assert_true(v == (uint64_t)1 << 30);
	assert_int_equal(pf_parse_size("", &v), -1);
	assert_int_equal(pf_parse_size("-1", &v), -1);
	assert_int_equal(pf_parse_size("12X", &v), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pf_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(pf_parse_size("17179869184G", &v), -1);
	assert_int_equal(errno, ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_readahead_bytes),
		TU_TEST(test_every_request_round_trips),
		TU_TEST(test_warm_fds_frames),
		TU_TEST(test_bad_frames),
		TU_TEST(test_reply),
		TU_TEST(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

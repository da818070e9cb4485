/* SPDX-License-Identifier: ISC */
/*
 * seeds_prefetch_protocol.c: writes the seed corpus of
 * fuzz_prefetch_protocol into the directory named on its command line:
 * one request of each command made by pf_request_encode (WARM_FDS with
 * three files), replies made with the codec's writer (HELLO, READAHEAD,
 * REPLAY, WARM_FDS, RESIDENCY, DUMP, an error), a pipelined stream of
 * requests and one that stops inside a frame.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "protocol.h"
#include "seedio.h"

static uint8_t frame[4 * PF_MAX_FRAME];

static long request(uint8_t *buf, size_t cap, unsigned cmd, uint32_t tag)
{
	static uint8_t files[256];
	struct pf_writer fw;
	struct pf_request req;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = (uint16_t)cmd;
	req.hdr.tag = tag;
	req.hdr.nfds = cmd == PF_REG_FD || cmd == PF_REG_FD_NAMED ||
	               cmd == PF_REPLAY ? 1 : cmd == PF_WARM_FDS ? 3 : 0;
	req.vmin = PF_VERSION;
	req.vmax = PF_VERSION;
	req.sid = 7;
	req.fid = 3;
	req.flags = cmd == PF_CREATE ? PF_SESSION_PERSISTENT : 0;
	req.kind = cmd == PF_REPLAY || cmd == PF_WARM_FDS ? PF_KIND_READAHEAD :
	           PF_KIND_MLOCK;
	req.off = 4096;
	req.len = 1 << 20;
	req.dev = 0x801;
	req.ino = 123456;
	req.str = cmd == PF_CREATE ? "stress session" : "/var/lib/db/big.db";
	req.strlen = strlen(req.str);
	/* WARM_FDS: a named file, an unnamed one, a range of a third. */
	pf_writer_init(&fw, files, sizeof files);
	pf_put_warm_file(&fw, "/var/lib/db/a.db", 16, 0, 0);
	pf_put_warm_file(&fw, "", 0, 0, 0);
	pf_put_warm_file(&fw, "b", 1, 4096, 1 << 20);
	req.files = files;
	req.fileslen = fw.len;
	return pf_request_encode(&req, buf, cap);
}

static long reply(uint8_t *buf, size_t cap, unsigned cmd, uint32_t status)
{
	struct pf_writer w;

	pf_writer_init(&w, buf, cap);
	pf_reply_begin(&w, (uint16_t)cmd, 9, status);
	if (status != 0)
		return pf_frame_end(&w);
	switch (cmd) {
	case PF_HELLO:
		pf_put_u16(&w, PF_VERSION);
		pf_put_u32(&w, PF_MAX_FRAME);
		pf_put_u32(&w, 0xffe);
		break;
	case PF_READAHEAD:
		pf_put_u64(&w, 1 << 20);
		break;
	case PF_REPLAY:
		pf_put_u32(&w, 12);
		pf_put_u32(&w, 1);
		pf_put_u32(&w, 2);
		pf_put_u64(&w, 3 << 20);
		break;
	case PF_WARM_FDS:
		pf_put_u32(&w, 2);
		pf_put_u32(&w, 0);
		pf_put_u64(&w, 16384);
		pf_put_u32(&w, 22); /* EINVAL on Linux */
		pf_put_u64(&w, 0);
		break;
	case PF_RESIDENCY:
		pf_put_u32(&w, 1);
		pf_put_u32(&w, 3);
		pf_put_u64(&w, 1 << 20);
		pf_put_u64(&w, 256);
		pf_put_u64(&w, 200);
		pf_put_u8(&w, PF_METHOD_MINCORE);
		pf_put_u8(&w, 0);
		break;
	case PF_DUMP:
		pf_put_u64(&w, 1 << 20);
		pf_put_u64(&w, 64 << 20);
		pf_put_u32(&w, 2);
		pf_put_u32(&w, 1);
		pf_put_u32(&w, 1);
		pf_put_u8(&w, PF_DUMP_SESSION);
		pf_put_u32(&w, 7);
		pf_put_u8(&w, PF_SESSION_PERSISTENT);
		pf_put_str(&w, "db", 2, PF_MAX_DESC);
		pf_put_u32(&w, 1);
		pf_put_u8(&w, PF_DUMP_FILE);
		pf_put_u32(&w, 3);
		pf_put_u64(&w, 1 << 20);
		pf_put_u64(&w, 1 << 20);
		pf_put_str(&w, "/db", 3, PF_MAX_STRING);
		pf_put_u8(&w, PF_DUMP_END);
		break;
	default:
		break;
	}
	return pf_frame_end(&w);
}

int main(int argc, char **argv)
{
	static const char *const names[PF_CMD_LAST + 1] = {
		NULL, "hello", "create", "destroy", "reg-path", "reg-fd", "unreg",
		"unreg-id", "readahead", "residency", "dump", "exit", "reg-fd-named",
		"replay", "warm-fds"
	};
	char name[64];
	unsigned cmd;
	long n, at = 0;

	if (seed_begin(argc, argv) == -1)
		return 2;
	for (cmd = 1; cmd <= PF_CMD_LAST; cmd++) {
		strcpy(name, "request-");
		strcat(name, names[cmd]);
		seed_put(name, frame, request(frame, sizeof frame, cmd, cmd));
	}
	seed_put("reply-hello", frame, reply(frame, sizeof frame, PF_HELLO, 0));
	seed_put("reply-readahead", frame, reply(frame, sizeof frame, PF_READAHEAD, 0));
	seed_put("reply-replay", frame, reply(frame, sizeof frame, PF_REPLAY, 0));
	seed_put("reply-warm-fds", frame, reply(frame, sizeof frame, PF_WARM_FDS, 0));
	seed_put("reply-residency", frame, reply(frame, sizeof frame, PF_RESIDENCY, 0));
	seed_put("reply-dump", frame, reply(frame, sizeof frame, PF_DUMP, 0));
	seed_put("reply-enoent", frame, reply(frame, sizeof frame, PF_UNREG, 2));
	/* A client's pipeline: HELLO, CREATE, REG_PATH, READAHEAD, DUMP. */
	for (cmd = 0; cmd < 5 && at >= 0; cmd++) {
		static const unsigned order[5] = { PF_HELLO, PF_CREATE, PF_REG_PATH,
		                                   PF_READAHEAD, PF_DUMP };

		n = request(frame + at, sizeof frame - (size_t)at, order[cmd], cmd + 1);
		at = n < 0 ? -1 : at + n;
	}
	seed_put("pipeline", frame, at);
	seed_put("pipeline-cut", frame, at > 7 ? at - 7 : at);
	return seed_end();
}

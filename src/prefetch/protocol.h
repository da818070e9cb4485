/* SPDX-License-Identifier: ISC */
/*
 * protocol.h: the prefetch protocol's pure codec. Frames are bytes in and
 * values out: no I/O, no allocation, no global state. The byte layout is
 * described in doc/prefetch-protocol.md.
 */
#ifndef PF_PROTOCOL_H
#define PF_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "wirebuf.h"

#define PF_VERSION 1
#define PF_HDR_SIZE 12
#define PF_MAX_FRAME 65536
#define PF_MAX_STRING 4096
#define PF_MAX_DESC 256
#define PF_REPLY 0x8000u
/* The most descriptors a frame carries: WARM_FDS's files. A client sends
 * no more than its system passes in one message (givefd_max_fds). */
#define PF_WARM_MAX_FILES 64
#define PF_MAX_FDS_PER_FRAME PF_WARM_MAX_FILES

enum pf_cmd {
	PF_HELLO = 1,
	PF_CREATE = 2,
	PF_DESTROY = 3,
	PF_REG_PATH = 4,
	PF_REG_FD = 5,
	PF_UNREG = 6,
	PF_UNREG_ID = 7,
	PF_READAHEAD = 8,
	PF_RESIDENCY = 9,
	PF_DUMP = 10,
	PF_EXIT = 11,
	PF_REG_FD_NAMED = 12,
	PF_REPLAY = 13,
	PF_WARM_FDS = 14,
	PF_CMD_LAST = PF_WARM_FDS
};

enum pf_kind {
	PF_KIND_FADVISE = 0,
	PF_KIND_READAHEAD = 1,
	PF_KIND_MMAP = 2,
	PF_KIND_MLOCK = 3,
	PF_KIND_LAST = PF_KIND_MLOCK
};

#define PF_SESSION_PERSISTENT 0x01u
#define PF_SID_ALL 0u

/* Residency methods and flags in a residency entry. */
#define PF_METHOD_NONE 0
#define PF_METHOD_CACHESTAT 1
#define PF_METHOD_MINCORE 2
#define PF_RES_UNTRUSTED 0x01u

/* Dump record types. */
#define PF_DUMP_END 0
#define PF_DUMP_SESSION 1
#define PF_DUMP_FILE 2
#define PF_DUMP_TRUNCATED 3

struct pf_header {
	uint32_t len;   /* whole frame, header included */
	uint16_t cmd;
	uint8_t nfds;   /* descriptors that travel with this frame */
	uint8_t flags;  /* 0 in version 1 */
	uint32_t tag;   /* chosen by the client, echoed in the reply */
};

/* A decoded request. Strings point into the frame and are not terminated. */
struct pf_request {
	struct pf_header hdr;
	uint16_t vmin, vmax;          /* HELLO */
	uint32_t sid, fid;
	uint8_t flags, kind;          /* kind: READAHEAD, REPLAY, WARM_FDS */
	uint64_t off, len;            /* READAHEAD */
	uint64_t dev, ino;            /* UNREG_ID */
	const char *str;              /* CREATE description, REG_PATH path,
	                                 REG_FD_NAMED name */
	size_t strlen;
	const uint8_t *files;         /* WARM_FDS: hdr.nfds entries, as */
	size_t fileslen;              /* pf_put_warm_file writes them */
};

/* One file of a WARM_FDS request. The name points into the frame. */
struct pf_warm_file {
	const char *name;
	size_t namelen;
	uint64_t off, len;
};

/* Bounded writer and reader over caller-owned memory: the shared ones
 * (src/util/wirebuf.h; a failed put or get sets err, EMSGSIZE / EBADMSG, and
 * every later call is a no-op). The codec's names stay for its callers. */
#define pf_writer wire_writer
#define pf_reader wire_reader

void pf_writer_init(struct pf_writer *w, void *buf, size_t cap);
void pf_put_u8(struct pf_writer *w, uint8_t v);
void pf_put_u16(struct pf_writer *w, uint16_t v);
void pf_put_u32(struct pf_writer *w, uint32_t v);
void pf_put_u64(struct pf_writer *w, uint64_t v);
void pf_put_str(struct pf_writer *w, const char *s, size_t len, size_t max);

void pf_reader_init(struct pf_reader *r, const void *buf, size_t len);
uint8_t pf_get_u8(struct pf_reader *r);
uint16_t pf_get_u16(struct pf_reader *r);
uint32_t pf_get_u32(struct pf_reader *r);
uint64_t pf_get_u64(struct pf_reader *r);
const char *pf_get_str(struct pf_reader *r, size_t *len, size_t max);
/* 0 when every byte was read and nothing failed, else -1 and errno. */
int pf_reader_done(const struct pf_reader *r);

/*
 * Looks at the start of a byte stream. Returns 1 and fills *hdr when a whole
 * frame of at most max bytes is there, 0 when more bytes are needed, or -1
 * with errno EMSGSIZE (length over max) or EBADMSG (length under the header
 * size or reserved flags set): framing is lost.
 */
int pf_frame_peek(const void *buf, size_t len, size_t max, struct pf_header *hdr);

/* Starts a frame in w (header written with length 0); pf_frame_end writes
 * the length. pf_frame_end returns the frame size, or -1 and errno. */
void pf_frame_begin(struct pf_writer *w, uint16_t cmd, uint8_t nfds, uint32_t tag);
long pf_frame_end(struct pf_writer *w);

/*
 * Decodes a whole request frame (as found by pf_frame_peek). Returns 0, or
 * -1 with errno ENOSYS (unknown command), EBADMSG (malformed body) or
 * EPROTO (wrong number of descriptors for the command).
 */
int pf_request_decode(const void *frame, size_t len, struct pf_request *req);

/* Encodes req (hdr.cmd, hdr.tag and the fields its command uses) into buf.
 * Returns the frame size, or -1 and errno. */
long pf_request_encode(const struct pf_request *req, void *buf, size_t cap);

/* Writes one WARM_FDS entry (into a buffer that becomes req.files), and
 * reads one back: pf_get_warm_file sets r->err (EBADMSG) when the entry is
 * cut or its name bad. PF_WARM_FILE_SIZE: an entry's size without its
 * name's bytes. */
#define PF_WARM_FILE_SIZE 18
void pf_put_warm_file(struct pf_writer *w, const char *name, size_t namelen,
                      uint64_t off, uint64_t len);
void pf_get_warm_file(struct pf_reader *r, struct pf_warm_file *f);

/* Reply frames: the header with cmd | PF_REPLY, then the u32 status. */
void pf_reply_begin(struct pf_writer *w, uint16_t cmd, uint32_t tag, uint32_t status);

/* Decodes a reply frame's header and status; r is left on the body. */
int pf_reply_decode(const void *frame, size_t len, struct pf_header *hdr,
                    uint32_t *status, struct pf_reader *r);

/* Fixed-size parts of reply bodies. */
#define PF_RES_ENTRY_SIZE 30
#define PF_REPLAY_REPLY_SIZE 20 /* u32 warmed, changed, skipped; u64 bytes */
#define PF_WARM_RESULT_SIZE 12  /* per file: u32 status, u64 bytes */

#endif /* PF_PROTOCOL_H */

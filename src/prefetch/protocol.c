/* SPDX-License-Identifier: ISC */
/*
 * protocol.c: encodes and decodes prefetch protocol frames, big-endian,
 * byte by byte, within the bounds the caller gives.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"

void pf_writer_init(struct pf_writer *w, void *buf, size_t cap)
{
	wire_writer_init(w, buf, cap);
}

void pf_put_u8(struct pf_writer *w, uint8_t v) { wire_put8(w, v); }
void pf_put_u16(struct pf_writer *w, uint16_t v) { wire_put16(w, v); }
void pf_put_u32(struct pf_writer *w, uint32_t v) { wire_put32(w, v); }
void pf_put_u64(struct pf_writer *w, uint64_t v) { wire_put64(w, v); }

void pf_put_str(struct pf_writer *w, const char *s, size_t len, size_t max)
{
	if (w->err == 0 && (len > max ||
	                    (len > 0 && memchr(s, '\0', len) != NULL))) {
		w->err = EINVAL;
		return;
	}
	wire_put_str16(w, s, len);
}

void pf_reader_init(struct pf_reader *r, const void *buf, size_t len)
{
	wire_reader_init(r, buf, len);
}

uint8_t pf_get_u8(struct pf_reader *r) { return wire_get8(r); }
uint16_t pf_get_u16(struct pf_reader *r) { return wire_get16(r); }
uint32_t pf_get_u32(struct pf_reader *r) { return wire_get32(r); }
uint64_t pf_get_u64(struct pf_reader *r) { return wire_get64(r); }

const char *pf_get_str(struct pf_reader *r, size_t *len, size_t max)
{
	uint16_t n;
	const char *s = (const char *)wire_get_str16(r, &n);

	*len = 0;
	if (s == NULL || n > max || (n > 0 && memchr(s, '\0', n) != NULL)) {
		r->err = EBADMSG;
		return NULL;
	}
	*len = n;
	return s;
}

int pf_reader_done(const struct pf_reader *r)
{
	return wire_reader_done(r);
}

int pf_frame_peek(const void *buf, size_t len, size_t max, struct pf_header *hdr)
{
	struct pf_reader r;

	if (len < PF_HDR_SIZE)
		return 0;
	pf_reader_init(&r, buf, PF_HDR_SIZE);
	hdr->len = pf_get_u32(&r);
	hdr->cmd = pf_get_u16(&r);
	hdr->nfds = pf_get_u8(&r);
	hdr->flags = pf_get_u8(&r);
	hdr->tag = pf_get_u32(&r);
	if (hdr->len < PF_HDR_SIZE || hdr->flags != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (hdr->len > max) {
		errno = EMSGSIZE;
		return -1;
	}
	return len >= hdr->len;
}

void pf_frame_begin(struct pf_writer *w, uint16_t cmd, uint8_t nfds, uint32_t tag)
{
	pf_put_u32(w, 0);
	pf_put_u16(w, cmd);
	pf_put_u8(w, nfds);
	pf_put_u8(w, 0);
	pf_put_u32(w, tag);
}

long pf_frame_end(struct pf_writer *w)
{
	size_t i;

	if (w->err == 0 && w->len > PF_MAX_FRAME)
		w->err = EMSGSIZE;
	if (w->err != 0) {
		errno = w->err;
		return -1;
	}
	for (i = 0; i < 4; i++)
		w->buf[i] = (uint8_t)(w->len >> (8 * (3 - i)));
	return (long)w->len;
}

/* 1 if a frame of cmd may carry nfds descriptors: WARM_FDS one per
 * file, 1 to PF_WARM_MAX_FILES; the REG_FD kinds and REPLAY one. */
static int pf_cmd_nfds_ok(uint16_t cmd, unsigned nfds)
{
	if (cmd == PF_WARM_FDS)
		return nfds >= 1 && nfds <= PF_WARM_MAX_FILES;
	return nfds == (cmd == PF_REG_FD || cmd == PF_REG_FD_NAMED ||
	                cmd == PF_REPLAY ? 1u : 0u);
}

void pf_put_warm_file(struct pf_writer *w, const char *name, size_t namelen,
                      uint64_t off, uint64_t len)
{
	pf_put_str(w, name, namelen, PF_MAX_STRING);
	pf_put_u64(w, off);
	pf_put_u64(w, len);
}

void pf_get_warm_file(struct pf_reader *r, struct pf_warm_file *f)
{
	f->name = pf_get_str(r, &f->namelen, PF_MAX_STRING);
	f->off = pf_get_u64(r);
	f->len = pf_get_u64(r);
}

/* WARM_FDS's entries, from the reader's position to its end: 0 when they
 * are whole and as many as nfds, else -1 and errno, EBADMSG (an entry
 * cut or bad) or EPROTO (whole entries, but not one per descriptor). */
static int pf_warm_files_check(const uint8_t *files, size_t len, unsigned nfds)
{
	struct pf_reader r;
	struct pf_warm_file f;
	size_t n = 0;

	pf_reader_init(&r, files, len);
	while (r.err == 0 && r.pos < r.len) {
		pf_get_warm_file(&r, &f);
		n++;
	}
	if (r.err != 0 || r.pos < r.len) {
		errno = EBADMSG;
		return -1;
	}
	if (n != nfds) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int pf_request_decode(const void *frame, size_t len, struct pf_request *req)
{
	struct pf_reader r;
	int whole = pf_frame_peek(frame, len, PF_MAX_FRAME, &req->hdr);

	if (whole < 0)
		return -1;
	if (whole == 0 || req->hdr.len != len) {
		errno = EBADMSG;
		return -1;
	}
	if (req->hdr.cmd < PF_HELLO || req->hdr.cmd > PF_CMD_LAST) {
		errno = ENOSYS;
		return -1;
	}
	if (!pf_cmd_nfds_ok(req->hdr.cmd, req->hdr.nfds)) {
		errno = EPROTO;
		return -1;
	}
	pf_reader_init(&r, (const uint8_t *)frame + PF_HDR_SIZE, len - PF_HDR_SIZE);
	req->str = NULL;
	req->strlen = 0;
	req->files = NULL;
	req->fileslen = 0;
	switch (req->hdr.cmd) {
	case PF_HELLO:
		req->vmin = pf_get_u16(&r);
		req->vmax = pf_get_u16(&r);
		break;
	case PF_CREATE:
		req->sid = pf_get_u32(&r);
		req->flags = pf_get_u8(&r);
		req->str = pf_get_str(&r, &req->strlen, PF_MAX_DESC);
		break;
	case PF_DESTROY:
	case PF_RESIDENCY:
	case PF_DUMP:
		req->sid = pf_get_u32(&r);
		break;
	case PF_REG_PATH:
		req->sid = pf_get_u32(&r);
		req->fid = pf_get_u32(&r);
		req->str = pf_get_str(&r, &req->strlen, PF_MAX_STRING);
		if (r.err == 0 && req->strlen == 0)
			r.err = EBADMSG;
		break;
	case PF_REG_FD_NAMED:
		req->sid = pf_get_u32(&r);
		req->fid = pf_get_u32(&r);
		req->str = pf_get_str(&r, &req->strlen, PF_MAX_STRING);
		break;
	case PF_REG_FD:
	case PF_UNREG:
		req->sid = pf_get_u32(&r);
		req->fid = pf_get_u32(&r);
		break;
	case PF_UNREG_ID:
		req->sid = pf_get_u32(&r);
		req->dev = pf_get_u64(&r);
		req->ino = pf_get_u64(&r);
		break;
	case PF_READAHEAD:
		req->sid = pf_get_u32(&r);
		req->fid = pf_get_u32(&r);
		req->kind = pf_get_u8(&r);
		req->off = pf_get_u64(&r);
		req->len = pf_get_u64(&r);
		if (r.err == 0 && req->kind > PF_KIND_LAST)
			r.err = EBADMSG;
		break;
	case PF_REPLAY:
		req->sid = pf_get_u32(&r);
		req->kind = pf_get_u8(&r);
		if (r.err == 0 && req->kind > PF_KIND_LAST)
			r.err = EBADMSG;
		break;
	case PF_WARM_FDS:
		req->sid = pf_get_u32(&r);
		req->fid = pf_get_u32(&r);
		req->kind = pf_get_u8(&r);
		/* The fids first ... first + nfds - 1 must not wrap. */
		if (r.err == 0 && (req->kind > PF_KIND_LAST ||
		                   req->fid > UINT32_MAX - (req->hdr.nfds - 1u)))
			r.err = EBADMSG;
		if (r.err != 0)
			break;
		req->files = r.buf + r.pos;
		req->fileslen = r.len - r.pos;
		r.pos = r.len;
		return pf_warm_files_check(req->files, req->fileslen,
		                           req->hdr.nfds);
	default: /* PF_EXIT */
		break;
	}
	return pf_reader_done(&r);
}

long pf_request_encode(const struct pf_request *req, void *buf, size_t cap)
{
	struct pf_writer w;
	uint16_t cmd = req->hdr.cmd;
	unsigned nfds;

	if (cmd < PF_HELLO || cmd > PF_CMD_LAST) {
		errno = EINVAL;
		return -1;
	}
	nfds = cmd == PF_WARM_FDS ? req->hdr.nfds :
	       cmd == PF_REG_FD || cmd == PF_REG_FD_NAMED || cmd == PF_REPLAY;
	if (!pf_cmd_nfds_ok(cmd, nfds) ||
	    (cmd == PF_WARM_FDS && (req->fid > UINT32_MAX - (nfds - 1u) ||
	                            pf_warm_files_check(req->files, req->fileslen,
	                                                nfds) == -1))) {
		errno = EINVAL;
		return -1;
	}
	pf_writer_init(&w, buf, cap);
	pf_frame_begin(&w, cmd, (uint8_t)nfds, req->hdr.tag);
	switch (cmd) {
	case PF_HELLO:
		pf_put_u16(&w, req->vmin);
		pf_put_u16(&w, req->vmax);
		break;
	case PF_CREATE:
		pf_put_u32(&w, req->sid);
		pf_put_u8(&w, req->flags);
		pf_put_str(&w, req->str, req->strlen, PF_MAX_DESC);
		break;
	case PF_DESTROY:
	case PF_RESIDENCY:
	case PF_DUMP:
		pf_put_u32(&w, req->sid);
		break;
	case PF_REG_PATH:
		pf_put_u32(&w, req->sid);
		pf_put_u32(&w, req->fid);
		if (req->strlen == 0)
			w.err = EINVAL;
		pf_put_str(&w, req->str, req->strlen, PF_MAX_STRING);
		break;
	case PF_REG_FD_NAMED:
		pf_put_u32(&w, req->sid);
		pf_put_u32(&w, req->fid);
		pf_put_str(&w, req->str, req->strlen, PF_MAX_STRING);
		break;
	case PF_REG_FD:
	case PF_UNREG:
		pf_put_u32(&w, req->sid);
		pf_put_u32(&w, req->fid);
		break;
	case PF_UNREG_ID:
		pf_put_u32(&w, req->sid);
		pf_put_u64(&w, req->dev);
		pf_put_u64(&w, req->ino);
		break;
	case PF_READAHEAD:
		pf_put_u32(&w, req->sid);
		pf_put_u32(&w, req->fid);
		pf_put_u8(&w, req->kind);
		pf_put_u64(&w, req->off);
		pf_put_u64(&w, req->len);
		break;
	case PF_REPLAY:
		pf_put_u32(&w, req->sid);
		pf_put_u8(&w, req->kind);
		break;
	case PF_WARM_FDS: {
		uint8_t *at;

		pf_put_u32(&w, req->sid);
		pf_put_u32(&w, req->fid);
		pf_put_u8(&w, req->kind);
		at = wire_room(&w, req->fileslen);
		if (at != NULL && req->fileslen > 0)
			memcpy(at, req->files, req->fileslen);
		break;
	}
	default:
		break;
	}
	return pf_frame_end(&w);
}

void pf_reply_begin(struct pf_writer *w, uint16_t cmd, uint32_t tag, uint32_t status)
{
	pf_frame_begin(w, (uint16_t)(cmd | PF_REPLY), 0, tag);
	pf_put_u32(w, status);
}

int pf_reply_decode(const void *frame, size_t len, struct pf_header *hdr,
                    uint32_t *status, struct pf_reader *r)
{
	int whole = pf_frame_peek(frame, len, PF_MAX_FRAME, hdr);

	if (whole < 0)
		return -1;
	if (whole == 0 || hdr->len != len || !(hdr->cmd & PF_REPLY) ||
	    hdr->nfds != 0) {
		errno = EBADMSG;
		return -1;
	}
	pf_reader_init(r, (const uint8_t *)frame + PF_HDR_SIZE, len - PF_HDR_SIZE);
	*status = pf_get_u32(r);
	if (r->err != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

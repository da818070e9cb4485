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

/* The descriptors each command carries. */
static unsigned pf_cmd_nfds(uint16_t cmd)
{
	return cmd == PF_REG_FD || cmd == PF_REG_FD_NAMED || cmd == PF_REPLAY ?
	       1 : 0;
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
	if (req->hdr.nfds != pf_cmd_nfds(req->hdr.cmd)) {
		errno = EPROTO;
		return -1;
	}
	pf_reader_init(&r, (const uint8_t *)frame + PF_HDR_SIZE, len - PF_HDR_SIZE);
	req->str = NULL;
	req->strlen = 0;
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
	default: /* PF_EXIT */
		break;
	}
	return pf_reader_done(&r);
}

long pf_request_encode(const struct pf_request *req, void *buf, size_t cap)
{
	struct pf_writer w;
	uint16_t cmd = req->hdr.cmd;

	if (cmd < PF_HELLO || cmd > PF_CMD_LAST) {
		errno = EINVAL;
		return -1;
	}
	pf_writer_init(&w, buf, cap);
	pf_frame_begin(&w, cmd, (uint8_t)pf_cmd_nfds(cmd), req->hdr.tag);
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

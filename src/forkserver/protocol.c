/* SPDX-License-Identifier: ISC */
/*
 * protocol.c: encodes and decodes fork-server frames, big-endian, byte by
 * byte, never past the bounds the caller gives.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"
#include "wirebuf.h"

/* One field of n bytes; the shared reader keeps the sticky error. */
static uint32_t get(struct wire_reader *r, size_t n)
{
	return (uint32_t)wire_get(r, n);
}

/* The flags a header of this type may carry. */
static uint16_t header_flags(uint8_t type)
{
	return type == FSP_RUN ? FSP_RUN_QUIET
	       : type == FSP_ERROR ? FSP_ERROR_RUN : 0;
}

int fsp_header_decode(const void *buf, size_t len, struct fsp_header *hdr)
{
	struct wire_reader r;

	wire_reader_init(&r, buf, len);
	hdr->type = (uint8_t)get(&r, 1);
	hdr->nfds = (uint8_t)get(&r, 1);
	hdr->flags = (uint16_t)get(&r, 2);
	hdr->id = get(&r, 4);
	hdr->len = get(&r, 4);
	if (r.err != 0 || hdr->type < FSP_HELLO || hdr->type > FSP_TYPE_LAST ||
	    (hdr->flags & ~header_flags(hdr->type)) != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (hdr->len > FSP_MAX_BODY) {
		errno = EMSGSIZE;
		return -1;
	}
	if (hdr->nfds > FSP_MAX_FDS || (hdr->nfds > 0 && hdr->type != FSP_RUN)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

void fsp_header_encode(const struct fsp_header *hdr, void *buf)
{
	struct wire_writer w;

	wire_writer_init(&w, buf, FSP_HDR_SIZE);

	wire_put(&w, hdr->type, 1);
	wire_put(&w, hdr->nfds, 1);
	wire_put(&w, hdr->flags, 2);
	wire_put(&w, hdr->id, 4);
	wire_put(&w, hdr->len, 4);
}

void fsp_header_set_flags(void *frame, uint16_t flags)
{
	uint8_t *p = frame;

	p[2] = (uint8_t)(flags >> 8);
	p[3] = (uint8_t)flags;
}

/* Starts a frame: room for the header, filled in by frame_end. */
static void frame_begin(struct wire_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = cap < FSP_HDR_SIZE ? EMSGSIZE : 0;
	if (w->err == 0)
		w->len = FSP_HDR_SIZE;
}

static long frame_end(struct wire_writer *w, uint8_t type, uint8_t nfds, uint32_t id)
{
	struct fsp_header hdr;

	if (w->err == 0 && w->len - FSP_HDR_SIZE > FSP_MAX_BODY)
		w->err = EMSGSIZE;
	if (w->err != 0) {
		errno = w->err;
		return -1;
	}
	hdr.type = type;
	hdr.nfds = nfds;
	hdr.flags = 0;
	hdr.id = id;
	hdr.len = (uint32_t)(w->len - FSP_HDR_SIZE);
	fsp_header_encode(&hdr, w->buf);
	return (long)w->len;
}

int fsp_hello_decode(const void *body, size_t len, struct fsp_hello *out)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	out->magic = get(&r, 4);
	out->vmin = (uint16_t)get(&r, 2);
	out->vmax = (uint16_t)get(&r, 2);
	out->features = get(&r, 4);
	out->max_children = get(&r, 4);
	out->max_fds = get(&r, 4);
	if (wire_reader_done(&r) == -1)
		return -1;
	if (out->magic != FSP_MAGIC || out->vmin > out->vmax) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_hello_encode(const struct fsp_hello *h, void *buf, size_t cap)
{
	struct wire_writer w;

	frame_begin(&w, buf, cap);
	wire_put(&w, h->magic, 4);
	wire_put(&w, h->vmin, 2);
	wire_put(&w, h->vmax, 2);
	wire_put(&w, h->features, 4);
	wire_put(&w, h->max_children, 4);
	wire_put(&w, h->max_fds, 4);
	return frame_end(&w, FSP_HELLO, 0, 0);
}

int fsp_want_decode(const void *body, size_t len, struct fsp_want *out)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	out->magic = get(&r, 4);
	out->version = (uint16_t)get(&r, 2);
	if (get(&r, 2) != 0 && r.err == 0)
		r.err = EBADMSG;
	out->features = get(&r, 4);
	if (wire_reader_done(&r) == -1)
		return -1;
	if (out->magic != FSP_MAGIC) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_want_encode(const struct fsp_want *want, void *buf, size_t cap)
{
	struct wire_writer w;

	frame_begin(&w, buf, cap);
	wire_put(&w, want->magic, 4);
	wire_put(&w, want->version, 2);
	wire_put(&w, 0, 2);
	wire_put(&w, want->features, 4);
	return frame_end(&w, FSP_WANT, 0, 0);
}

/* An environment entry: NAME=VALUE, NAME not empty. */
static int env_entry(const char *s, size_t n)
{
	const char *eq = n > 0 ? memchr(s, '=', n) : NULL;

	return eq != NULL && eq != s;
}

/* Strings without NUL: count (2), then each. */
static void get_strings(struct wire_reader *r, uint32_t max, uint32_t *count,
                        const char **str, uint16_t *len, int env)
{
	uint32_t i;

	*count = get(r, 2);
	if (*count > max) {
		r->err = EBADMSG;
		*count = 0;
		return;
	}
	for (i = 0; i < *count && r->err == 0; i++) {
		str[i] = (const char *)wire_get_str16(r, &len[i]);
		if (r->err == 0 && len[i] > 0 &&
		    memchr(str[i], '\0', len[i]) != NULL)
			r->err = EBADMSG;
		if (r->err == 0 && env && !env_entry(str[i], len[i]))
			r->err = EBADMSG;
	}
}

/* Known bits, and a directory sent or the kept one, not both. */
static int runflags_valid(uint32_t f)
{
	return (f & ~(FSP_RUNF_CWD | FSP_RUNF_SAME_CWD)) == 0 &&
	       (f & (FSP_RUNF_CWD | FSP_RUNF_SAME_CWD)) !=
	       (FSP_RUNF_CWD | FSP_RUNF_SAME_CWD);
}

int fsp_run_decode(const void *body, size_t len, unsigned version,
                   struct fsp_run *out)
{
	struct wire_reader r;
	uint32_t i;

	wire_reader_init(&r, body, len);
	out->runflags = 0;
	out->nenv = 0;
	out->nargs = 0;
	out->timeout_ms = get(&r, 4);
	out->ntargets = get(&r, 2);
	if (out->ntargets > FSP_MAX_FDS || version < FSP_VERSION_MIN ||
	    version > FSP_VERSION) {
		errno = EBADMSG;
		return -1;
	}
	for (i = 0; i < out->ntargets; i++) {
		out->targets[i] = get(&r, 4);
		if (out->targets[i] > 0x7fffffffu)
			r.err = EBADMSG;
	}
	get_strings(&r, FSP_MAX_ARGS, &out->nargs, out->args, out->arglen, 0);
	if (version >= 2) {
		out->runflags = get(&r, 2);
		if (!runflags_valid(out->runflags) ||
		    FSP_RUN_NFDS(out) > FSP_MAX_FDS)
			r.err = EBADMSG;
		get_strings(&r, FSP_MAX_ENV, &out->nenv, out->env, out->envlen, 1);
	}
	return wire_reader_done(&r);
}

/* count (2), then each string; bad strings are EINVAL. */
static void put_strings(struct wire_writer *w, uint32_t count, const char *const *str,
                        const uint16_t *len, int env)
{
	uint32_t i;

	wire_put(w, count, 2);
	for (i = 0; i < count; i++) {
		if ((len[i] > 0 && memchr(str[i], '\0', len[i]) != NULL) ||
		    (env && !env_entry(str[i], len[i]))) {
			if (w->err == 0)
				w->err = EINVAL;
			return;
		}
		wire_put_str16(w, str[i], len[i]);
	}
}

long fsp_run_encode(uint32_t id, unsigned version, const struct fsp_run *run,
                    void *buf, size_t cap)
{
	struct wire_writer w;
	uint32_t i;

	if (run->ntargets > FSP_MAX_FDS || run->nargs > FSP_MAX_ARGS ||
	    version < FSP_VERSION_MIN || version > FSP_VERSION ||
	    (version < 2 && (run->runflags != 0 || run->nenv != 0)) ||
	    !runflags_valid(run->runflags) ||
	    FSP_RUN_NFDS(run) > FSP_MAX_FDS || run->nenv > FSP_MAX_ENV) {
		errno = EINVAL;
		return -1;
	}
	frame_begin(&w, buf, cap);
	wire_put(&w, run->timeout_ms, 4);
	wire_put(&w, run->ntargets, 2);
	for (i = 0; i < run->ntargets; i++) {
		if (run->targets[i] > 0x7fffffffu) {
			errno = EINVAL;
			return -1;
		}
		wire_put(&w, run->targets[i], 4);
	}
	put_strings(&w, run->nargs, run->args, run->arglen, 0);
	if (version >= 2) {
		wire_put(&w, run->runflags, 2);
		put_strings(&w, run->nenv, run->env, run->envlen, 1);
	}
	return frame_end(&w, FSP_RUN, (uint8_t)FSP_RUN_NFDS(run), id);
}

int fsp_started_decode(const void *body, size_t len, uint32_t *pid)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	*pid = get(&r, 4);
	if (wire_reader_done(&r) == -1)
		return -1;
	if (*pid == 0 || *pid > 0x7fffffffu) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_started_encode(uint32_t id, uint32_t pid, void *buf, size_t cap)
{
	struct wire_writer w;

	if (pid == 0 || pid > 0x7fffffffu) {
		errno = EINVAL;
		return -1;
	}
	frame_begin(&w, buf, cap);
	wire_put(&w, pid, 4);
	return frame_end(&w, FSP_STARTED, 0, id);
}

int fsp_exited_decode(const void *body, size_t len, struct fsp_exited *out)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	out->status = get(&r, 4);
	out->flags = get(&r, 4);
	if (wire_reader_done(&r) == -1)
		return -1;
	if ((out->flags & ~FSP_EXIT_TIMEDOUT) != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_exited_encode(uint32_t id, const struct fsp_exited *e, void *buf,
                       size_t cap)
{
	struct wire_writer w;

	if ((e->flags & ~FSP_EXIT_TIMEDOUT) != 0) {
		errno = EINVAL;
		return -1;
	}
	frame_begin(&w, buf, cap);
	wire_put(&w, e->status, 4);
	wire_put(&w, e->flags, 4);
	return frame_end(&w, FSP_EXITED, 0, id);
}

int fsp_signal_decode(const void *body, size_t len, struct fsp_signal *out)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	out->signo = get(&r, 4);
	out->flags = get(&r, 4);
	if (wire_reader_done(&r) == -1)
		return -1;
	if (out->signo == 0 || out->signo > 255 ||
	    (out->flags & ~FSP_SIGNAL_GROUP) != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_signal_encode(uint32_t id, const struct fsp_signal *s, void *buf,
                       size_t cap)
{
	struct wire_writer w;

	if (s->signo == 0 || s->signo > 255 ||
	    (s->flags & ~FSP_SIGNAL_GROUP) != 0) {
		errno = EINVAL;
		return -1;
	}
	frame_begin(&w, buf, cap);
	wire_put(&w, s->signo, 4);
	wire_put(&w, s->flags, 4);
	return frame_end(&w, FSP_SIGNAL, 0, id);
}

int fsp_error_decode(const void *body, size_t len, struct fsp_error *out)
{
	struct wire_reader r;

	wire_reader_init(&r, body, len);
	out->err = get(&r, 4);
	out->msg = (const char *)wire_get_str16(&r, &out->msglen);
	if (wire_reader_done(&r) == -1)
		return -1;
	if (out->err == 0 || out->err > 0xffff || out->msglen > FSP_MAX_MESSAGE ||
	    (out->msglen > 0 && memchr(out->msg, '\0', out->msglen) != NULL)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

long fsp_error_encode(uint32_t id, const struct fsp_error *e, void *buf,
                      size_t cap)
{
	struct wire_writer w;
	uint16_t n = e->msglen;

	if (e->err == 0 || e->err > 0xffff) {
		errno = EINVAL;
		return -1;
	}
	if (n > FSP_MAX_MESSAGE)
		n = FSP_MAX_MESSAGE;
	if (n > 0 && memchr(e->msg, '\0', n) != NULL) {
		errno = EINVAL;
		return -1;
	}
	frame_begin(&w, buf, cap);
	wire_put(&w, e->err, 4);
	wire_put_str16(&w, e->msg, n);
	return frame_end(&w, FSP_ERROR, 0, id);
}

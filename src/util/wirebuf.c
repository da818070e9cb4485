/* SPDX-License-Identifier: ISC */
/* wirebuf.c: the bounded big-endian writer and reader (wirebuf.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "be.h"
#include "wirebuf.h"

void wire_writer_init(struct wire_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
}

uint8_t *wire_room(struct wire_writer *w, size_t n)
{
	uint8_t *p;

	if (w->err != 0)
		return NULL;
	if (w->cap - w->len < n) {
		w->err = EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void wire_put(struct wire_writer *w, uint64_t v, size_t n)
{
	uint8_t *p = wire_room(w, n);
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void wire_put8(struct wire_writer *w, uint8_t v)
{
	uint8_t *p = wire_room(w, 1);

	if (p != NULL)
		*p = v;
}

void wire_put16(struct wire_writer *w, uint16_t v)
{
	uint8_t *p = wire_room(w, 2);

	if (p != NULL)
		gfd_put16(p, v);
}

void wire_put32(struct wire_writer *w, uint32_t v)
{
	uint8_t *p = wire_room(w, 4);

	if (p != NULL)
		gfd_put32(p, v);
}

void wire_put64(struct wire_writer *w, uint64_t v)
{
	uint8_t *p = wire_room(w, 8);

	if (p != NULL) {
		gfd_put32(p, (uint32_t)(v >> 32));
		gfd_put32(p + 4, (uint32_t)v);
	}
}

void wire_put_str16(struct wire_writer *w, const void *s, size_t n)
{
	uint8_t *p;

	if (w->err == 0 && n > 0xffff) {
		w->err = EINVAL;
		return;
	}
	wire_put16(w, (uint16_t)n);
	p = wire_room(w, n);
	if (p != NULL && n > 0)
		memcpy(p, s, n);
}

void wire_reader_init(struct wire_reader *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->err = 0;
}

const uint8_t *wire_take(struct wire_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->err != 0)
		return NULL;
	if (r->len - r->pos < n) {
		r->err = EBADMSG;
		return NULL;
	}
	p = r->buf + r->pos;
	r->pos += n;
	return p;
}

uint64_t wire_get(struct wire_reader *r, size_t n)
{
	const uint8_t *p = wire_take(r, n);
	uint64_t v = 0;
	size_t i;

	if (p == NULL)
		return 0;
	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

uint8_t wire_get8(struct wire_reader *r)
{
	const uint8_t *p = wire_take(r, 1);

	return p != NULL ? *p : 0;
}

uint16_t wire_get16(struct wire_reader *r)
{
	const uint8_t *p = wire_take(r, 2);

	return p != NULL ? gfd_get16(p) : 0;
}

uint32_t wire_get32(struct wire_reader *r)
{
	const uint8_t *p = wire_take(r, 4);

	return p != NULL ? gfd_get32(p) : 0;
}

uint64_t wire_get64(struct wire_reader *r)
{
	const uint8_t *p = wire_take(r, 8);

	return p != NULL ? (uint64_t)gfd_get32(p) << 32 | gfd_get32(p + 4) : 0;
}

const uint8_t *wire_get_str16(struct wire_reader *r, uint16_t *n)
{
	*n = wire_get16(r);
	return wire_take(r, *n);
}

int wire_reader_done(const struct wire_reader *r)
{
	if (r->err != 0 || r->pos != r->len) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

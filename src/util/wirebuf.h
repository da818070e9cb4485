/* SPDX-License-Identifier: ISC */
/*
 * wirebuf.h: a bounded big-endian writer and reader over caller-owned
 * memory, with a sticky error, shared by the fork-server and prefetch codecs.
 */
#ifndef GFD_WIREBUF_H
#define GFD_WIREBUF_H

#include <stddef.h>
#include <stdint.h>

/* A put that does not fit sets err to EMSGSIZE, a get past the end sets it
 * to EBADMSG; once err is set every later put or get does nothing (a get
 * returns 0), so a codec checks err once, at the end. */
struct wire_writer {
	uint8_t *buf;
	size_t cap, len;
	int err;
};

struct wire_reader {
	const uint8_t *buf;
	size_t len, pos;
	int err;
};

void wire_writer_init(struct wire_writer *w, void *buf, size_t cap);
/* Reserves n bytes and returns where they start, or NULL (err set). */
uint8_t *wire_room(struct wire_writer *w, size_t n);
/* Writes the low n bytes (1 to 8) of v, most significant first. */
void wire_put(struct wire_writer *w, uint64_t v, size_t n);
void wire_put8(struct wire_writer *w, uint8_t v);
void wire_put16(struct wire_writer *w, uint16_t v);
void wire_put32(struct wire_writer *w, uint32_t v);
void wire_put64(struct wire_writer *w, uint64_t v);
/* Bytes after their count in 16 bits; EINVAL when n is over 0xffff. */
void wire_put_str16(struct wire_writer *w, const void *s, size_t n);

void wire_reader_init(struct wire_reader *r, const void *buf, size_t len);
/* Consumes n bytes and returns where they start, or NULL (err set). */
const uint8_t *wire_take(struct wire_reader *r, size_t n);
/* Reads n bytes (1 to 8), most significant first. */
uint64_t wire_get(struct wire_reader *r, size_t n);
uint8_t wire_get8(struct wire_reader *r);
uint16_t wire_get16(struct wire_reader *r);
uint32_t wire_get32(struct wire_reader *r);
uint64_t wire_get64(struct wire_reader *r);
/* Bytes after their count in 16 bits: where they start (not terminated),
 * the count in *n; NULL when they are not all there. */
const uint8_t *wire_get_str16(struct wire_reader *r, uint16_t *n);
/* 0 when every byte was read without error; else -1, errno EBADMSG. */
int wire_reader_done(const struct wire_reader *r);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * be.h: big-endian integers on the wire, written and read byte by byte
 * so that neither the host's byte order nor alignment matters. Shared by
 * every codec in the tree.
 */
#ifndef GFD_BE_H
#define GFD_BE_H

#include <stdint.h>

static inline void gfd_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void gfd_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline uint16_t gfd_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t gfd_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

#endif

/* SPDX-License-Identifier: ISC */
/* sha256.h: SHA-256 (FIPS 180-4) of a short message, for the pipe
 * backends' proofs. */
#ifndef GFD_SHA256_H
#define GFD_SHA256_H

#include <stddef.h>

#define GFD_SHA256_LEN 32

/* The digest of the concatenation of parts[0..n) (lens[i] bytes each). */
void gfd_sha256(const void *const *parts, const size_t *lens, size_t n,
                unsigned char digest[GFD_SHA256_LEN]);

#endif

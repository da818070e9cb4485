/* SPDX-License-Identifier: ISC */
/*
 * size.h: sizes on the command line, with K, M or G suffixes (powers of
 * 1024).
 */
#ifndef PF_SIZE_H
#define PF_SIZE_H

#include <stdint.h>

/* 0 and *out, or -1 and errno EINVAL (not a size) or ERANGE. */
int pf_parse_size(const char *s, uint64_t *out);

#endif /* PF_SIZE_H */

/* SPDX-License-Identifier: ISC */
/* parseint.h: a decimal integer within bounds, from a whole string. */
#ifndef GFD_PARSEINT_H
#define GFD_PARSEINT_H

/* s, all of it, as a decimal long in [min, max] (strtol's syntax): 0 and
 * *out, or -1 with errno EINVAL (not a number, trailing characters, out of
 * range) and *out untouched. */
int util_parse_long(const char *s, long min, long max, long *out);

#endif

/* SPDX-License-Identifier: ISC */
/* parseint.c: a decimal integer within bounds (parseint.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "parseint.h"

int util_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

/* SPDX-License-Identifier: ISC */
/* fpurge.c: fpurge(3) of the BSDs and macOS, which drops what a stream
 * has buffered, where libc calls it __fpurge (glibc, musl, illumos).
 * With neither, it fails with EOPNOTSUPP and the buffer stays. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#ifdef HAVE_STDIO_EXT_H
#include <stdio_ext.h>
#endif

#include "compat.h"

int fpurge(FILE *f)
{
#ifdef HAVE___FPURGE
	__fpurge(f);
	return 0;
#else
	(void)f;
	errno = EOPNOTSUPP;
	return -1;
#endif
}

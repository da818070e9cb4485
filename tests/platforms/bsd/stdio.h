/* SPDX-License-Identifier: ISC */
/* Stand-in <stdio.h>: FreeBSD, NetBSD, OpenBSD and macOS add fpurge(3). */
#ifndef STANDIN_BSD_STDIO_H
#define STANDIN_BSD_STDIO_H
#include_next <stdio.h>
int fpurge(FILE *stream);
#endif

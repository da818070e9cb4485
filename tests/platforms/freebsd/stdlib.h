/* SPDX-License-Identifier: ISC */
/* Stand-in <stdlib.h>: FreeBSD 14 adds secure_getenv (getenv(3)). */
#ifndef STANDIN_FREEBSD_STDLIB_H
#define STANDIN_FREEBSD_STDLIB_H
#include_next <stdlib.h>
char *secure_getenv(const char *name);
#endif

/* SPDX-License-Identifier: ISC */
/* Stand-in <stdio_ext.h>: illumos's stdio extensions; the one used here. */
#ifndef STANDIN_SOLARIS_STDIO_EXT_H
#define STANDIN_SOLARIS_STDIO_EXT_H
#include <stdio.h>
void __fpurge(FILE *stream);
#endif

/* SPDX-License-Identifier: ISC */
/* Stand-in <limits.h> for make check-platforms: illumos's pipe buffer
 * limit, then the shared POSIX stand-in. */
#ifndef STANDIN_SOLARIS_LIMITS_H
#define STANDIN_SOLARIS_LIMITS_H
#define PIPE_BUF 5120
#include_next <limits.h>
#endif

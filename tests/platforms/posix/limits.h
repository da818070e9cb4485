/* SPDX-License-Identifier: ISC */
/* Stand-in <limits.h> for make check-platforms: the compiler's own, plus
 * the pathname and pipe limits the BSDs and macOS declare (illumos's
 * PIPE_BUF comes first from its own stand-in). */
#ifndef STANDIN_LIMITS_H
#define STANDIN_LIMITS_H
#include_next <limits.h>
#define PATH_MAX 1024
#ifndef PIPE_BUF
#define PIPE_BUF 512
#endif
#endif

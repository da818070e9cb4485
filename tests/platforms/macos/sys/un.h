/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/un.h>: macOS unix(4) adds the LOCAL_PEERCRED option at
 * level 0 (SOL_LOCAL). */
#ifndef STANDIN_SYS_UN_H
#define STANDIN_SYS_UN_H
#include_next <sys/un.h>
#define SOL_LOCAL 0
#define LOCAL_PEERCRED 1
#endif

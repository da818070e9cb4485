/* SPDX-License-Identifier: ISC */
/* Stand-in <unistd.h>: the macOS SDK declares no fdatasync and no pipe2. */
#ifndef STANDIN_MACOS_UNISTD_H
#define STANDIN_MACOS_UNISTD_H
#define STANDIN_NO_FDATASYNC 1
#define STANDIN_NO_PIPE2 1
#include_next <unistd.h>
#endif

/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h>: macOS declares mincore too. */
#ifndef STANDIN_macos_SYS_MMAN_H
#define STANDIN_macos_SYS_MMAN_H
#include_next <sys/mman.h>
int mincore(const void *addr, size_t len, char *vec);
#endif

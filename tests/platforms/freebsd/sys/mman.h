/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h>: FreeBSD declares mincore too. */
#ifndef STANDIN_freebsd_SYS_MMAN_H
#define STANDIN_freebsd_SYS_MMAN_H
#include_next <sys/mman.h>
int mincore(const void *addr, size_t len, char *vec);
#endif

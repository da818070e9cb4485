/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h>: FreeBSD declares mincore too, and since 13.0
 * memfd_create. */
#ifndef STANDIN_freebsd_SYS_MMAN_H
#define STANDIN_freebsd_SYS_MMAN_H
#include_next <sys/mman.h>
int mincore(const void *addr, size_t len, char *vec);
#define MFD_CLOEXEC 0x00000001
int memfd_create(const char *name, unsigned int flags);
#endif

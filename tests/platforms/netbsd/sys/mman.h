/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h>: NetBSD declares mincore too. */
#ifndef STANDIN_netbsd_SYS_MMAN_H
#define STANDIN_netbsd_SYS_MMAN_H
#include_next <sys/mman.h>
int mincore(const void *addr, size_t len, char *vec);
#endif

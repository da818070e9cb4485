/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h>: illumos declares mincore too (caddr_t vec there). */
#ifndef STANDIN_solaris_SYS_MMAN_H
#define STANDIN_solaris_SYS_MMAN_H
#include_next <sys/mman.h>
int mincore(caddr_t addr, size_t len, char *vec);
#endif

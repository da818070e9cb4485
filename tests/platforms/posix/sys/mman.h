/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/mman.h> for the platform checks (POSIX 2008). mincore is
 * no POSIX call: the systems that declare it add it in their own
 * sys/mman.h (OpenBSD 7.8 does not). */
#ifndef STANDIN_SYS_MMAN_H
#define STANDIN_SYS_MMAN_H
#include <sys/types.h>
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FAILED ((void *)-1)
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define POSIX_MADV_WILLNEED 3
void *mmap(void *addr, size_t len, int prot, int flags, int fildes, off_t off);
int munmap(void *addr, size_t len);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int posix_madvise(void *addr, size_t len, int advice);
#endif

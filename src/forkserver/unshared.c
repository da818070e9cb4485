/* SPDX-License-Identifier: ISC */
/*
 * unshared.c: memory that a fork does not give the child, where the
 * system has it (madvise's MADV_DONTFORK); elsewhere plain zeroed memory.
 * A page of the server's that a child shares is copied when the server
 * writes to it; a page the child never had costs nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <sys/types.h>
#if HAVE_DECL_MADV_DONTFORK
#include <sys/mman.h>
#endif

#include "kids.h"

void *fs_unshared_alloc(size_t size)
{
#if HAVE_DECL_MADV_DONTFORK
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Where the kernel refuses, the memory is still good: shared. */
	(void)madvise(p, size, MADV_DONTFORK);
	return p;
#else
	return calloc(1, size);
#endif
}

void fs_unshared_free(void *p, size_t size)
{
	if (p == NULL)
		return;
#if HAVE_DECL_MADV_DONTFORK
	(void)munmap(p, size);
#else
	(void)size;
	free(p);
#endif
}

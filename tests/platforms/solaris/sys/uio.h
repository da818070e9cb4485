/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/uio.h>: illumos. Under _XPG4_2 iov_base is a void *;
 * otherwise a caddr_t, with iov_len a size_t on LP64. */
#ifndef STANDIN_SYS_UIO_H
#define STANDIN_SYS_UIO_H
#include <sys/feature_tests.h>
#include <sys/types.h>
typedef struct iovec {
#ifdef _XPG4_2
	void *iov_base;
#else
	caddr_t iov_base;
#endif
	size_t iov_len;
} iovec_t;
#endif

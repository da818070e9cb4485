/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/uio.h> for make check-platforms (POSIX 2008). */
#ifndef STANDIN_SYS_UIO_H
#define STANDIN_SYS_UIO_H
#include <sys/types.h>
struct iovec {
	void *iov_base;
	size_t iov_len;
};
#endif

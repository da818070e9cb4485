/* Stand-in <sys/uio.h>: Solaris without _XPG4_2, where iov_base is a
 * caddr_t and iov_len a long. */
#ifndef STANDIN_SYS_UIO_H
#define STANDIN_SYS_UIO_H
#include <sys/types.h>
typedef struct iovec {
	caddr_t iov_base;
	long iov_len;
} iovec_t;
#endif

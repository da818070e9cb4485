/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/types.h> for make check-platforms (POSIX 2008). The widths
 * follow the 64-bit Solaris and BSD headers. */
#ifndef STANDIN_SYS_TYPES_H
#define STANDIN_SYS_TYPES_H
#include <stddef.h>
typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef char *caddr_t;
typedef unsigned int u_int;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned int nlink_t;
typedef int blksize_t;
typedef long blkcnt_t;
typedef long time_t;
typedef long suseconds_t;
typedef int id_t;
#endif

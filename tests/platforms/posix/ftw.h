/* SPDX-License-Identifier: ISC */
/* Stand-in <ftw.h> for make check-platforms: nftw as POSIX 2008 (XSI)
 * declares it, on every system the stand-ins cover. */
#ifndef STANDIN_FTW_H
#define STANDIN_FTW_H
#include <sys/stat.h>
#define FTW_F 0
#define FTW_D 1
#define FTW_DNR 2
#define FTW_DP 3
#define FTW_NS 4
#define FTW_SL 5
#define FTW_SLN 6
#define FTW_PHYS 0x01
#define FTW_MOUNT 0x02
#define FTW_DEPTH 0x04
#define FTW_CHDIR 0x08
struct FTW {
	int base;
	int level;
};
int nftw(const char *path, int (*fn)(const char *, const struct stat *,
                                     int, struct FTW *),
         int fd_limit, int flags);
#endif

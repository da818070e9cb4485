/* SPDX-License-Identifier: ISC */
/* Stand-in <grp.h> for the platform checks (POSIX 2008). */
#ifndef STANDIN_GRP_H
#define STANDIN_GRP_H
#include <sys/types.h>
struct group {
	char *gr_name;
	gid_t gr_gid;
	char **gr_mem;
};
struct group *getgrnam(const char *name);
struct group *getgrgid(gid_t gid);
#endif

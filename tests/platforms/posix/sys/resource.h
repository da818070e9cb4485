/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/resource.h> for the platform checks (POSIX 2008, plus
 * RLIMIT_MEMLOCK, which every system here has). */
#ifndef STANDIN_SYS_RESOURCE_H
#define STANDIN_SYS_RESOURCE_H
#include <sys/types.h>
#include <sys/time.h>
typedef unsigned long rlim_t;
struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};
#define RLIM_INFINITY ((rlim_t)-1)
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 5
#define RLIMIT_MEMLOCK 6
int getrlimit(int resource, struct rlimit *rlp);
int setrlimit(int resource, const struct rlimit *rlp);
#endif

/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/time.h> for the platform checks (POSIX 2008). */
#ifndef STANDIN_SYS_TIME_H
#define STANDIN_SYS_TIME_H
#include <sys/types.h>
#include <time.h>
struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};
int gettimeofday(struct timeval *restrict tp, void *restrict tzp);
#endif

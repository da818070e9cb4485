/* SPDX-License-Identifier: ISC */
/* Stand-in <time.h> for the platform checks (C99 7.23, POSIX 2008). */
#ifndef STANDIN_TIME_H
#define STANDIN_TIME_H
#include <sys/types.h>
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
struct tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday,
	    tm_yday, tm_isdst;
};
typedef int clockid_t;
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 4
int clock_gettime(clockid_t clock_id, struct timespec *tp);
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
time_t time(time_t *tloc);
struct tm *localtime_r(const time_t *restrict timer, struct tm *restrict result);
struct tm *gmtime_r(const time_t *restrict timer, struct tm *restrict result);
size_t strftime(char *restrict s, size_t maxsize, const char *restrict format,
                const struct tm *restrict timeptr);
#endif

/* SPDX-License-Identifier: ISC */
/* monoclock.c: milliseconds on the monotonic clock (monoclock.h). */
#include "config.h"

#include <time.h>

#include "monoclock.h"

long long util_now_ms(void)
{
	struct timespec ts;

	/* Cannot fail: CLOCK_MONOTONIC is POSIX 2008 and ts is valid. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

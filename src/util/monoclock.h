/* SPDX-License-Identifier: ISC */
/* monoclock.h: milliseconds on the monotonic clock, for deadlines. */
#ifndef GFD_MONOCLOCK_H
#define GFD_MONOCLOCK_H

/* CLOCK_MONOTONIC in milliseconds: only differences mean anything. */
long long util_now_ms(void);

#endif

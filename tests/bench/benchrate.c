/* SPDX-License-Identifier: ISC */
/*
 * benchrate.c: the clock and the rate measure of the fork-server
 * benchmarks (benchrate.h).
 */
#include "config.h"

#include <time.h>

#include "benchrate.h"

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_rate(int (*fn)(void *), void *arg, double budget)
{
	double best = -1;
	int round;

	for (round = 0; round < 3; round++) {
		double start = bench_now(), t, r;
		long n = 0;

		do {
			if (fn(arg) != 0)
				return -1;
			n++;
			t = bench_now() - start;
		} while (t < budget / 3 || n < 3);
		r = (double)n / t;
		if (r > best)
			best = r;
	}
	return best;
}

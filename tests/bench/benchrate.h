/* SPDX-License-Identifier: ISC */
/*
 * benchrate.h: what the fork-server benchmarks share: a monotonic clock,
 * and runs per second of an action, best of three rounds.
 */
#ifndef BENCHRATE_H
#define BENCHRATE_H

/* Seconds on a clock that does not jump. */
double bench_now(void);

/* Runs per second of fn(arg): the best of three rounds over budget
 * seconds (at least 3 runs each), so that a moment of load elsewhere on
 * the machine does not decide a ratio; -1 when fn fails (returns
 * non-zero). */
double bench_rate(int (*fn)(void *), void *arg, double budget);

#endif /* BENCHRATE_H */

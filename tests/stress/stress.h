/* SPDX-License-Identifier: ISC */
/*
 * stress.h: what the daemon stress tests share: the scale they run at
 * (STRESS_SCALE), a pool of client processes started together, of which
 * some kill themselves in the middle of a frame, and the daemon's
 * resources as /proc shows them (descriptors, resident memory, children).
 */
#ifndef STRESS_H
#define STRESS_H

#include <stddef.h>
#include <sys/types.h>

/* STRESS_SCALE from the environment, from 0.001 to 1; 1 when unset.
 * Exits with a message when it is not a number in that range. */
double st_scale(void);
/* full * st_scale(), at least least. */
int st_scaled(int full, int least);

/* STRESS_WAVES from the environment (1 to 100), 3 when unset. */
int st_wave_count(void);

/* Seconds on the monotonic clock. */
double st_now(void);
void st_sleep_ms(long ms);

/* A client's body: index in the pool, and whether it is one of the
 * clients that must die of SIGKILL in the middle of a frame. Returns the
 * exit status of the client (0: every check passed); a killer that gets
 * to its frame kills itself and never returns. */
typedef int (*st_client_fn)(int index, int killer, void *arg);

struct st_pool {
	int n;
	pid_t *pids;
	int go[2];
};

/* Forks n clients, each waiting for st_pool_go(); every tenth (index % 10
 * == 5) is a killer. Returns 0, or -1 (clients already forked are killed
 * and reaped). */
int st_pool_start(struct st_pool *p, int n, st_client_fn fn, void *arg);
/* Lets them all run at once. */
void st_pool_go(struct st_pool *p);
/* Waits for every client: a killer must have died of SIGKILL, any other
 * must have exited 0. Prints each that did not; returns how many. */
int st_pool_reap(struct st_pool *p, const char *what);
/* 1 when index is a killer. */
int st_is_killer(int index);

/* What /proc says of a process. */
struct st_usage {
	int fds;        /* entries of /proc/PID/fd */
	int children;   /* children of all its threads, zombies included */
	long rss_kib;   /* VmRSS */
	long anon_kib, file_kib; /* of which RssAnon, RssFile (-1: unknown) */
};

/* Fills u: 0, or -1 when the process is gone. */
int st_usage(pid_t pid, struct st_usage *u);
/* Polls until pid's descriptors and children are back to base's, for at
 * most seconds; fills now with the last reading. 0 when they came back,
 * -1 when not (or the process is gone). */
int st_settle(pid_t pid, const struct st_usage *base, double seconds,
              struct st_usage *now);
/* 1 while pid is alive and not a zombie. */
int st_alive(pid_t pid);

/*
 * Waves of clients against one daemon: each wave starts nclients clients
 * at once and reaps them; then measure() waits for the daemon to be idle
 * and reads its resources (base is NULL the first time, before any wave;
 * it checks the daemon's own state and returns -1 after saying what is
 * wrong). Fails unless, after every wave, the daemon is alive, its
 * descriptors and children are those before the first wave, its VmRSS
 * is at most first_kib above that before the first wave, and after the
 * second wave on at most later_kib (unless negative) above that after the
 * first: allocators keep some of the memory a peak of connections needed,
 * and how much varies a little from wave to wave, but a leak grows wave
 * after wave. (Memory is not judged in a sanitizer build, whose allocator
 * keeps what is freed.) Returns how many things failed.
 */
struct st_waves {
	const char *name;       /* the test's, for its messages */
	const char *who;        /* its clients' */
	pid_t pid;              /* the process measured */
	int nclients, waves;
	st_client_fn client;
	void *arg;
	int (*measure)(void *arg, const struct st_usage *base, struct st_usage *u);
	long first_kib, later_kib;
};
int st_run_waves(const struct st_waves *w);

/* In a child about to exec a daemon: asks for SIGTERM when this test
 * dies (killed by a time limit, say), where the system can. */
void st_die_with_parent(void);

/* Descriptors open in this process. */
int st_own_fds(void);

/* A killer's end: writes part of the n-byte frame to fd (from 1 to n - 1
 * bytes, chosen by index, so that killers stop inside the header or
 * inside the body), then dies of SIGKILL. Returns only on failure, with
 * st_fail's value. */
int st_die_mid_frame(const char *who, int index, int fd,
                     const unsigned char *frame, long n);

/* Child-side failure report: prints "WHO INDEX: message" and returns 1,
 * for "return st_fail(...)". */
int st_fail(const char *who, int index, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

#endif

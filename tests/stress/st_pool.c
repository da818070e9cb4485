/* SPDX-License-Identifier: ISC */
/*
 * st_pool.c: the stress tests' client processes, started together and
 * reaped with a check of how each ended; the scale, the number of waves
 * and the clock.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

/* The number in environment variable name, def when unset; exits with a
 * message when it is not a number in [least, most] (whole if whole). */
static double st_env(const char *name, double def, double least, double most,
                     int whole)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtod(s, &end);
	if (*end != '\0' || !(v >= least && v <= most) || (whole && v != (long)v)) {
		fprintf(stderr, "%s=%s: want a%s number from %g to %g\n", name, s,
		        whole ? " whole" : "", least, most);
		exit(2);
	}
	return v;
}

double st_scale(void)
{
	return st_env("STRESS_SCALE", 1.0, 0.001, 1.0, 0);
}

int st_scaled(int full, int least)
{
	int v = (int)(full * st_scale() + 0.5);

	return v < least ? least : v;
}

int st_wave_count(void)
{
	return (int)st_env("STRESS_WAVES", 3, 1, 100, 1);
}

double st_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void st_sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int st_is_killer(int index)
{
	return index % 10 == 5;
}

int st_fail(const char *who, int index, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %d: %s\n", who, index, msg);
	return 1;
}

int st_die_mid_frame(const char *who, int index, int fd,
                     const unsigned char *frame, long n)
{
	size_t cut;

	if (n <= 1)
		return st_fail(who, index, "killer: encode: %s", strerror(errno));
	cut = 1 + (size_t)(index / 10) % (size_t)(n - 1);
	if (write(fd, frame, cut) != (ssize_t)cut)
		return st_fail(who, index, "killer: write: %s", strerror(errno));
	kill(getpid(), SIGKILL);
	return st_fail(who, index, "killer: still alive after SIGKILL");
}

static void st_pool_abort(struct st_pool *p, int started)
{
	int i;

	for (i = 0; i < started; i++) {
		kill(p->pids[i], SIGKILL);
		waitpid(p->pids[i], NULL, 0);
	}
	close(p->go[0]);
	close(p->go[1]);
	free(p->pids);
	p->pids = NULL;
}

int st_pool_start(struct st_pool *p, int n, st_client_fn fn, void *arg)
{
	int i;

	p->n = n;
	p->pids = calloc((size_t)n, sizeof *p->pids);
	if (p->pids == NULL)
		return -1;
	if (pipe(p->go) == -1) {
		free(p->pids);
		p->pids = NULL;
		return -1;
	}
	fflush(NULL);
	for (i = 0; i < n; i++) {
		char c;

		p->pids[i] = fork();
		if (p->pids[i] == -1) {
			perror("fork");
			st_pool_abort(p, i);
			return -1;
		}
		if (p->pids[i] > 0)
			continue;
		close(p->go[1]);
		/* The end of the go pipe is the start signal. */
		while (read(p->go[0], &c, 1) == -1 && errno == EINTR)
			;
		close(p->go[0]);
		exit(fn(i, st_is_killer(i), arg));
	}
	close(p->go[0]);
	return 0;
}

void st_pool_go(struct st_pool *p)
{
	close(p->go[1]);
}

int st_pool_reap(struct st_pool *p, const char *what)
{
	int i, bad = 0, status;

	for (i = 0; i < p->n; i++) {
		pid_t r;

		while ((r = waitpid(p->pids[i], &status, 0)) == -1 && errno == EINTR)
			;
		if (r == -1) {
			fprintf(stderr, "%s %d: waitpid: %s\n", what, i, strerror(errno));
			bad++;
			continue;
		}
		if (st_is_killer(i)) {
			if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
				continue;
			fprintf(stderr, "%s %d (a killer): did not get to kill itself"
			        " mid-frame (status 0x%x)\n", what, i, (unsigned)status);
		} else {
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				continue;
			fprintf(stderr, "%s %d: was not served (status 0x%x)\n",
			        what, i, (unsigned)status);
		}
		bad++;
	}
	free(p->pids);
	p->pids = NULL;
	return bad;
}

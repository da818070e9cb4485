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

double st_scale(void)
{
	const char *s = getenv("STRESS_SCALE");
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return 1.0;
	v = strtod(s, &end);
	if (*end != '\0' || !(v > 0.0 && v <= 1.0)) {
		fprintf(stderr, "STRESS_SCALE=%s: want a number in (0, 1]\n", s);
		exit(2);
	}
	return v;
}

int st_scaled(int full, int least)
{
	int v = (int)(full * st_scale() + 0.5);

	return v < least ? least : v;
}

int st_wave_count(void)
{
	const char *s = getenv("STRESS_WAVES");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 3;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 100) {
		fprintf(stderr, "STRESS_WAVES=%s: want a whole number from 1 to 100\n", s);
		exit(2);
	}
	return (int)v;
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

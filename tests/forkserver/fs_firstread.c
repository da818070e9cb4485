/* SPDX-License-Identifier: ISC */
/*
 * fs_firstread.c: a plain target for forkserver serve --first-read. It
 * "initialises" (notes its pid in $FS_INIT_LOG, sleeps $FS_INIT_MS
 * milliseconds, leaves a line in stdout's buffer), then reads all of its
 * standard input the way argv[1] says, and prints what it read; it exits
 * with the number the input starts with. Mode "thread" starts a thread
 * first, which runs at the fork point.
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char in[4096];

static void *idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* The first read, as mode says; the rest with fread. */
static size_t first(const char *mode)
{
	size_t n = 0;

	if (strcmp(mode, "read") == 0) {
		ssize_t r = read(0, in, sizeof in - 1);

		n = r > 0 ? (size_t)r : 0;
	} else if (strcmp(mode, "getline") == 0) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t r = getline(&line, &cap, stdin);

		if (r > 0 && (size_t)r < sizeof in) {
			memcpy(in, line, (size_t)r);
			n = (size_t)r;
		}
		free(line);
	} else if (strcmp(mode, "getc") == 0) {
		int c = getc(stdin);

		if (c != EOF)
			in[n++] = (char)c;
	} else if (strcmp(mode, "scanf") == 0) {
		int v;

		if (scanf("%d", &v) == 1)
			n = (size_t)snprintf(in, sizeof in, "%d", v);
	} else if (strcmp(mode, "poll") == 0) {
		struct pollfd p = { 0, POLLIN, 0 };

		if (poll(&p, 1, -1) == 1) {
			ssize_t r = read(0, in, sizeof in - 1);

			n = r > 0 ? (size_t)r : 0;
		}
	}
	return n;   /* fread: nothing yet */
}

int main(int argc, char **argv)
{
	const char *log = getenv("FS_INIT_LOG"), *ms = getenv("FS_INIT_MS");
	const char *mode = argc > 1 ? argv[1] : "fread";
	size_t n;

	if (log != NULL) {
		FILE *f = fopen(log, "a");

		if (f != NULL) {
			fprintf(f, "init %ld\n", (long)getpid());
			fclose(f);
		}
	}
	if (ms != NULL) {
		long v = atol(ms);
		struct timespec ts = { v / 1000, (v % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle, NULL) != 0)
			return 99;
	}
	printf("banner\n");             /* buffered: must reach no child */
	n = first(mode);
	n += fread(in + n, 1, sizeof in - 1 - n, stdin);
	in[n] = '\0';
	printf("got:%s", in);
	return atoi(in);
}

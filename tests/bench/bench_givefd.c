/* SPDX-License-Identifier: ISC */
/*
 * bench_givefd.c: what the library costs over the raw system calls. Each
 * trial passes descriptors through a socket pair and closes what arrives:
 * once through givefd_send/givefd_recv, once through hand-written
 * sendmsg/recvmsg doing the same work, alternating, many short rounds;
 * the fastest round of each is compared (the least disturbed by the rest
 * of the machine). Python's socket.send_fds and Perl's IO::FDPass run
 * the same loop when they are installed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"
#include "rawfd.h"

#define ROUNDS 21

/* CPU time of this (single-threaded) process, user and system: other
 * processes on a shared machine do not count against a round. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* One raw transfer of nfds copies of fd, as a careful caller would write
 * it: aligned control buffer, MSG_NOSIGNAL, MSG_CMSG_CLOEXEC. */
static void raw_transfer(int tx, int rx, int fd, size_t nfds, int *got)
{
	size_t count;
	int flags;

	if (raw_send_copies(tx, fd, nfds) != 1)
		die("sendmsg");
	if (raw_recv(rx, got, &count, &flags) != 1 || (flags & MSG_CTRUNC) ||
	    count != nfds)
		die("recvmsg");
}

static void library_transfer(int tx, int rx, const int *fds, size_t nfds,
                             int *got)
{
	size_t room = nfds;

	if (givefd_send(tx, fds, nfds, NULL, 0) == -1)
		die("givefd_send");
	if (givefd_recv(rx, got, &room, NULL, 0) == -1 || room != nfds)
		die("givefd_recv");
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Seconds per transfer in each of ROUNDS rounds of count transfers,
 * sorted: [0] is the fastest round. */
struct trial {
	size_t nfds;
	long count;
	double library[ROUNDS], raw[ROUNDS];
};

static void run_trial(struct trial *t)
{
	int sv[2], *fds, *got;
	size_t i;
	long k;
	int r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		die("socketpair");
	fds = calloc(t->nfds, sizeof *fds);
	got = calloc(RAWFD_MAX, sizeof *got);
	if (fds == NULL || got == NULL)
		die("calloc");
	for (i = 0; i < t->nfds; i++)
		fds[i] = sv[0];
	for (r = 0; r < ROUNDS; r++) {
		double start = now();

		for (k = 0; k < t->count; k++) {
			library_transfer(sv[0], sv[1], fds, t->nfds, got);
			for (i = 0; i < t->nfds; i++)
				close(got[i]);
		}
		t->library[r] = (now() - start) / (double)t->count;
		start = now();
		for (k = 0; k < t->count; k++) {
			raw_transfer(sv[0], sv[1], sv[0], t->nfds, got);
			for (i = 0; i < t->nfds; i++)
				close(got[i]);
		}
		t->raw[r] = (now() - start) / (double)t->count;
	}
	qsort(t->library, ROUNDS, sizeof(double), compare_doubles);
	qsort(t->raw, ROUNDS, sizeof(double), compare_doubles);
	free(fds);
	free(got);
	close(sv[0]);
	close(sv[1]);
}

/* Runs a script's loop; returns its seconds per transfer, or 0. */
static double script_seconds(const char *command)
{
	FILE *p = popen(command, "r");
	double seconds = 0;

	if (p == NULL)
		return 0;
	if (fscanf(p, "%lf", &seconds) != 1)
		seconds = 0;
	if (pclose(p) != 0)
		seconds = 0;
	return seconds;
}

static void print_row(const char *what, double seconds, double baseline)
{
	printf("  %-34s %10.0f /s   %8.3f us   x%.3f\n", what, 1.0 / seconds,
	       seconds * 1e6, seconds / baseline);
}

int main(void)
{
	const char *srcdir = getenv("top_srcdir");
	struct trial one = { 1, 5000, { 0 }, { 0 } };
	struct trial batch = { 0, 100, { 0 }, { 0 } };
	char command[4096];
	double python, perl;

	if (srcdir == NULL)
		srcdir = ".";
	batch.nfds = givefd_max_fds();
	run_trial(&one);
	run_trial(&batch);

	printf("libgivefd %s (%s) against raw sendmsg/recvmsg, CPU time, fastest of %d rounds\n",
	       PACKAGE_VERSION, givefd_backend(), ROUNDS);
	printf("one descriptor per message (%ld per round):\n", one.count);
	print_row("raw sendmsg/recvmsg (baseline)", one.raw[0], one.raw[0]);
	print_row("givefd_send/givefd_recv", one.library[0], one.raw[0]);
	snprintf(command, sizeof command,
	         "python3 '%s/tests/bench/fdpass_loop.py' 20000 2>/dev/null", srcdir);
	python = script_seconds(command);
	if (python > 0)
		print_row("Python socket.send_fds/recv_fds", python, one.raw[0]);
	else
		printf("  Python socket.send_fds: not available\n");
	snprintf(command, sizeof command,
	         "perl '%s/tests/bench/fdpass_loop.pl' 20000 2>/dev/null", srcdir);
	perl = script_seconds(command);
	if (perl > 0)
		print_row("Perl IO::FDPass", perl, one.raw[0]);
	else
		printf("  Perl IO::FDPass: not available\n");
	printf("%zu descriptors per message (%ld per round; per message):\n",
	       batch.nfds, batch.count);
	print_row("raw sendmsg/recvmsg (baseline)", batch.raw[0], batch.raw[0]);
	print_row("givefd_send/givefd_recv", batch.library[0], batch.raw[0]);
	printf("goal: library within x1.050 of raw\n");
	return 0;
}

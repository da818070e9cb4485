/*
 * bench_givefd.c: what the library costs over the raw system calls. Each
 * trial passes descriptors through a socket pair and closes what arrives:
 * once through givefd_send/givefd_recv, once through hand-written
 * sendmsg/recvmsg doing the same work, alternating, several rounds; the
 * medians are compared. Python's socket.send_fds and Perl's IO::FDPass run
 * the same loop when they are installed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"

#define ROUNDS 7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
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
	union {
		struct cmsghdr align;
		unsigned char bytes[CMSG_SPACE(sizeof(int) * 1024)];
	} out, in;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;
	size_t i;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = out.bytes;
	msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	for (i = 0; i < nfds; i++)
		memcpy(CMSG_DATA(cmsg) + i * sizeof(int), &fd, sizeof fd);
	if (sendmsg(tx, &msg, MSG_NOSIGNAL) != 1)
		die("sendmsg");
	msg.msg_control = in.bytes;
	msg.msg_controllen = sizeof in.bytes;
	if (recvmsg(rx, &msg, MSG_CMSG_CLOEXEC) != 1 || (msg.msg_flags & MSG_CTRUNC))
		die("recvmsg");
	cmsg = CMSG_FIRSTHDR(&msg);
	memcpy(got, CMSG_DATA(cmsg), nfds * sizeof(int));
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

/* Seconds per transfer, the median of ROUNDS rounds of count transfers. */
static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

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
	got = calloc(t->nfds, sizeof *got);
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
	struct trial one = { 1, 20000, { 0 }, { 0 } };
	struct trial batch = { 0, 400, { 0 }, { 0 } };
	char command[4096];
	double python, perl;

	if (srcdir == NULL)
		srcdir = ".";
	batch.nfds = givefd_max_fds();
	run_trial(&one);
	run_trial(&batch);

	printf("libgivefd %s (%s) against raw sendmsg/recvmsg, median of %d rounds\n",
	       PACKAGE_VERSION, givefd_backend(), ROUNDS);
	printf("one descriptor per message (%ld per round):\n", one.count);
	print_row("raw sendmsg/recvmsg (baseline)", one.raw[ROUNDS / 2], one.raw[ROUNDS / 2]);
	print_row("givefd_send/givefd_recv", one.library[ROUNDS / 2], one.raw[ROUNDS / 2]);
	snprintf(command, sizeof command,
	         "python3 '%s/tests/bench/fdpass_loop.py' 20000 2>/dev/null", srcdir);
	python = script_seconds(command);
	if (python > 0)
		print_row("Python socket.send_fds/recv_fds", python, one.raw[ROUNDS / 2]);
	else
		printf("  Python socket.send_fds: not available\n");
	snprintf(command, sizeof command,
	         "perl '%s/tests/bench/fdpass_loop.pl' 20000 2>/dev/null", srcdir);
	perl = script_seconds(command);
	if (perl > 0)
		print_row("Perl IO::FDPass", perl, one.raw[ROUNDS / 2]);
	else
		printf("  Perl IO::FDPass: not available\n");
	printf("%zu descriptors per message (%ld per round; per message):\n",
	       batch.nfds, batch.count);
	print_row("raw sendmsg/recvmsg (baseline)", batch.raw[ROUNDS / 2], batch.raw[ROUNDS / 2]);
	print_row("givefd_send/givefd_recv", batch.library[ROUNDS / 2], batch.raw[ROUNDS / 2]);
	printf("goal: library within x1.050 of raw\n");
	return 0;
}

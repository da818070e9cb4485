/* SPDX-License-Identifier: ISC */
/*
 * givefd-demo.c: shows libgivefd at work. For every backend built in and
 * every kind of channel, a parent passes a pipe end, a regular file and a
 * socket to a forked child, which checks that each is the same open file
 * it was sent; then the two time a stream of transfers. Prints a table.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"

static const char *const backend_names[] = {
	"scm_rights", "accrights", "streams", "procfd", "pidfd",
};

struct channel_kind {
	const char *name;
	int socket_type;        /* 0: a pipe */
};

static const struct channel_kind channels[] = {
	{ "stream", SOCK_STREAM },
	{ "seqpacket", SOCK_SEQPACKET },
	{ "dgram", SOCK_DGRAM },
	{ "pipe", 0 },
};

/* What the sender says about each descriptor, so the receiver can check. */
struct identity {
	uint64_t dev, ino;
	int64_t offset;         /* -1: not a regular file */
	char label[16];
};

#define TIMED_SECONDS 0.25
#define END_LABEL "end"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int describe(int fd, const char *label, struct identity *id)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	memset(id, 0, sizeof *id);
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->offset = S_ISREG(st.st_mode) ? (int64_t)lseek(fd, 0, SEEK_CUR) : -1;
	snprintf(id->label, sizeof id->label, "%s", label);
	return 0;
}

/* Child: receives and checks the samples, then counts timed transfers
 * until the end message. Exit status 0 when all was right. The demo made
 * every channel itself, so it trusts their writers: without
 * GIVEFD_TRUST_WRITERS the pipe backends' messages would be refused on
 * pipes and socket pairs, where the kernel cannot name the sender. */
static int receiver(int chan, int nsamples, int shares_offset)
{
	int i;

	for (i = 0; i < nsamples; i++) {
		struct identity sent, got;
		size_t nfds = 1;
		int fd;

		if (givefd_recv_flags(chan, &fd, &nfds, &sent, sizeof sent,
		                      GIVEFD_TRUST_WRITERS) != sizeof sent ||
		    nfds != 1) {
			/* The sender gave up (a channel the backend cannot
			 * use): the parent says why. */
			if (errno != ENOTSOCK && errno != EPIPE)
				fprintf(stderr, "  receiver: %s\n", strerror(errno));
			return 1;
		}
		describe(fd, sent.label, &got);
		if (got.dev != sent.dev || got.ino != sent.ino) {
			fprintf(stderr, "  receiver: %s is another file\n", sent.label);
			return 1;
		}
		if (shares_offset && got.offset != sent.offset) {
			fprintf(stderr, "  receiver: %s offset %lld, sent at %lld\n",
			        sent.label, (long long)got.offset, (long long)sent.offset);
			return 1;
		}
		close(fd);
	}
	for (;;) {
		char label[sizeof END_LABEL];
		size_t nfds = 1;
		int fd;
		ssize_t n = givefd_recv_flags(chan, &fd, &nfds, label, sizeof label,
		                              GIVEFD_TRUST_WRITERS);

		if (n == -1) {
			fprintf(stderr, "  receiver: timed loop: %s\n", strerror(errno));
			return 1;
		}
		if (nfds == 0)
			return n == (ssize_t)sizeof label &&
			       memcmp(label, END_LABEL, sizeof label) == 0 ? 0 : 1;
		close(fd);
	}
}

/* Opens the three kinds of descriptor the demo passes. */
static int open_samples(int fds[3], int keep[3])
{
	char path[] = "/tmp/givefd-demo-XXXXXX";
	int p[2], sv[2];

	if (pipe(p) == -1)
		return -1;
	fds[0] = p[1];
	keep[0] = p[0];
	fds[1] = mkstemp(path);
	if (fds[1] == -1)
		return -1;
	unlink(path);
	if (write(fds[1], "offset", 6) != 6)
		return -1;
	keep[1] = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	fds[2] = sv[0];
	keep[2] = sv[1];
	return 0;
}

static void close_samples(int fds[3], int keep[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		close(fds[i]);
		if (keep[i] != -1)
			close(keep[i]);
	}
}

/* Runs one backend over one channel kind; prints its row. Returns 0 unless
 * something that should work failed. */
static int run_case(const char *backend, const struct channel_kind *kind)
{
	static const char *const labels[3] = { "pipe end", "regular file", "socket" };
	int ends[2], fds[3], keep[3], status, i, failed = 0, shares_offset;
	int nsamples;
	long transfers = 0;
	double start, elapsed;
	pid_t pid;

	if (kind->socket_type != 0 ?
	    socketpair(AF_UNIX, kind->socket_type, 0, ends) == -1 :
	    pipe(ends) == -1) {
		printf("%-11s %-10s %-40s\n", backend, kind->name, strerror(errno));
		return 0;
	}
	/* ends[0] receives in the child, ends[1] sends here. */
	/* procfd reopens files by name: new offsets, and no sockets. */
	shares_offset = strcmp(backend, "procfd") != 0;
	nsamples = shares_offset ? 3 : 2;
	pid = fork();
	if (pid == -1) {
		perror("givefd-demo: fork");
		exit(1);
	}
	if (pid == 0) {
		close(ends[1]);
		_exit(receiver(ends[0], nsamples, shares_offset));
	}
	close(ends[0]);
	if (open_samples(fds, keep) == -1) {
		perror("givefd-demo: samples");
		exit(1);
	}
	for (i = 0; i < nsamples && !failed; i++) {
		struct identity id;

		describe(fds[i], labels[i], &id);
		if (givefd_send(ends[1], &fds[i], 1, &id, sizeof id) == -1)
			failed = errno;
	}
	start = now();
	while (!failed && now() - start < TIMED_SECONDS) {
		if (givefd_send(ends[1], &fds[0], 1, END_LABEL, 1) == -1)
			failed = errno;
		else
			transfers++;
	}
	/* The timed messages above carry one byte; the end carries all of
	 * END_LABEL and no descriptor. */
	if (!failed && givefd_send(ends[1], NULL, 0, END_LABEL, sizeof END_LABEL) == -1)
		failed = errno;
	close(ends[1]);
	waitpid(pid, &status, 0);
	elapsed = now() - start;
	close_samples(fds, keep);
	if (failed == ENOTSOCK || failed == ENOTSUP) {
		printf("%-11s %-10s %-40s\n", backend, kind->name,
		       "n/a (backend needs another channel)");
		return 0;
	}
	if (failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("%-11s %-10s FAIL: %-30s\n", backend, kind->name,
		       failed ? strerror(failed) : "receiver found a difference");
		return 1;
	}
	printf("%-11s %-10s %-40s %12.0f\n", backend, kind->name,
	       shares_offset ? "ok: same files, shared offsets"
	                     : "ok: same files, own offsets, no sockets",
	       (double)transfers / elapsed);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: givefd-demo [--list-backends] [--help] [--version]\n"
	        "Passes a pipe end, a regular file and a socket to a child over every\n"
	        "backend built into libgivefd and every kind of channel, checks they\n"
	        "arrive as the same open files, and times a stream of transfers.\n");
}

int main(int argc, char **argv)
{
	const char *default_backend;
	size_t b, c;
	int failures = 0;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("givefd-demo %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--list-backends") == 0) {
		for (b = 0; b < sizeof backend_names / sizeof backend_names[0]; b++)
			if (givefd_use_backend(backend_names[b]) == 0)
				printf("%s\n", backend_names[b]);
		return 0;
	}
	if (argc > 1) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	default_backend = givefd_backend();
	if (default_backend == NULL) {
		fprintf(stderr, "givefd-demo: GIVEFD_BACKEND names a backend that is not built in\n");
		return 1;
	}
	printf("%-11s %-10s %-40s %12s\n", "backend", "channel", "result",
	       "transfers/s");
	for (b = 0; b < sizeof backend_names / sizeof backend_names[0]; b++) {
		if (givefd_use_backend(backend_names[b]) == -1) {
			printf("%-11s %-10s %-40s\n", backend_names[b], "-",
			       "not built on this system");
			continue;
		}
		for (c = 0; c < sizeof channels / sizeof channels[0]; c++)
			failures += run_case(backend_names[b], &channels[c]);
	}
	givefd_use_backend(default_backend);
	printf("default backend: %s, at most %zu descriptors per message\n",
	       default_backend, givefd_max_fds());
	return failures == 0 ? 0 : 1;
}

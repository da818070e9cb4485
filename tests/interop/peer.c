/* SPDX-License-Identifier: ISC */
/*
 * peer.c: the C end of the interoperability tests. A script in another
 * language starts it with one end of a socket pair as descriptor CHAN and
 * talks the classic one-byte SCM_RIGHTS convention to it.
 *
 *   peer give-pipe CHAN TEXT    give a pipe's write end; expect TEXT back
 *   peer take-pipe CHAN TEXT    take a descriptor and write TEXT into it
 *   peer give-batch CHAN N      give N copies of a pipe's write end with
 *                               payload "batch"; expect N bytes back
 *   peer take-batch CHAN N      take N descriptors and payload "batch";
 *                               write one byte through each
 *
 * Exits 0 when all went as expected and no descriptor was left open.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "givefd.h"

static int open_fd_count(void)
{
	int fd, count = 0;

	for (fd = 0; fd < 1024; fd++)
		count += fcntl(fd, F_GETFD) != -1;
	return count;
}

static int fail(const char *what)
{
	fprintf(stderr, "peer: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Reads until end of file; 0 if exactly want arrived. */
static int expect_from(int fd, const char *want, size_t len)
{
	char buf[512];
	size_t got = 0;
	ssize_t n;

	while ((n = read(fd, buf + got, sizeof buf - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got != len || memcmp(buf, want, len) != 0) {
		fprintf(stderr, "peer: got %zu bytes, wanted %zu\n", got, len);
		return 1;
	}
	return 0;
}

static int give(int chan, size_t copies, const char *text)
{
	int p[2], *fds;
	size_t i;
	char *expected;
	int rc;

	if (pipe(p) == -1)
		return fail("pipe");
	fds = calloc(copies, sizeof *fds);
	expected = calloc(copies + 1, 1);
	if (fds == NULL || expected == NULL)
		return fail("calloc");
	for (i = 0; i < copies; i++)
		fds[i] = p[1];
	if (text == NULL) {
		memset(expected, '+', copies);
		if (givefd_send(chan, fds, copies, "batch", 5) != 5)
			return fail("givefd_send");
	} else if (givefd(chan, p[1]) == -1) {
		return fail("givefd");
	}
	close(p[1]);
	rc = text != NULL ? expect_from(p[0], text, strlen(text))
	                  : expect_from(p[0], expected, copies);
	free(fds);
	free(expected);
	return rc;
}

static int take_one(int chan, const char *text)
{
	int fd = getfd(chan);

	if (fd == -1)
		return fail("getfd");
	if ((fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0)
		return fail("received descriptor is not close-on-exec");
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return fail("write");
	close(fd);
	return 0;
}

static int take_batch(int chan, size_t count)
{
	int *fds = calloc(count + 1, sizeof *fds);
	size_t nfds = count + 1, i;
	char payload[16];
	ssize_t n;

	if (fds == NULL)
		return fail("calloc");
	n = givefd_recv(chan, fds, &nfds, payload, sizeof payload);
	if (n == -1)
		return fail("givefd_recv");
	if (nfds != count || n != 5 || memcmp(payload, "batch", 5) != 0) {
		fprintf(stderr, "peer: got %zu descriptors and %zd bytes\n", nfds, n);
		return 1;
	}
	for (i = 0; i < nfds; i++) {
		if (write(fds[i], "+", 1) != 1)
			return fail("write");
		close(fds[i]);
	}
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	int chan, before, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: peer give-pipe|take-pipe|give-batch|take-batch CHAN ARG\n");
		return 2;
	}
	chan = atoi(argv[2]);
	before = open_fd_count();
	if (strcmp(argv[1], "give-pipe") == 0)
		rc = give(chan, 1, argv[3]);
	else if (strcmp(argv[1], "take-pipe") == 0)
		rc = take_one(chan, argv[3]);
	else if (strcmp(argv[1], "give-batch") == 0)
		rc = give(chan, (size_t)atoi(argv[3]), NULL);
	else if (strcmp(argv[1], "take-batch") == 0)
		rc = take_batch(chan, (size_t)atoi(argv[3]));
	else
		return 2;
	if (rc == 0 && open_fd_count() != before) {
		fprintf(stderr, "peer: leaked %d descriptors\n", open_fd_count() - before);
		rc = 1;
	}
	return rc;
}

/* SPDX-License-Identifier: ISC */
/*
 * matrix-smoke.c: a check without cmocka, for the matrix cells whose
 * toolchain has no cmocka (musl) or that build only the library (small
 * compilers). A child sends a full batch of descriptors and a payload; the
 * parent checks they arrive as the same open file. Exit 0 on success.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"

#define FAIL(what) do { fprintf(stderr, "matrix-smoke: %s\n", what); return 1; } while (0)

static int child(int chan, int fd, size_t max)
{
	int *fds = calloc(max, sizeof *fds);
	unsigned char word[4];
	size_t i;

	if (fds == NULL)
		return 1;
	for (i = 0; i < max; i++)
		fds[i] = fd;
	/* A fixed byte order, so the parent can check it on any host. */
	word[0] = 0x01; word[1] = 0x02; word[2] = 0x03; word[3] = 0x04;
	if (givefd_send(chan, fds, max, word, sizeof word) != (ssize_t)sizeof word)
		return 1;
	free(fds);
	return 0;
}

int main(void)
{
	size_t max = givefd_max_fds(), nfds, i;
	unsigned char word[4];
	struct stat a, b;
	int sv[2], p[2], *fds, status;
	pid_t pid;

	if (max == 0 || (fds = calloc(max + 1, sizeof *fds)) == NULL)
		FAIL("givefd_max_fds gave 0");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1 || pipe(p) == -1)
		FAIL("socketpair or pipe");
	pid = fork();
	if (pid == -1)
		FAIL("fork");
	if (pid == 0) {
		/* Nothing left behind, so valgrind's cell can check the child. */
		free(fds);
		close(sv[0]);
		close(p[0]);
		status = child(sv[1], p[1], max);
		close(sv[1]);
		close(p[1]);
		_exit(status);
	}
	close(sv[1]);
	nfds = max + 1;
	/* The pair is ours: its writers are trusted (the pipe backends'
	 * messages need that said on a socket pair). */
	if (givefd_recv_flags(sv[0], fds, &nfds, word, sizeof word,
	                      GIVEFD_TRUST_WRITERS) != (ssize_t)sizeof word)
		FAIL("givefd_recv");
	if (nfds != max)
		FAIL("wrong descriptor count");
	if (memcmp(word, "\x01\x02\x03\x04", 4) != 0)
		FAIL("payload bytes changed");
	if (fstat(p[1], &a) == -1)
		FAIL("fstat");
	for (i = 0; i < nfds; i++) {
		if (fstat(fds[i], &b) == -1 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
			FAIL("a descriptor is not the pipe sent");
		close(fds[i]);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("child failed");
	close(sv[0]);
	close(p[0]);
	close(p[1]);
	free(fds);
	printf("matrix-smoke: %zu descriptors in one message with backend %s: ok\n",
	       max, givefd_backend());
	return 0;
}

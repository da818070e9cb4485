/* SPDX-License-Identifier: ISC */
/*
 * bench_prefetch_rtt.c: the round trip of one readahead request for pages
 * already cached: client library, socket, daemon, posix_fadvise, reply.
 * Two baselines from the same run: the same posix_fadvise called here
 * directly, and a bare 40-byte ping-pong with an echoing child over the
 * same kind of socketpair (the floor for any daemon). Starts its own
 * ./prefetchd in pipe mode over a socketpair.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "prefetch.h"

#define ROUNDS 20000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t spawn_daemon(int fd)
{
	char num[16];
	pid_t pid;

	snprintf(num, sizeof num, "%d", fd);
	pid = fork();
	if (pid == 0) {
		fcntl(fd, F_SETFD, 0);
		execl("./prefetchd", "prefetchd", "--input-fd", num, "--output-fd", num,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Round trips of a request-sized message to a child that echoes it. */
static double ping_pong(void)
{
	char msg[40] = { 0 };
	int sv[2], i;
	double t0, t;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return 0;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		while (read(sv[1], msg, sizeof msg) == (ssize_t)sizeof msg)
			if (write(sv[1], msg, sizeof msg) != (ssize_t)sizeof msg)
				break;
		_exit(0);
	}
	close(sv[1]);
	t0 = now();
	for (i = 0; i < ROUNDS; i++)
		if (write(sv[0], msg, sizeof msg) != (ssize_t)sizeof msg ||
		    read(sv[0], msg, sizeof msg) != (ssize_t)sizeof msg)
			break;
	t = (now() - t0) / ROUNDS;
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return t;
}

int main(void)
{
	char path[] = "/var/tmp/pfrtt-XXXXXX";
	static char block[1 << 16];
	double t0, local, remote, pong;
	int sv[2], fd, i, status;
	prefetch_t *p;
	pid_t pid;

	fd = mkstemp(path);
	if (fd == -1 || write(fd, block, sizeof block) != (ssize_t)sizeof block) {
		perror(path);
		return 1;
	}
	unlink(path);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		perror("socketpair");
		return 1;
	}
	pid = spawn_daemon(sv[1]);
	close(sv[1]);
	p = prefetch_attach(sv[0], sv[0]);
	if (p == NULL || prefetch_session_create(p, 1, "rtt", 0) == -1 ||
	    prefetch_register_fd(p, 1, 1, fd) == -1) {
		perror("prefetchd");
		return 1;
	}
	/* Cached, then measured: locally, then through the daemon. */
	posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED);
	t0 = now();
	for (i = 0; i < ROUNDS; i++)
		posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED);
	local = (now() - t0) / ROUNDS;
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		if (prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, 0, 4096, NULL) == -1) {
			perror("prefetch_readahead");
			return 1;
		}
	}
	remote = (now() - t0) / ROUNDS;
	pong = ping_pong();
	prefetch_close(p);
	close(fd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "prefetchd did not exit cleanly\n");
		return 1;
	}
	printf("one cached 4 KiB readahead, %d rounds\n", ROUNDS);
	printf("  posix_fadvise here (baseline) %8.2f us\n", local * 1e6);
	printf("  socketpair ping-pong          %8.2f us\n", pong * 1e6);
	printf("  through prefetchd             %8.2f us   %6.1fx fadvise, "
	       "%4.1fx ping-pong\n", remote * 1e6, remote / local, remote / pong);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/* testutil.c: see testutil.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define TU_MAX_FD 4096

struct fd_snapshot {
	unsigned char open[TU_MAX_FD];
};

int tu_fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

static void take_snapshot(struct fd_snapshot *snap)
{
	int fd;

	for (fd = 0; fd < TU_MAX_FD; fd++)
		snap->open[fd] = (unsigned char)tu_fd_is_open(fd);
}

int tu_count_open_fds(void)
{
	int fd, count = 0;

	for (fd = 0; fd < TU_MAX_FD; fd++)
		count += tu_fd_is_open(fd);
	return count;
}

int tu_snapshot(void **state)
{
	struct fd_snapshot *snap = malloc(sizeof *snap);

	if (snap == NULL)
		return -1;
	take_snapshot(snap);
	*state = snap;
	return 0;
}

int tu_check_clean(void **state)
{
	struct fd_snapshot *before = *state, after;
	int fd, leaks = 0, status;
	pid_t zombie;

	take_snapshot(&after);
	for (fd = 0; fd < TU_MAX_FD; fd++) {
		if (after.open[fd] && !before->open[fd]) {
			fprintf(stderr, "leaked descriptor %d\n", fd);
			close(fd);
			leaks++;
		}
	}
	free(before);
	zombie = waitpid(-1, &status, WNOHANG);
	if (zombie > 0)
		fprintf(stderr, "unreaped child %ld\n", (long)zombie);
	return leaks == 0 && zombie <= 0 ? 0 : -1;
}

void tu_child_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: in child %ld: check failed: %s (errno %d: %s)\n",
	        file, line, (long)getpid(), what, errno, strerror(errno));
}

static pid_t fork_with(int parent_end, int child_end,
                       int (*body)(int chan, void *arg), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(parent_end);
		_exit(body(child_end, arg));
	}
	close(child_end);
	return pid;
}

pid_t tu_fork_peer(int type, int *parent_end,
                   int (*body)(int chan, void *arg), void *arg)
{
	int sv[2];

	if (socketpair(AF_UNIX, type, 0, sv) == -1)
		return -1;
	*parent_end = sv[0];
	return fork_with(sv[0], sv[1], body, arg);
}

pid_t tu_fork_pipe_peer(int child_writes, int *parent_end,
                        int (*body)(int chan, void *arg), void *arg)
{
	int p[2];

	if (pipe(p) == -1)
		return -1;
	*parent_end = child_writes ? p[0] : p[1];
	return fork_with(*parent_end, child_writes ? p[1] : p[0], body, arg);
}

void tu_assert_child_ok(pid_t pid)
{
	int status;

	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int tu_same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

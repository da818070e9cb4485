/* SPDX-License-Identifier: ISC */
/*
 * centipede.c: the fork server as Centipede drives it, through two FIFOs
 * named by CENTIPEDE_FORK_SERVER_FIFO0 (requests: one byte each) and
 * CENTIPEDE_FORK_SERVER_FIFO1 (replies: the raw wait status as an int in
 * host byte order). Each child's stdout and stderr start empty when they
 * are regular files. End of file on FIFO0 ends the server.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server.h"
#include "writeall.h"

static void truncate_if_file(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		(void)lseek(fd, 0, SEEK_SET);
		(void)ftruncate(fd, 0);
	}
}

/* The server's SIGCHLD is the default, whatever the target had: ignored
 * (exec keeps that) or SA_NOCLDWAIT, the kernel reaps each child at once
 * and waitpid finds none to report; a handler of the target's could reap
 * it first. Each child gets the default anyway. */
static void take_sigchld(void)
{
	struct sigaction sa;

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGCHLD, &sa, NULL);
}

int fs_centipede_serve(const char *fifo0, const char *fifo1)
{
	int in = open(fifo0, O_RDONLY | O_CLOEXEC);
	int out = in == -1 ? -1 : open(fifo1, O_WRONLY | O_CLOEXEC);
	pid_t server = getpid();

	if (out == -1) {
		int err = errno;

		fprintf(stderr, "forkserver: cannot open the Centipede FIFOs\n");
		if (in != -1)
			close(in);
		errno = err;
		return -1;
	}
	take_sigchld();
	fs_note_signals();
	unsetenv("CENTIPEDE_FORK_SERVER_FIFO0");
	unsetenv("CENTIPEDE_FORK_SERVER_FIFO1");
	/* Flushed once: see setup() in server.c. */
	fflush(NULL);
	for (;;) {
		char byte;
		ssize_t n = read(in, &byte, 1);
		int status;
		pid_t pid;

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		pid = fork();
		if (pid == 0) {
			if (fs_die_with(server) == -1)
				_exit(127);
			close(in);
			close(out);
			fs_reset_signals();
			truncate_if_file(STDOUT_FILENO);
			truncate_if_file(STDERR_FILENO);
			return 0;
		}
		if (pid == -1)
			status = 127 << 8;
		else
			while (waitpid(pid, &status, 0) == -1)
				if (errno != EINTR) {
					status = 127 << 8;
					break;
				}
		if (util_write_all(out, &status, sizeof status) == -1)
			_exit(0);
	}
}

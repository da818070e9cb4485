/*
 * bench_pipes.c: transfers per second for procfd and pidfd next to
 * scm_rights, one descriptor per message, sender and receiver in two
 * processes; and the cost of the helper process next to a bare
 * fork()+waitpid() and a clone(CLONE_VM) with a small stack, all measured
 * in the same run. Usage: bench_pipes [transfers]
 */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds for n transfers of one descriptor from this process to a child
 * over a pipe (handle backends) or a stream socket pair. */
static double transfers(const char *backend, int use_pipe, long n)
{
	int ch[2], status;
	double start;
	pid_t pid;
	long i;

	if (givefd_use_backend(backend) == -1)
		return -1;
	if (use_pipe ? pipe(ch) : socketpair(AF_UNIX, SOCK_STREAM, 0, ch))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ch[1]);
		for (i = 0; i < n; i++) {
			int fd = getfd(ch[0]);

			if (fd == -1)
				_exit(1);
			close(fd);
		}
		_exit(0);
	}
	close(ch[0]);
	start = now();
	for (i = 0; i < n; i++)
		if (givefd(ch[1], 2) == -1)
			break;
	close(ch[1]);
	waitpid(pid, &status, 0);
	if (i < n || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now() - start;
}

static double bare_fork(long n)
{
	double start = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return now() - start;
}

static int tiny_child(void *arg)
{
	(void)arg;
	return 0;
}

/* A child sharing the address space, on a 16 KiB stack: no page tables to
 * copy. What a lighter helper would cost to create. */
static double small_clone(long n)
{
	static char stack[16384] __attribute__((aligned(16)));
	double start = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = clone(tiny_child, stack + sizeof stack,
		                  CLONE_VM | SIGCHLD, NULL);

		if (pid == -1)
			return -1;
		waitpid(pid, NULL, 0);
	}
	return now() - start;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000, big = n * 20;
	double scm = transfers("scm_rights", 0, big) / (double)big;
	double rows[4], fork_cost, clone_cost;
	static const char *const names[] = {
		"pidfd over a pipe", "pidfd over a socket",
		"procfd over a pipe", "procfd over a socket",
	};
	int i;

	rows[0] = transfers("pidfd", 1, n) / (double)n;
	rows[1] = transfers("pidfd", 0, n) / (double)n;
	rows[2] = transfers("procfd", 1, n) / (double)n;
	rows[3] = transfers("procfd", 0, n) / (double)n;
	fork_cost = bare_fork(n) / (double)n;
	clone_cost = small_clone(n) / (double)n;

	printf("%-26s %12s %10s\n", "one descriptor per message", "transfers/s", "x scm");
	printf("%-26s %12.0f %10.2f\n", "scm_rights over a socket", 1 / scm, 1.0);
	for (i = 0; i < 4; i++) {
		if (rows[i] < 0)
			printf("%-26s %12s\n", names[i], "failed");
		else
			printf("%-26s %12.0f %10.2f\n", names[i], 1 / rows[i], rows[i] / scm);
	}
	printf("\n%-26s %12s %10s\n", "process creation", "us each", "x fork");
	printf("%-26s %12.1f %10.2f\n", "fork()+waitpid()", fork_cost * 1e6, 1.0);
	printf("%-26s %12.1f %10.2f\n", "clone(CLONE_VM) 16 KiB", clone_cost * 1e6,
	       clone_cost / fork_cost);
	printf("%-26s %12.1f %10.2f\n", "procfd transfer (pipe)", rows[2] * 1e6,
	       rows[2] / fork_cost);
	return 0;
}

/*
 * bench_pipes.c: descriptors per second for procfd and pidfd next to
 * scm_rights, one and 64 descriptors per message, sender and receiver in
 * two processes; a bare round trip over a socket pair (what a synchronous
 * transfer cannot beat); and the cost of the helper process next to a bare
 * fork()+waitpid() and a clone(CLONE_VM) with a small stack, all measured
 * in the same run. Usage: bench_pipes [transfers]
 */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

#define BATCH 64

/* Seconds per descriptor for n messages of k descriptors (copies of
 * stderr) from this process to a child over a pipe (handle backends) or a
 * stream socket pair. */
static double per_descriptor(const char *backend, int use_pipe, long n,
                             size_t k)
{
	int ch[2], status, fds[BATCH];
	double start;
	size_t j;
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
			size_t got = k;
			char c;

			if (givefd_recv(ch[0], fds, &got, &c, 1) == -1 || got != k)
				_exit(1);
			for (j = 0; j < k; j++)
				close(fds[j]);
		}
		_exit(0);
	}
	close(ch[0]);
	for (j = 0; j < k; j++)
		fds[j] = 2;
	start = now();
	for (i = 0; i < n; i++)
		if (givefd_send(ch[1], fds, k, "x", 1) == -1)
			break;
	close(ch[1]);
	waitpid(pid, &status, 0);
	if (i < n || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return (now() - start) / (double)n / (double)k;
}

/* Seconds per round trip of one byte each way over a socket pair. */
static double round_trip(long n)
{
	int sv[2], status;
	double start;
	char c = 'x';
	pid_t pid;
	long i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1 && write(sv[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(sv[1]);
	start = now();
	for (i = 0; i < n; i++)
		if (write(sv[0], &c, 1) != 1 || read(sv[0], &c, 1) != 1)
			break;
	close(sv[0]);
	waitpid(pid, &status, 0);
	return i < n ? -1 : (now() - start) / (double)n;
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

/* Seconds per pidfd_getfd()+close() of a child's stderr, no messages at
 * all: what the pidfd backend pays per descriptor before anything else. */
static double raw_getfd(long n)
{
#ifdef HAVE_PIDFD_SYSCALLS
	int pidfd, status;
	double start;
	pid_t pid;
	long i;

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	start = now();
	for (i = 0; i < n && pidfd != -1; i++) {
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 2, 0);

		if (fd == -1)
			break;
		close(fd);
	}
	start = now() - start;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (pidfd != -1)
		close(pidfd);
	return i < n ? -1 : start / (double)n;
#else
	(void)n;
	return -1;
#endif
}

static void print_row(const char *name, double each, double base)
{
	if (each < 0)
		printf("%-26s %12s\n", name, "failed");
	else
		printf("%-26s %12.0f %10.2f\n", name, 1 / each, each / base);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000, big = n * 20;
	static const char *const names[] = {
		"pidfd over a pipe", "pidfd over a socket",
		"procfd over a pipe", "procfd over a socket",
	};
	static const char *const backends[] = { "pidfd", "pidfd", "procfd", "procfd" };
	double scm, rows[4], fork_cost, clone_cost, trip;
	size_t k;
	int i;

	for (k = 1; k <= BATCH; k += BATCH - 1) {
		long msgs = k == 1 ? n : n / 8 + 1;

		scm = per_descriptor("scm_rights", 0, k == 1 ? big : big / 8, k);
		for (i = 0; i < 4; i++)
			rows[i] = per_descriptor(backends[i], !(i & 1), msgs, k);
		printf("%2zu descriptor(s) a message %12s %10s\n", k, "descr./s", "x scm");
		print_row("scm_rights over a socket", scm, scm);
		for (i = 0; i < 4; i++)
			print_row(names[i], rows[i], scm);
		if (k == 1) {
			trip = round_trip(big);
			print_row("(1-byte round trip)", trip, scm);
		} else
			print_row("(raw pidfd_getfd+close)", raw_getfd(big), scm);
		printf("\n");
	}
	fork_cost = bare_fork(n) / (double)n;
	clone_cost = small_clone(n) / (double)n;
	rows[2] = per_descriptor("procfd", 1, n, 1);
	printf("%-26s %12s %10s\n", "process creation", "us each", "x fork");
	printf("%-26s %12.1f %10.2f\n", "fork()+waitpid()", fork_cost * 1e6, 1.0);
	printf("%-26s %12.1f %10.2f\n", "clone(CLONE_VM) 16 KiB", clone_cost * 1e6,
	       clone_cost / fork_cost);
	printf("%-26s %12.1f %10.2f\n", "procfd transfer (pipe)", rows[2] * 1e6,
	       rows[2] / fork_cost);
	return 0;
}

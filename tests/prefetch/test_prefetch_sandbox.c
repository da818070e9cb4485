/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_sandbox.c: prefetchd's seccomp filter, installed by the
 * daemon's own function in a child process. A call outside the list kills
 * the process, from any thread (socket, connect, sendmsg, execve, fork,
 * kcmp, ptrace, kill, an executable mapping, a write to a descriptor not
 * listed); the few calls that libgivefd may try on a peer's behalf fail
 * instead (opens for writing, pidfd_open); the calls the daemon
 * serves with still work. In pipe mode the handoff calls are allowed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"
#include "testutil.h"

/* The filter as the daemon serving sockets installs it, with chan and
 * stderr the descriptors it may write to. */
static int confine(int chan, int pipe_mode)
{
	int writes[2];
	struct pf_sandbox sb;

	writes[0] = STDERR_FILENO;
	writes[1] = chan;
	memset(&sb, 0, sizeof sb);
	sb.pipe_mode = pipe_mode;
	sb.write_fds = writes;
	sb.nwrite_fds = 2;
	return pf_sandbox_seccomp(&sb);
}

static int served(int chan, void *arg)
{
	void *addr;
	int fd;

	(void)arg;
	TU_CHECK(confine(chan, 0) == 0);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(close(fd) == 0);
	addr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	            -1, 0);
	TU_CHECK(addr != MAP_FAILED);
	TU_CHECK(munmap(addr, 4096) == 0);
	/* Refused, not fatal: the receive path may try these on input. */
	errno = 0;
	TU_CHECK(open("/dev/null", O_WRONLY | O_CLOEXEC) == -1 && errno == EACCES);
	errno = 0;
	TU_CHECK(openat(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC) == -1 &&
	         errno == EACCES);
	errno = 0;
	TU_CHECK(open("/dev/null", O_RDONLY | O_CREAT | O_CLOEXEC, 0600) == -1 &&
	         errno == EACCES);
#ifdef SYS_pidfd_open
	errno = 0;
	TU_CHECK(syscall(SYS_pidfd_open, getpid(), 0) == -1 && errno == EPERM);
#endif
	/* Replies go out by send(2), and writes to listed descriptors. */
	TU_CHECK(send(chan, "o", 1, MSG_NOSIGNAL) == 1);
	TU_CHECK(write(chan, "k", 1) == 1);
	return 0;
}

static void test_served_calls_work(void **state)
{
	char buf[2];
	int chan;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, served, NULL);

	(void)state;
	assert_int_equal(recv(chan, buf, 2, MSG_WAITALL), 2);
	assert_memory_equal(buf, "ok", 2);
	tu_assert_child_ok(pid);
	close(chan);
}

static int pipe_mode_served(int chan, void *arg)
{
	int fd;

	(void)arg;
	TU_CHECK(confine(chan, 1) == 0);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(write(fd, "x", 1) == 1); /* any descriptor, in pipe mode */
	TU_CHECK(close(fd) == 0);
#ifdef SYS_pidfd_open
	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	TU_CHECK(fd >= 0 || errno == ENOSYS);
	if (fd >= 0)
		close(fd);
#endif
	errno = 0;
	TU_CHECK(open("/dev/null", O_WRONLY | O_TRUNC | O_CLOEXEC) == -1 &&
	         errno == EACCES);
	TU_CHECK(write(chan, "ok", 2) == 2);
	return 0;
}

static void test_pipe_mode_handoff_allowed(void **state)
{
	char buf[2];
	int chan;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, pipe_mode_served, NULL);

	(void)state;
	assert_int_equal(recv(chan, buf, 2, MSG_WAITALL), 2);
	tu_assert_child_ok(pid);
	close(chan);
}

/* Each forbidden call, made under the filter in a child of its own. */
enum forbidden {
	F_SOCKET, F_CONNECT, F_SENDMSG, F_SENDTO_ADDR, F_EXECVE, F_FORK,
	F_KCMP, F_PTRACE, F_KILL, F_MMAP_EXEC, F_MPROTECT_EXEC, F_WRITE_OTHER,
	F_THREAD, F_COUNT
};

static const char *const forbidden_names[F_COUNT] = {
	"socket", "connect", "sendmsg", "sendto with an address", "execve",
	"fork", "kcmp", "ptrace", "kill", "mmap PROT_EXEC", "mprotect PROT_EXEC",
	"write to an unlisted descriptor", "socket from an earlier thread",
};

static int go[2];

static void *earlier_thread(void *arg)
{
	char c;

	(void)arg;
	if (read(go[0], &c, 1) == 1)
		socket(AF_INET, SOCK_STREAM, 0);
	return NULL;
}

static void attempt(enum forbidden which, int chan, int other)
{
	char *const argv[] = { (char *)"/bin/true", NULL };
	struct msghdr msg;
	struct iovec iov;
	struct sockaddr sa;
	void *addr;
	char c = 'x';

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_family = AF_UNIX;
	switch (which) {
	case F_SOCKET: socket(AF_UNIX, SOCK_STREAM, 0); break;
	case F_CONNECT: connect(chan, &sa, sizeof sa); break;
	case F_SENDMSG: sendmsg(chan, &msg, 0); break;
	case F_SENDTO_ADDR: sendto(chan, &c, 1, 0, &sa, sizeof sa); break;
	case F_EXECVE: execv(argv[0], argv); break;
	case F_FORK: if (fork() == 0) _exit(0); break;
#ifdef SYS_kcmp
	case F_KCMP: syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0); break;
#else
	case F_KCMP: raise(SIGSYS); break;
#endif
	case F_PTRACE: syscall(SYS_ptrace, 0, 0, 0, 0); break;
	case F_KILL: kill(getpid(), 0); break;
	case F_MMAP_EXEC:
		addr = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		(void)addr;
		break;
	case F_MPROTECT_EXEC:
		addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (addr != MAP_FAILED)
			mprotect(addr, 4096, PROT_READ | PROT_EXEC);
		break;
	case F_WRITE_OTHER: (void)!write(other, &c, 1); break;
	case F_THREAD:
		(void)!write(go[1], &c, 1);
		pause();
		break;
	default: break;
	}
}

static void test_forbidden_calls_kill(void **state)
{
	int w;

	(void)state;
	for (w = 0; w < F_COUNT; w++) {
		int sv[2], other[2], status;
		pid_t pid;

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
		assert_int_equal(pipe2(other, O_CLOEXEC), 0);
		assert_int_equal(pipe2(go, O_CLOEXEC), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			pthread_t thread;

			if (pthread_create(&thread, NULL, earlier_thread, NULL) != 0 ||
			    confine(sv[1], 0) != 0)
				_exit(2);
			attempt((enum forbidden)w, sv[1], other[1]);
			_exit(0); /* survived: the test fails */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
			fail_msg("%s: the filter let it through (status %#x)",
			         forbidden_names[w], (unsigned)status);
		close(sv[0]);
		close(sv[1]);
		close(other[0]);
		close(other[1]);
		close(go[0]);
		close(go[1]);
	}
}

static void test_lookup(void **state)
{
	uid_t uid;
	gid_t gid;

	(void)state;
	assert_int_equal(pf_sandbox_lookup("root", &uid, &gid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(pf_sandbox_lookup("4321", &uid, &gid), 0);
	assert_int_equal(uid, 4321);
	assert_int_equal(pf_sandbox_lookup("no such user here", &uid, &gid), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_served_calls_work),
		TU_TEST(test_pipe_mode_handoff_allowed),
		TU_TEST(test_forbidden_calls_kill),
		TU_TEST(test_lookup),
	};

#ifndef HAVE_SECCOMP
	fprintf(stderr, "skipped: built without libseccomp (--with-seccomp)\n");
	return 77;
#endif
	return cmocka_run_group_tests(tests, NULL, NULL);
}

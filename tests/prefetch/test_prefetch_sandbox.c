/*
 * test_prefetch_sandbox.c: once prefetchd's seccomp filter is in, a call
 * outside its list is refused (socket, execve, fork), in every thread,
 * while the calls it serves with still work.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox.h"
#include "testutil.h"

/* A thread running before the filter: told to go, it tries a socket. */
static int go[2], ready[2];

static void *earlier_thread(void *arg)
{
	int *err = arg;
	char c = 'r';
	int fd;

	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
		return NULL;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	*err = fd == -1 ? errno : 0;
	if (fd != -1)
		close(fd);
	return NULL;
}

static int confined(int chan, void *arg)
{
	char *const argv[] = { (char *)"/bin/true", NULL };
	pthread_t thread;
	int fd, thread_err = -1;
	char c;

	(void)arg;
	TU_CHECK(pipe(go) == 0 && pipe(ready) == 0);
	TU_CHECK(pthread_create(&thread, NULL, earlier_thread, &thread_err) == 0);
	TU_CHECK(read(ready[0], &c, 1) == 1); /* it runs: set up before the filter */
	TU_CHECK(pf_sandbox_seccomp() == 0);
	TU_CHECK(write(go[1], "g", 1) == 1);
	TU_CHECK(pthread_join(thread, NULL) == 0);
	TU_CHECK(thread_err == EPERM); /* the filter covers every thread */
	errno = 0;
	TU_CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EPERM);
	errno = 0;
	TU_CHECK(execv(argv[0], argv) == -1 && errno == EPERM);
	errno = 0;
	TU_CHECK(fork() == -1 && errno == EPERM);
	/* What the daemon does keeps working. */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(close(fd) == 0);
	TU_CHECK(write(chan, "ok", 2) == 2);
	return 0;
}

static void test_forbidden_call_refused(void **state)
{
	char buf[2];
	int chan;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, confined, NULL);

	(void)state;
	assert_int_equal(read(chan, buf, 2), 2);
	tu_assert_child_ok(pid);
	close(chan);
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
		TU_TEST(test_forbidden_call_refused),
		TU_TEST(test_lookup),
	};

#ifndef HAVE_SECCOMP
	fprintf(stderr, "skipped: built without libseccomp (--with-seccomp)\n");
	return 77;
#endif
	return cmocka_run_group_tests(tests, NULL, NULL);
}

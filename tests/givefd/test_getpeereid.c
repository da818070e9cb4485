/* SPDX-License-Identifier: ISC */
/*
 * test_getpeereid.c: getpeereid (libc's, or compat/getpeereid.c built from
 * what configure found) names the peer of a real socket, refuses what is
 * not a socket, and never answers for a socket without a peer.
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat.h"
#include "testutil.h"

/* Whether configure found a way: then the answer must be right. */
#if defined(HAVE_GETPEEREID) || defined(HAVE_SO_PEERCRED_UCRED) || \
    defined(HAVE_SO_PEERCRED_SOCKPEERCRED) || defined(HAVE_GETPEERUCRED) || \
    defined(HAVE_LOCAL_PEERCRED)
#define MECHANISM 1
#else
#define MECHANISM 0
#endif

/* The peer is this user, or (without a mechanism) ENOTSUP, never a guess. */
static void expect_own_ids(int sock)
{
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	if (getpeereid(sock, &uid, &gid) == -1) {
		assert_false(MECHANISM);
		assert_int_equal(errno, ENOTSUP);
		return;
	}
	assert_true(MECHANISM);
	assert_int_equal(uid, geteuid());
	assert_int_equal(gid, getegid());
}

static void test_peer_of_a_socket_pair(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	expect_own_ids(sv[0]);
	expect_own_ids(sv[1]);
	close(sv[0]);
	close(sv[1]);
}

static void test_peer_in_another_process(void **state)
{
	int sv[2];
	pid_t pid;
	char byte;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		close(sv[0]);
		if (read(sv[1], &byte, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	expect_own_ids(sv[0]);
	assert_int_equal(write(sv[0], "x", 1), 1);
	close(sv[0]);
	tu_assert_child_ok(pid);
}

static void test_not_a_socket(void **state)
{
	uid_t uid;
	gid_t gid;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(getpeereid(p[0], &uid, &gid), -1);
	assert_int_equal(errno, MECHANISM ? ENOTSOCK : ENOTSUP);
	close(p[0]);
	close(p[1]);
	assert_int_equal(getpeereid(-1, &uid, &gid), -1);
	assert_int_equal(errno, MECHANISM ? EBADF : ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_peer_of_a_socket_pair),
		TU_TEST(test_peer_in_another_process),
		TU_TEST(test_not_a_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

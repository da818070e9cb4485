/* SPDX-License-Identifier: ISC */
/*
 * test_unixsock.c: binding and connecting Unix sockets by path
 * (src/util/unixsock.h). A socket left by a server that is gone is
 * replaced; a live server's socket and a file that is not a socket are
 * left alone (EADDRINUSE); the file is 0600 whatever the umask.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "testutil.h"
#include "unixsock.h"

struct place {
	char dir[64];
	char path[96];
};

static void make_place(struct place *pl)
{
	strcpy(pl->dir, "/tmp/test_unixsock.XXXXXX");
	assert_non_null(mkdtemp(pl->dir));
	snprintf(pl->path, sizeof pl->path, "%s/sock", pl->dir);
}

static void remove_place(struct place *pl)
{
	(void)unlink(pl->path);
	assert_int_equal(rmdir(pl->dir), 0);
}

static int mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	return (int)(st.st_mode & 07777);
}

static void test_binds_private_and_connects(void **state)
{
	struct place pl;
	mode_t old;
	int lfd, cfd, afd;

	(void)state;
	make_place(&pl);
	old = umask(0);
	lfd = util_bind_unix(pl.path, 1);
	umask(old);
	assert_true(lfd >= 0);
	assert_int_equal(mode_of(pl.path), 0600);
	assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(listen(lfd, 4), 0);
	cfd = util_connect_unix(pl.path);
	assert_true(cfd >= 0);
	assert_true(fcntl(cfd, F_GETFD) & FD_CLOEXEC);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	assert_int_equal(write(cfd, "x", 1), 1);
	close(afd);
	close(cfd);
	close(lfd);
	remove_place(&pl);
}

static void test_inheritable_when_asked(void **state)
{
	struct place pl;
	int lfd;

	(void)state;
	make_place(&pl);
	lfd = util_bind_unix(pl.path, 0);
	assert_true(lfd >= 0);
	assert_false(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	close(lfd);
	remove_place(&pl);
}

static void test_replaces_a_stale_socket(void **state)
{
	struct place pl;
	int old, lfd, cfd;

	(void)state;
	make_place(&pl);
	old = util_bind_unix(pl.path, 1);
	assert_true(old >= 0);
	assert_int_equal(listen(old, 4), 0);
	close(old);                     /* its server is gone, the file stays */
	lfd = util_bind_unix(pl.path, 1);
	assert_true(lfd >= 0);
	assert_int_equal(listen(lfd, 4), 0);
	cfd = util_connect_unix(pl.path);
	assert_true(cfd >= 0);
	close(cfd);
	close(lfd);
	remove_place(&pl);
}

static void test_leaves_a_live_socket(void **state)
{
	struct place pl;
	int live, fd, cfd;

	(void)state;
	make_place(&pl);
	live = util_bind_unix(pl.path, 1);
	assert_true(live >= 0);
	assert_int_equal(listen(live, 4), 0);
	errno = 0;
	fd = util_bind_unix(pl.path, 1);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EADDRINUSE);
	/* The live server still has its socket, and is still reached. */
	cfd = util_connect_unix(pl.path);
	assert_true(cfd >= 0);
	close(cfd);
	close(live);
	remove_place(&pl);
}

static void test_leaves_a_file_that_is_not_a_socket(void **state)
{
	struct place pl;
	struct stat st;
	int file, fd;

	(void)state;
	make_place(&pl);
	file = open(pl.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(file >= 0);
	close(file);
	errno = 0;
	fd = util_bind_unix(pl.path, 1);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(lstat(pl.path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	remove_place(&pl);
}

static void test_refuses_a_path_too_long(void **state)
{
	struct sockaddr_un sa;
	char path[sizeof sa.sun_path + 8];

	(void)state;
	memset(path, 'a', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	errno = 0;
	assert_int_equal(util_bind_unix(path, 1), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	errno = 0;
	assert_int_equal(util_connect_unix(path), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

static void test_connect_to_nothing(void **state)
{
	struct place pl;

	(void)state;
	make_place(&pl);
	errno = 0;
	assert_int_equal(util_connect_unix(pl.path), -1);
	assert_int_equal(errno, ENOENT);
	remove_place(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_binds_private_and_connects),
		TU_TEST(test_inheritable_when_asked),
		TU_TEST(test_replaces_a_stale_socket),
		TU_TEST(test_leaves_a_live_socket),
		TU_TEST(test_leaves_a_file_that_is_not_a_socket),
		TU_TEST(test_refuses_a_path_too_long),
		TU_TEST(test_connect_to_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

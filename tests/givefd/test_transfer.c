/* SPDX-License-Identifier: ISC */
/*
 * test_transfer.c: descriptors cross from one process to another over each
 * kind of Unix socket and arrive as the same open files, close-on-exec,
 * with their payload.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "givefd.h"
#include "rawfd.h"
#include "testutil.h"

static const int socket_types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };

/* Child: writes 3 bytes to a temporary file, sends it, then its identity. */
static int send_written_file(int chan, void *arg)
{
	char path[] = "/tmp/givefd-test-XXXXXX";
	struct stat st;
	int fd = mkstemp(path);

	(void)arg;
	TU_CHECK(fd >= 0);
	unlink(path);
	TU_CHECK(write(fd, "abc", 3) == 3);
	TU_CHECK(fstat(fd, &st) == 0);
	TU_CHECK(givefd(chan, fd) == 0);
	TU_CHECK(givefd_send(chan, NULL, 0, &st, sizeof st) == (ssize_t)sizeof st);
	close(fd);
	return 0;
}

static void test_one_file_each_socket_type(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof socket_types / sizeof socket_types[0]; i++) {
		struct stat sent, got;
		size_t nfds = 0;
		int chan, fd;
		pid_t pid = tu_fork_peer(socket_types[i], &chan, send_written_file, NULL);

		fd = tu_getfd_own(chan);
		assert_true(fd >= 0);
		assert_int_equal(tu_recv_own(chan, NULL, &nfds, &sent, sizeof sent),
		                 sizeof sent);
		assert_int_equal(fstat(fd, &got), 0);
		assert_true(got.st_dev == sent.st_dev && got.st_ino == sent.st_ino);
		/* The same open file description: the offset moved with it. */
		assert_int_equal(lseek(fd, 0, SEEK_CUR), 3);
		assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		close(fd);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Child: sends one message with every descriptor one message may carry,
 * all copies of a pipe's write end, plus a payload naming their count. */
static int send_full_batch(int chan, void *arg)
{
	size_t max = givefd_max_fds(), i;
	int *fds = calloc(max, sizeof *fds);
	int p[2];

	(void)arg;
	TU_CHECK(fds != NULL && pipe(p) == 0);
	for (i = 0; i < max; i++)
		fds[i] = p[1];
	TU_CHECK(givefd_send(chan, fds, max, &max, sizeof max) == sizeof max);
	close(p[1]);
	/* Whatever the parent writes through its copies arrives here. */
	{
		char c;
		size_t seen = 0;

		while (read(p[0], &c, 1) == 1)
			seen++;
		TU_CHECK(seen == max);
	}
	close(p[0]);
	free(fds);
	return 0;
}

static void test_full_batch(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof socket_types / sizeof socket_types[0]; i++) {
		size_t max = givefd_max_fds(), nfds = max, announced = 0, k;
		int *fds = calloc(max + 1, sizeof *fds);
		int chan;
		pid_t pid = tu_fork_peer(socket_types[i], &chan, send_full_batch, NULL);

		assert_non_null(fds);
		nfds = max + 1;
		assert_int_equal(tu_recv_own(chan, fds, &nfds, &announced,
		                             sizeof announced), sizeof announced);
		assert_int_equal(announced, max);
		assert_int_equal(nfds, max);
		for (k = 0; k < nfds; k++) {
			assert_true(tu_same_file(fds[k], fds[0]));
			assert_int_equal(fcntl(fds[k], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
			assert_int_equal(write(fds[k], "x", 1), 1);
		}
		for (k = 0; k < nfds; k++)
			close(fds[k]);
		free(fds);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* The limit givefd_max_fds() reports for scm_rights is the kernel's: one
 * more is refused by the library (E2BIG) and by a raw sendmsg alike. The
 * pipe backends have their own limit (test_pipes). */
static void test_max_fds_is_the_kernel_limit(void **state)
{
	size_t max = givefd_max_fds(), i;
	int sv[2], *fds;
	char byte;

	(void)state;
	if (strcmp(givefd_backend(), "scm_rights") != 0)
		skip();
	assert_true(max >= 1 && max < RAWFD_MAX);
	fds = calloc(max + 1, sizeof *fds);
	assert_non_null(fds);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i <= max; i++)
		fds[i] = sv[0];
	errno = 0;
	assert_int_equal(givefd_send(sv[0], fds, max + 1, "x", 1), -1);
	assert_int_equal(errno, E2BIG);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	assert_int_equal(recv(sv[1], &byte, 1, 0), -1);
	assert_int_equal(errno, EAGAIN);

	assert_int_equal(raw_send_copies(sv[0], sv[0], max), 1);
	assert_int_equal(raw_send_copies(sv[0], sv[0], max + 1), -1);
	free(fds);
	close(sv[0]);
	close(sv[1]);
}

static int send_payload_only(int chan, void *arg)
{
	(void)arg;
	TU_CHECK(givefd_send(chan, NULL, 0, "hello", 5) == 5);
	return 0;
}

static void test_payload_without_descriptors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof socket_types / sizeof socket_types[0]; i++) {
		char buf[16] = { 0 };
		int fds[2] = { -1, -1 }, chan;
		size_t nfds = 2;
		pid_t pid = tu_fork_peer(socket_types[i], &chan, send_payload_only, NULL);

		assert_int_equal(tu_recv_own(chan, fds, &nfds, buf, sizeof buf), 5);
		assert_int_equal(nfds, 0);
		assert_memory_equal(buf, "hello", 5);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* With no payload the wire carries one NUL byte: a receiver with room for
 * payload sees it, one without does not. */
static int send_three_without_payload(int chan, void *arg)
{
	int fds[3] = { 0, 1, 2 };

	(void)arg;
	TU_CHECK(givefd_send(chan, fds, 3, NULL, 0) == 0);
	TU_CHECK(givefd_send(chan, fds, 3, NULL, 0) == 0);
	return 0;
}

static void test_no_payload(void **state)
{
	char buf[4] = { 'z', 'z', 'z', 'z' };
	int fds[3], chan;
	size_t nfds = 3, k;
	pid_t pid = tu_fork_peer(SOCK_SEQPACKET, &chan, send_three_without_payload, NULL);

	(void)state;
	assert_int_equal(tu_recv_own(chan, fds, &nfds, NULL, 0), 0);
	assert_int_equal(nfds, 3);
	for (k = 0; k < 3; k++)
		close(fds[k]);
	nfds = 3;
	/* The NUL byte that carried them is no payload. */
	assert_int_equal(tu_recv_own(chan, fds, &nfds, buf, sizeof buf), 0);
	assert_int_equal(nfds, 3);
	for (k = 0; k < 3; k++)
		close(fds[k]);
	close(chan);
	tu_assert_child_ok(pid);
}

/* A socket can be passed too, and still works at the other end. */
static int send_socket_end(int chan, void *arg)
{
	int sv[2];
	char reply[4];

	(void)arg;
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	TU_CHECK(givefd(chan, sv[1]) == 0);
	close(sv[1]);
	TU_CHECK(read(sv[0], reply, 4) == 4 && memcmp(reply, "pong", 4) == 0);
	close(sv[0]);
	return 0;
}

static void test_socket_descriptor(void **state)
{
	int chan, fd;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, send_socket_end, NULL);

	(void)state;
	fd = tu_getfd_own(chan);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "pong", 4), 4);
	close(fd);
	close(chan);
	tu_assert_child_ok(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_one_file_each_socket_type),
		TU_TEST(test_full_batch),
		TU_TEST(test_max_fds_is_the_kernel_limit),
		TU_TEST(test_payload_without_descriptors),
		TU_TEST(test_no_payload),
		TU_TEST(test_socket_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

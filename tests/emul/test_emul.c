/* SPDX-License-Identifier: ISC */
/*
 * test_emul.c: the accrights and streams backends, run on Linux through
 * the translation layer of emul.h: descriptors and payload arrive
 * together, close-on-exec, and every failure gives its documented errno
 * with nothing left open. Shows the backends' logic works against the
 * documented interfaces as emulated here, not on a real Solaris kernel.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"
#include "emul.h"

static const int socket_types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };

static void use(const char *backend)
{
	assert_int_equal(givefd_use_backend(backend), 0);
	assert_string_equal(givefd_backend(), backend);
}

static void expect_errno(ssize_t result, int expected)
{
	assert_int_equal(result, -1);
	assert_int_equal(errno, expected);
}

/* Received descriptors: the files sent, close-on-exec; then closed. */
static void check_and_close(const int *got, const int *sent, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_true(tu_same_file(got[i], sent[i]));
		assert_int_equal(fcntl(got[i], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		close(got[i]);
	}
}

/* One transfer each way over chan[0] -> chan[1]: n descriptors and a
 * payload, or none. */
static void round_trip(const int chan[2], size_t n, const char *payload)
{
	int sent[64], got[64], p[2];
	size_t i, nfds = 64;
	size_t len = payload != NULL ? strlen(payload) : 0;
	char buf[64];

	assert_true(n <= 64);
	assert_int_equal(pipe(p), 0);
	for (i = 0; i < n; i++)
		sent[i] = p[i % 2];
	assert_int_equal(givefd_send(chan[0], sent, n, payload, len), (ssize_t)len);
	/* No payload goes as one NUL byte, which a receiver without a
	 * buffer does not see. */
	assert_int_equal(givefd_recv(chan[1], got, &nfds,
	                             len > 0 ? buf : NULL, len > 0 ? sizeof buf : 0),
	                 (ssize_t)len);
	assert_int_equal(nfds, n);
	assert_memory_equal(buf, payload != NULL ? payload : "", len);
	check_and_close(got, sent, n);
	close(p[0]);
	close(p[1]);
}

static void test_accrights_each_socket_type(void **state)
{
	size_t i;

	(void)state;
	use("accrights");
	for (i = 0; i < sizeof socket_types / sizeof socket_types[0]; i++) {
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, socket_types[i], 0, sv), 0);
		round_trip(sv, 1, "hello");
		round_trip(sv, 3, NULL);
		round_trip(sv, 0, "payload only");
		close(sv[0]);
		close(sv[1]);
	}
}

static void test_accrights_limit(void **state)
{
	int sv[2], fds[29], got[29];
	size_t i, nfds = 29;

	(void)state;
	use("accrights");
	assert_int_equal(givefd_max_fds(), EMUL_ACC_MAX_FDS);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 29; i++)
		fds[i] = sv[0];
	expect_errno(givefd_send(sv[0], fds, 29, "x", 1), E2BIG);
	assert_int_equal(givefd_send(sv[0], fds, 28, "x", 1), 1);
	assert_int_equal(givefd_recv(sv[1], got, &nfds, NULL, 0), 0);
	assert_int_equal(nfds, 28);
	check_and_close(got, fds, 28);
	close(sv[0]);
	close(sv[1]);
}

static void test_accrights_errors(void **state)
{
	int sv[2], fds[3], got[3];
	size_t nfds;
	char small[2];

	(void)state;
	use("accrights");
	/* More descriptors than room: all closed. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fds[0] = fds[1] = fds[2] = sv[0];
	assert_int_equal(givefd_send(sv[0], fds, 3, NULL, 0), 0);
	nfds = 1;
	expect_errno(givefd_recv(sv[1], got, &nfds, NULL, 0), EOVERFLOW);
	/* Nothing there on a non-blocking socket: EAGAIN. */
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	nfds = 3;
	expect_errno(givefd_recv(sv[1], got, &nfds, NULL, 0), EAGAIN);
	/* The peer gone: EPIPE both ways, and no SIGPIPE. */
	close(sv[0]);
	expect_errno(givefd_recv(sv[1], got, &nfds, NULL, 0), EPIPE);
	expect_errno(givefd_send(sv[1], fds, 0, "x", 1), EPIPE);
	close(sv[1]);

	/* A datagram payload longer than the buffer: EMSGSIZE, fds closed. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(givefd_send(sv[0], fds, 2, "too long", 8), 8);
	nfds = 3;
	expect_errno(givefd_recv(sv[1], got, &nfds, small, sizeof small), EMSGSIZE);
	close(sv[0]);
	close(sv[1]);
}

static int child_sends(int chan, void *arg)
{
	int p[2];

	(void)arg;
	TU_CHECK(pipe(p) == 0);
	TU_CHECK(write(p[1], "z", 1) == 1);
	TU_CHECK(givefd_use_backend("accrights") == 0);
	TU_CHECK(givefd_send(chan, p, 1, "from child", 10) == 10);
	return 0;
}

static void test_accrights_between_processes(void **state)
{
	int chan, fd;
	size_t nfds = 1;
	char buf[16], byte;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, child_sends, NULL);

	(void)state;
	assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, 10), 10);
	assert_int_equal(nfds, 1);
	assert_memory_equal(buf, "from child", 10);
	assert_int_equal(read(fd, &byte, 1), 1);
	assert_int_equal(byte, 'z');
	close(fd);
	close(chan);
	tu_assert_child_ok(pid);
}

static void test_streams_transfers(void **state)
{
	int sp[2], back[2];

	(void)state;
	use("streams");
	assert_int_equal(emul_stream_pipe(sp), 0);
	assert_int_equal(emul_isastream(sp[0]), 1);
	round_trip(sp, 1, "hello");
	round_trip(sp, 0, "payload only");
	round_trip(sp, 5, NULL);
	round_trip(sp, 64, "many");
	/* Either end sends. */
	back[0] = sp[1];
	back[1] = sp[0];
	round_trip(back, 2, "back");
	close(sp[0]);
	close(sp[1]);
}

static void test_streams_payload_too_long(void **state)
{
	int sp[2], fds[2], got[2];
	size_t nfds = 2;
	char small[4];

	(void)state;
	use("streams");
	assert_int_equal(emul_stream_pipe(sp), 0);
	fds[0] = fds[1] = sp[0];
	assert_int_equal(givefd_send(sp[0], fds, 2, "much too long", 13), 13);
	expect_errno(givefd_recv(sp[1], got, &nfds, small, sizeof small), EMSGSIZE);
	/* The next message arrives whole. */
	round_trip(sp, 1, "next");
	/* More descriptors than room: all closed, the next one whole. */
	assert_int_equal(givefd_send(sp[0], fds, 2, NULL, 0), 0);
	nfds = 1;
	expect_errno(givefd_recv(sp[1], got, &nfds, NULL, 0), EOVERFLOW);
	round_trip(sp, 1, "after");
	close(sp[0]);
	close(sp[1]);
}

static void test_streams_foreign_input(void **state)
{
	struct emul_strbuf data;
	int sp[2], got[2];
	size_t nfds = 2;
	char buf[8];

	(void)state;
	use("streams");
	assert_int_equal(emul_stream_pipe(sp), 0);
	/* A descriptor where a message was expected: taken, closed, EPROTO. */
	assert_int_equal(emul_ioctl(sp[0], EMUL_I_SENDFD, sp[0]), 0);
	expect_errno(givefd_recv(sp[1], got, &nfds, buf, sizeof buf), EPROTO);
	/* A message without the header: EPROTO. */
	data.maxlen = 0;
	data.len = 3;
	data.buf = "abc";
	assert_int_equal(emul_putmsg(sp[0], NULL, &data, 0), 0);
	expect_errno(givefd_recv(sp[1], got, &nfds, buf, sizeof buf), EPROTO);
	round_trip(sp, 1, "still fine");
	/* Non-blocking and empty: EAGAIN, nothing consumed. */
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	expect_errno(givefd_recv(sp[1], got, &nfds, buf, sizeof buf), EAGAIN);
	round_trip(sp, 2, "then");
	/* Hangup: EPIPE on receipt, EPIPE without SIGPIPE on sending. */
	close(sp[0]);
	expect_errno(givefd_recv(sp[1], got, &nfds, buf, sizeof buf), EPIPE);
	expect_errno(givefd_send(sp[1], got, 0, "x", 1), EPIPE);
	close(sp[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_accrights_each_socket_type),
		TU_TEST(test_accrights_limit),
		TU_TEST(test_accrights_errors),
		TU_TEST(test_accrights_between_processes),
		TU_TEST(test_streams_transfers),
		TU_TEST(test_streams_payload_too_long),
		TU_TEST(test_streams_foreign_input),
	};

	signal(SIGPIPE, SIG_DFL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_cloexec_fallback.c: where MSG_CMSG_CLOEXEC is missing, received
 * descriptors are marked close-on-exec with fcntl right after receipt, and
 * if that fails every descriptor received is closed. This program links a
 * copy of the library built as if the flag were missing; the failure of
 * fcntl is injected by wrapping it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"

int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);

static bool fail_setfd;

int __wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (fail_setfd && cmd == F_SETFD) {
		errno = EIO;
		return -1;
	}
	return __real_fcntl(fd, cmd, arg);
}

static void test_fallback_sets_cloexec(void **state)
{
	int sv[2], fds[3], got[3];
	size_t nfds = 3, i;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 3; i++)
		fds[i] = sv[0];
	assert_int_equal(givefd_send(sv[0], fds, 3, NULL, 0), 0);
	assert_int_equal(givefd_recv(sv[1], got, &nfds, NULL, 0), 0);
	assert_int_equal(nfds, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(fcntl(got[i], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		close(got[i]);
	}
	close(sv[0]);
	close(sv[1]);
}

static void test_fallback_failure_closes_everything(void **state)
{
	int sv[2], fds[3], got[3] = { -1, -1, -1 }, before;
	size_t nfds = 3, i;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 3; i++)
		fds[i] = sv[0];
	assert_int_equal(givefd_send(sv[0], fds, 3, NULL, 0), 0);
	before = tu_count_open_fds();
	fail_setfd = true;
	assert_int_equal(givefd_recv(sv[1], got, &nfds, NULL, 0), -1);
	fail_setfd = false;
	assert_int_equal(errno, EIO);
	assert_int_equal(tu_count_open_fds(), before);
	assert_int_equal(got[0], -1);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_fallback_sets_cloexec),
		TU_TEST(test_fallback_failure_closes_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

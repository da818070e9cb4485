/* SPDX-License-Identifier: ISC */
/*
 * test_ctrunc.c: a control message cut short by the kernel (MSG_CTRUNC)
 * fails with ENOBUFS and closes what did arrive. Linux never truncates the
 * library's own buffer (it holds more than the kernel's limit), so the
 * fault is injected: the wrapped recvmsg offers the kernel room for one
 * descriptor only, and the real kernel then truncates for real.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "givefd.h"
#include "rawfd.h"
#include "testutil.h"

ssize_t __real_recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t __wrap_recvmsg(int fd, struct msghdr *msg, int flags);

static bool shrink_control;

ssize_t __wrap_recvmsg(int fd, struct msghdr *msg, int flags)
{
	if (shrink_control && msg->msg_controllen > CMSG_SPACE(sizeof(int)))
		msg->msg_controllen = CMSG_SPACE(sizeof(int));
	return __real_recvmsg(fd, msg, flags);
}

static void test_truncated_control_message(void **state)
{
	int sv[2], fds[4], got[4] = { -1, -1, -1, -1 }, before, fd;
	size_t nfds = 4, i;
	char buf[8];

	(void)state;
	if (!raw_kernel_reports_ctrunc()) {
		fprintf(stderr, "skipped: recvmsg here does not report MSG_CTRUNC "
		        "when the control buffer is too small (qemu-user?)\n");
		skip();
	}
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 4; i++)
		fds[i] = sv[0];
	assert_int_equal(givefd_send(sv[0], fds, 4, "four", 4), 4);
	before = tu_count_open_fds();
	shrink_control = true;
	assert_int_equal(givefd_recv(sv[1], got, &nfds, buf, sizeof buf), -1);
	shrink_control = false;
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(tu_count_open_fds(), before);
	assert_int_equal(got[0], -1);
	/* The channel goes on working. */
	assert_int_equal(givefd(sv[0], sv[0]), 0);
	fd = getfd(sv[1]);
	assert_true(tu_same_file(fd, sv[0]));
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_truncated_control_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

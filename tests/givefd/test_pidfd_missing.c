/* SPDX-License-Identifier: ISC */
/*
 * test_pidfd_missing.c: on a kernel without pidfd_getfd a pidfd sender
 * fails at once with ENOSYS instead of waiting for a receiver that could
 * take nothing. The missing call is made so with a seccomp filter in the
 * sending child (the only way to provoke it on a newer kernel).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "givefd.h"
#include "testutil.h"

#ifdef HAVE_SECCOMP
/* Child: pidfd_getfd answers ENOSYS from now on; a transfer must say so. */
static int send_without_getfd(int chan, void *arg)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	(void)arg;
	TU_CHECK(ctx != NULL);
	TU_CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	                          seccomp_syscall_resolve_name("pidfd_getfd"), 0) == 0);
	if (seccomp_load(ctx) != 0) {
		/* No seccomp here (qemu-user): tell the parent to skip. */
		seccomp_release(ctx);
		TU_CHECK(write(chan, "s", 1) == 1);
		return 0;
	}
	seccomp_release(ctx);
	TU_CHECK(givefd_use_backend("pidfd") == 0);
	errno = 0;
	TU_CHECK(givefd(chan, 2) == -1 && errno == ENOSYS);
	TU_CHECK(write(chan, "d", 1) == 1);
	return 0;
}

static void test_sender_says_enosys(void **state)
{
	int chan;
	char c;
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, send_without_getfd, NULL);

	(void)state;
	/* Nothing but the child's word arrives: no handle message. */
	assert_int_equal(read(chan, &c, 1), 1);
	close(chan);
	tu_assert_child_ok(pid);
	if (c == 's')
		skip();
	assert_int_equal(c, 'd');
}
#endif

int main(void)
{
#ifdef HAVE_SECCOMP
	const struct CMUnitTest tests[] = {
		TU_TEST(test_sender_says_enosys),
	};

	if (givefd_use_backend("pidfd") == -1) {
		fprintf(stderr, "skipped: the pidfd backend is not built\n");
		return 77;
	}
	givefd_use_backend("scm_rights");
	return cmocka_run_group_tests(tests, NULL, NULL);
#else
	fprintf(stderr, "skipped: built without libseccomp (--with-seccomp)\n");
	return 77;
#endif
}

/* SPDX-License-Identifier: ISC */
/*
 * test_backend_choice.c: GIVEFD_BACKEND picks the sending backend at first
 * use, and naming one that is not built in makes sends fail with ENOTSUP
 * instead of quietly using another. The environment is read once per
 * process, so each case runs in a fresh exec of this program.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"

static const char *self;

/* In the exec'd child: exit 0 if the library behaves as GIVEFD_BACKEND
 * says it should. */
static int check_choice(void)
{
	const char *wanted = getenv("GIVEFD_BACKEND");
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return 1;
	if (strcmp(wanted, "no-such-backend") == 0) {
		errno = 0;
		if (givefd_backend() != NULL || errno != ENOTSUP)
			return 2;
		if (givefd(sv[0], sv[0]) != -1 || errno != ENOTSUP)
			return 3;
		if (givefd_use_backend("scm_rights") != 0 || givefd(sv[0], sv[0]) != 0)
			return 4;
		return 0;
	}
	if (givefd_backend() == NULL || strcmp(givefd_backend(), wanted) != 0)
		return 5;
	return givefd(sv[0], sv[0]) == 0 ? 0 : 6;
}

#define CANNOT_EXEC 77

static void run_with_backend(const char *name)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setenv("GIVEFD_BACKEND", name, 1);
		execl(self, self, "--check-choice", (char *)NULL);
		/* An emulator without binfmt support cannot run itself again. */
		fprintf(stderr, "cannot exec %s: %s\n", self, strerror(errno));
		_exit(CANNOT_EXEC);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == CANNOT_EXEC)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_environment_names_a_built_backend(void **state)
{
	(void)state;
	run_with_backend("scm_rights");
}

static void test_environment_names_a_missing_backend(void **state)
{
	(void)state;
	run_with_backend("no-such-backend");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_environment_names_a_built_backend),
		TU_TEST(test_environment_names_a_missing_backend),
	};

	if (argc == 2 && strcmp(argv[1], "--check-choice") == 0)
		return check_choice();
	self = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}

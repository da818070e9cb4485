/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_pipes.c: prefetchd in pipe mode over a real pipe pair,
 * descriptors and all, leaving the pipe ends it shares with its parent as
 * it found them (blocking). Plain pipes carry descriptors only with a backend
 * that passes them by handle (pidfd); where that backend is not built, the
 * test is skipped and says so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"
#include "pftest.h"

#define MiB (1024 * 1024)

static void test_pipe_pair(void **state)
{
	char why[512], in[16], out[16], path[600];
	const char *const args[] = { "--input-fd", in, "--output-fd", out, NULL };
	struct prefetch_residency r;
	const char *dir = pft_disk_dir(why, sizeof why);
	int to_daemon[2], from_daemon[2], keep[3], fd, status;
	uint64_t pages;
	int64_t res;
	prefetch_t *p;
	pid_t pid;

	(void)state;
	if (dir == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		skip();
	}
	assert_int_equal(pipe2(to_daemon, O_CLOEXEC), 0);
	assert_int_equal(pipe2(from_daemon, O_CLOEXEC), 0);
	snprintf(in, sizeof in, "%d", to_daemon[0]);
	snprintf(out, sizeof out, "%d", from_daemon[1]);
	keep[0] = to_daemon[0];
	keep[1] = from_daemon[1];
	keep[2] = -1;
	pid = pft_spawn(args, keep, "GIVEFD_BACKEND=pidfd");
	assert_true(pid > 0);
	/* The daemon's ends stay open here too (the same descriptions), as
	 * a shell's stdin and stdout do. */
	/* Holding them, no end of file would tell us the daemon died. */
	alarm(120);
	p = prefetch_attach(from_daemon[0], to_daemon[1]);
	assert_non_null(p);

	assert_int_equal(pft_make_file(dir, "piped", 8 * MiB, path, sizeof path), 0);
	assert_int_equal(pft_evict(path), 0);
	assert_int_equal(pft_resident(path, &pages), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_session_create(p, 1, "pipes", 0), 0);
	assert_int_equal(prefetch_register_fd(p, 1, 1, fd), 0);
	close(fd);
	assert_int_equal(prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, 0, 0, NULL), 0);
	pft_wait_resident(p, 1, 1, PREFETCH_FADVISE, 20, &r);
	assert_int_equal(r.resident, r.pages);
	res = pft_resident(path, &pages);
	assert_int_equal(res, (int64_t)pages);
	prefetch_close(p);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	alarm(0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(fcntl(to_daemon[0], F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(fcntl(from_daemon[1], F_GETFL) & O_NONBLOCK, 0);
	close(to_daemon[0]);
	close(from_daemon[1]);
	pft_remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_pipe_pair),
	};

	if (givefd_use_backend("pidfd") != 0) {
		fprintf(stderr, "skipped: libgivefd has no pidfd backend here "
		        "(GIVEFD_BACKEND=pidfd): plain pipes cannot carry descriptors "
		        "without it\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

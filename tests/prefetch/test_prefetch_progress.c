/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_progress.c: warm's progress line. Over more files than
 * one batch of the daemon's takes, it is one line for the whole set (the
 * files it counts never go back, and it ends once) whose last state names
 * every file, drawn when standard error is a terminal (a real pty here),
 * and nothing at all is written when it is a file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "pftest.h"

#define NFILES 520   /* more than prefetchctl's batch of 512 */
#define FILE_SIZE 8192

static char tree[600];

/* The files, made once for both tests. */
static void make_tree(void)
{
	char path[700], name[32];
	int i;

	pft_need_disk();
	if (*tree != '\0')
		return;
	snprintf(tree, sizeof tree, "%s/many", pft_dir);
	assert_int_equal(mkdir(tree, 0700), 0);
	for (i = 0; i < NFILES; i++) {
		snprintf(name, sizeof name, "f%04d", i);
		assert_int_equal(pft_make_file(tree, name, FILE_SIZE, path,
		                               sizeof path), 0);
	}
}

/* Every file of the tree resident (a sample: the first, the last and one
 * of the second batch). */
static void assert_tree_in(void)
{
	static const int sample[] = { 0, 515, NFILES - 1 };
	char path[700];
	uint64_t pages;
	int64_t res;
	size_t i;

	for (i = 0; i < sizeof sample / sizeof *sample; i++) {
		snprintf(path, sizeof path, "%s/f%04d", tree, sample[i]);
		res = pft_resident(path, &pages);
		assert_int_equal(res, (int64_t)pages);
	}
}

static void test_silent_off_terminal(void **state)
{
	struct pft_daemon d;
	char err[700];
	struct stat st;

	(void)state;
	make_tree();
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", tree), 0);
	snprintf(err, sizeof err, "%s/warm.err", pft_dir);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm '%s' 2>'%s'", tree, err), 0);
	assert_int_equal(stat(err, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_tree_in();
	unlink(err);
	pft_stop(&d);
}

/* Runs argv with standard error on a new pty (stdin and stdout on
 * /dev/null) and reads what it draws into out until it exits: its exit
 * status. */
static int run_on_pty(char *const argv[], char *out, size_t outlen)
{
	const char *slave;
	int master = pft_open_pty(&slave), status;
	size_t len = 0;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(slave, O_RDWR | O_NOCTTY), null = open("/dev/null", O_RDWR);

		if (fd == -1 || null == -1 || dup2(fd, 2) == -1 ||
		    dup2(null, 0) == -1 || dup2(null, 1) == -1)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	/* Reads until every end of the slave is closed: EIO on Linux, end
	 * of file elsewhere. */
	for (;;) {
		ssize_t n = read(master, out + len, outlen - 1 - len);

		if (n > 0) {
			len += (size_t)n;
			if (len == outlen - 1)
				break;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		break;
	}
	out[len] = '\0';
	close(master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_one_line_on_terminal(void **state)
{
	struct pft_daemon d;
	char out[65536], want[64];
	char *argv[] = { (char *)pft_prefetchctl(), "--socket", NULL, "warm",
	                 tree, NULL };
	const char *last, *at;
	unsigned long files, seen = 0, total;
	int lines = 0;

	(void)state;
	make_tree();
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	argv[2] = d.sock;
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", tree), 0);
	assert_int_equal(run_on_pty(argv, out, sizeof out), 0);
	assert_tree_in();

	/* Each redraw counts files of the whole set, never fewer than the
	 * one before; the line ends once, at the end. */
	for (at = strstr(out, "warming ["); at != NULL;
	     at = strstr(at + 1, "warming [")) {
		const char *f = strstr(at, " files");

		assert_non_null(f);
		while (f > at && f[-1] != ' ')
			f--;
		assert_int_equal(sscanf(f, "%lu/%lu", &files, &total), 2);
		assert_int_equal(total, NFILES);
		assert_true(files >= seen);
		seen = files;
	}
	for (at = out; (at = strchr(at, '\n')) != NULL; at++)
		lines++;
	if (lines != 1)
		print_message("prefetchctl wrote on the terminal:\n%s\n", out);
	assert_int_equal(lines, 1);
	/* The last state drawn names every file. */
	last = out;
	for (at = out; (at = strstr(at, "warming [")) != NULL; at++)
		last = at;
	snprintf(want, sizeof want, " %d/%d files", NFILES, NFILES);
	assert_non_null(strstr(last, want));
	assert_non_null(strstr(last, "100.0%"));
	pft_stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_silent_off_terminal),
		TU_TEST(test_one_line_on_terminal),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

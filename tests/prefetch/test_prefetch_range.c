/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_range.c: prefetchctl's --range OFFSET:LENGTH, as vmtouch
 * users know -p: warm, status, evict and lock act on the pages the range
 * touches and on no other, checked on real files with mincore here and
 * vmtouch (where installed) as referees; a malformed range is a usage
 * error naming the option.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "pftest.h"

/* Ranges in these tests are multiples of 2 MiB, the largest folio the
 * page cache makes with 4 KiB pages: a folio is cached and dropped whole,
 * and none then straddles a range's ends. */
#define UNIT (2 * 1024 * 1024)

static uint64_t page;

/* Exactly the pages [first, first+count) of path are resident, by mincore
 * and by vmtouch's count. */
static void assert_only(const char *path, uint64_t first, uint64_t count)
{
	uint64_t pages;
	int64_t all = pft_resident(path, &pages), vm;

	assert_int_equal(pft_resident_pages(path, first, count, &pages),
	                 (int64_t)count);
	assert_int_equal(all, (int64_t)count);
	vm = pft_vmtouch_resident(path);
	if (vm != -1)
		assert_int_equal(vm, (int64_t)count);
}

/* A status row "RESIDENT PAGES" for the file, in out. */
static void assert_row(const char *out, uint64_t resident, uint64_t pages)
{
	char want[64];

	snprintf(want, sizeof want, "%10llu %10llu ", (unsigned long long)resident,
	         (unsigned long long)pages);
	if (strstr(out, want) == NULL)
		print_message("wanted a row \"%s\" in:\n%s", want, out);
	assert_non_null(strstr(out, want));
}

static void test_warm_and_status_range(void **state)
{
	struct pft_daemon d;
	char f[600], out[8192];

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_make_file(pft_dir, "warm", 4 * UNIT, f, sizeof f), 0);
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", f), 0);
	assert_only(f, 0, 0);

	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "warm --range 2M:2M '%s'", f),
	                     0);
	assert_only(f, UNIT / page, UNIT / page);

	/* status --range counts the range only; without, the whole file. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --range 2M:2M '%s'",
	                         f), 0);
	assert_row(out, UNIT / page, UNIT / page);
	assert_non_null(strstr(out, "100.0%"));
	assert_non_null(strstr(out, "2.0M/2.0M"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --range 6M: '%s'", f),
	                     0);
	assert_row(out, 0, UNIT / page);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status '%s'", f), 0);
	assert_row(out, UNIT / page, 4 * UNIT / page);
	assert_non_null(strstr(out, "25.0%"));
	/* A range inside one page stands for that page. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --range 2049K:10 "
	                         "'%s'", f), 0);
	assert_row(out, 1, 1);
	/* The page map of the range: the first half of 2M:4M full, the
	 * second empty. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status -v --range 2M:4M "
	                         "'%s'", f), 0);
	assert_non_null(strstr(out, "  [OOOOOOOOOOOOOOOOOOOOOOOOOOOOOO              "
	                            "                ]"));

	/* OFFSET: warms to the end; a range past the end warms nothing. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", f), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm --range 6M: '%s'", f), 0);
	assert_only(f, 3 * UNIT / page, UNIT / page);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm --range 8M: '%s'", f), 0);
	assert_only(f, 3 * UNIT / page, UNIT / page);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --range 8M:1K '%s'",
	                         f), 0);
	assert_row(out, 0, 0);
	pft_stop(&d);
}

static void test_evict_range(void **state)
{
	struct pft_daemon d;
	char f[600], out[8192];
	uint64_t pages;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_make_file(pft_dir, "evict", 4 * UNIT, f, sizeof f), 0);
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm '%s'", f), 0);
	assert_int_equal(pft_resident(f, &pages), (int64_t)(4 * UNIT / page));

	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict --range 2M:2M '%s'", f), 0);
	assert_int_equal(pft_resident_pages(f, UNIT / page, UNIT / page, &pages), 0);
	assert_int_equal(pft_resident(f, &pages), (int64_t)(3 * UNIT / page));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --range 2M:2M '%s'",
	                         f), 0);
	assert_row(out, 0, UNIT / page);

	/* A range that starts and ends inside pages stands for the whole
	 * pages it touches (advice alone would keep the two at its ends). */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict --range %lu:%lu '%s'",
	                         (unsigned long)(2 * UNIT + 100),
	                         (unsigned long)(UNIT - 200), f), 0);
	assert_int_equal(pft_resident_pages(f, 2 * UNIT / page, UNIT / page,
	                                    &pages), 0);
	assert_int_equal(pft_resident(f, &pages), (int64_t)(2 * UNIT / page));
	pft_stop(&d);
}

static void test_lock_range(void **state)
{
	const char *const args[] = { "--max-locked", "4M", NULL };
	struct pft_daemon d;
	char f[600], out[8192];
	uint64_t pages;

	(void)state;
	pft_need_disk();
	if (pft_mlock_inert())
		skip();
	assert_int_equal(pft_make_file(pft_dir, "lock", 4 * UNIT, f, sizeof f), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", f), 0);

	/* 2M locked of an 8M file: within a 4M budget the whole would break. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "lock --range 6M:2M '%s'", f),
	                     0);
	assert_int_equal(pft_resident_pages(f, 3 * UNIT / page, UNIT / page,
	                                    &pages), (int64_t)(UNIT / page));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump --json"), 0);
	assert_non_null(strstr(out, "\"locked\": 2097152"));
	/* evict cannot drop what is locked; the rest goes (the faults that
	 * locked the range may have read around it). */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out,
	                         "evict --range 7M:1K '%s' 2>&1", f), 4);
	assert_non_null(strstr(out, "1 of 1 pages stayed"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "evict '%s'", f), 4);
	assert_only(f, 3 * UNIT / page, UNIT / page);

	assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s'", f), 0);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", f), 0);
	assert_only(f, 0, 0);
	pft_stop(&d);
}

/* A malformed range: exit 2 and a message naming --range, for each
 * command, before anything is done or the daemon is asked. */
static void test_bad_range(void **state)
{
	static const char *const bad[] = {
		"1M", ":1M", "x:1", "1M:x", "1M:0", "1Q:", "-1:", "1M:-5",
		"18446744073709551615:2", "99999999999999999999:", "1M:1M:1M",
	};
	static const char *const cmds[] = { "warm", "status", "evict", "lock" };
	char f[600], out[4096], nosock[700];
	size_t i, c;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_make_file(pft_dir, "bad", 64 * 1024, f, sizeof f), 0);
	snprintf(nosock, sizeof nosock, "%s/none", pft_dir);
	for (c = 0; c < sizeof cmds / sizeof *cmds; c++) {
		for (i = 0; i < sizeof bad / sizeof *bad; i++) {
			assert_int_equal(pft_ctl(nosock, out, sizeof out, "%s --range '%s' "
			                             "'%s' 2>&1", cmds[c], bad[i], f), 2);
			assert_non_null(strstr(out, "--range"));
			assert_null(strstr(out, "cannot reach"));
		}
		assert_int_equal(pft_ctl(nosock, out, sizeof out, "%s --range 2>&1",
		                             cmds[c]), 2);
		assert_non_null(strstr(out, "--range"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_warm_and_status_range),
		TU_TEST(test_evict_range),
		TU_TEST(test_lock_range),
		TU_TEST(test_bad_range),
	};
	long pg = sysconf(_SC_PAGESIZE);

	page = pg > 0 ? (uint64_t)pg : 4096;
	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

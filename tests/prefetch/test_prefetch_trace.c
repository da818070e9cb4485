/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_trace.c: the trace codec as a unit (round trip, merging,
 * and refusal of damaged or hostile traces), and prefetchctl record,
 * replay and trace show as built: a helper (this program run with --read)
 * reads chosen pages of a cold test file with readahead off; the trace
 * must hold exactly those pages, and after eviction a replay (local and
 * through prefetchd) must bring exactly them back, with vmtouch as the
 * referee where it is installed. Recording needs root (fanotify); without
 * it those tests skip and say why.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "pftest.h"
#include "trace.h"

#define PAGE 4096u
#define FILE_PAGES 1024u

static const char *dir;
static char why[512];
static const char *self;
/* The pages the helper reads: (first, count) pairs. */
static const uint32_t want[][2] = { { 3, 1 }, { 100, 5 }, { 700, 2 } };

static int group_setup(void **state)
{
	(void)state;
	dir = pft_disk_dir(why, sizeof why);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	pft_kill_stale();
	if (dir != NULL)
		pft_remove_dir(dir);
	return 0;
}

/* --- the codec ------------------------------------------------------ */

static void sample(struct pf_trace *t)
{
	struct pf_trace_file *f;

	pf_trace_init(t, PAGE);
	f = pf_trace_add_file(t, "/usr/lib/libx.so");
	assert_non_null(f);
	f->dev = 0x801;
	f->ino = 42;
	f->size = 100 * PAGE + 1;
	f->mtime_sec = -5;
	f->mtime_nsec = 999999999;
	assert_int_equal(pf_trace_add_range(f, 0, 2), 0);
	assert_int_equal(pf_trace_add_range(f, 2, 3), 0);  /* merges */
	assert_int_equal(pf_trace_add_range(f, 10, 91), 0);
	assert_int_equal(pf_trace_add_range(f, 50, 1), -1); /* backwards */
	assert_int_equal(errno, EINVAL);
	f = pf_trace_add_file(t, "/b");
	assert_non_null(f);
}

static long encode(const struct pf_trace *t, unsigned char *buf, size_t cap)
{
	long n = pf_trace_encode(t, buf, cap);

	assert_true(n > 0);
	return n;
}

static void test_codec_round_trip(void **state)
{
	struct pf_trace t, back;
	unsigned char buf[4096];
	const char *w = NULL;
	long n;

	(void)state;
	sample(&t);
	assert_int_equal(t.files[0].nranges, 2);
	n = encode(&t, buf, sizeof buf);
	assert_int_equal((size_t)n, pf_trace_encoded_size(&t));
	assert_memory_equal(buf, "PFTRACE", 8);
	assert_int_equal(pf_trace_decode(buf, (size_t)n, 0, &back, &w), 0);
	assert_int_equal(back.nfiles, 2);
	assert_string_equal(back.files[0].path, "/usr/lib/libx.so");
	assert_int_equal(back.files[0].mtime_sec, -5);
	assert_int_equal(back.files[0].mtime_nsec, 999999999);
	assert_int_equal(back.files[0].size, 100 * PAGE + 1);
	assert_int_equal(back.files[0].ranges[1].first, 10);
	assert_int_equal(back.files[0].ranges[1].count, 91);
	assert_int_equal(pf_trace_range_pages(&back.files[0]), 96);
	assert_int_equal(back.files[1].nranges, 0);
	pf_trace_free(&back);
	/* Too small a buffer, and a range past the end, are refused. */
	assert_int_equal(pf_trace_encode(&t, buf, 10), -1);
	assert_int_equal(errno, ENOSPC);
	t.files[0].size = 100 * PAGE;
	assert_int_equal(pf_trace_encode(&t, buf, sizeof buf), -1);
	assert_int_equal(errno, EINVAL);
	pf_trace_free(&t);
}

/* Decodes and expects a refusal whose reason contains what. */
static void refused(const unsigned char *buf, size_t len, int flags, const char *what)
{
	struct pf_trace t;
	const char *w = NULL;

	assert_int_equal(pf_trace_decode(buf, len, flags, &t, &w), -1);
	assert_int_equal(errno, EBADMSG);
	assert_non_null(w);
	if (strstr(w, what) == NULL)
		fail_msg("refused for '%s', expected '%s'", w, what);
	pf_trace_free(&t);
}

static void test_codec_refuses(void **state)
{
	struct pf_trace t;
	unsigned char buf[4096], bad[4096];
	size_t cut;
	long n;
	/* Offsets in the sample: header 20, path_len 2 + 16, fixed 40. */
	const size_t nranges_at = 20 + 2 + 16 + 36, range0 = nranges_at + 4;

	(void)state;
	sample(&t);
	n = encode(&t, buf, sizeof buf);
	pf_trace_free(&t);

	/* Every cut is refused, never read past. */
	for (cut = 0; cut < (size_t)n; cut++) {
		unsigned char *copy = malloc(cut + 1);

		assert_non_null(copy);
		memcpy(copy, buf, cut);
		assert_int_equal(pf_trace_decode(copy, cut, PF_TRACE_NO_CRC, &t, NULL), -1);
		pf_trace_free(&t);
		free(copy);
	}
	memcpy(bad, buf, (size_t)n);
	bad[30] ^= 1;
	refused(bad, (size_t)n, 0, "checksum");
	memcpy(bad, buf, (size_t)n);
	bad[0] = 'X';
	refused(bad, (size_t)n, 0, "not a prefetch trace");
	memcpy(bad, buf, (size_t)n);
	bad[9] = 2;
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "version");
	memcpy(bad, buf, (size_t)n);
	memset(bad + 16, 0xff, 4);                 /* 4 G files */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "file count");
	memcpy(bad, buf, (size_t)n);
	memset(bad + nranges_at, 0xff, 4);         /* 4 G ranges */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "range count");
	memcpy(bad, buf, (size_t)n);
	memset(bad + range0 + 8, 0, 4);            /* second range from page 0 */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "order");
	memcpy(bad, buf, (size_t)n);
	memset(bad + range0 + 12, 0xff, 4);        /* second range to 4 G */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "past the end");
	memcpy(bad, buf, (size_t)n);
	memset(bad + range0 + 4, 0, 4);            /* empty range */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "empty");
	memcpy(bad, buf, (size_t)n);
	bad[25] = '\0';                            /* NUL inside the path */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "NUL");
	memcpy(bad, buf, (size_t)n);
	bad[20] = 0xff;                            /* path longer than the trace */
	refused(bad, (size_t)n, PF_TRACE_NO_CRC, "path length");
	memcpy(bad, buf, (size_t)n);
	bad[n] = 0;
	refused(bad, (size_t)n + 1, PF_TRACE_NO_CRC, "trailing");
}

/* --- prefetchctl ---------------------------------------------------- */

/* The helper: reads the pages of want[] of a file with readahead off,
 * then prints how many descriptors above 2 it has open (it inherited). */
static int helper_read(const char *path)
{
	unsigned char page[PAGE];
	int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
	size_t i;
	uint32_t p;
	DIR *d;
	struct dirent *e;

	if (fd == -1)
		return 1;
#ifdef HAVE_POSIX_FADVISE
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
#endif
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		for (p = want[i][0]; p < want[i][0] + want[i][1]; p++)
			if (pread(fd, page, PAGE, (off_t)p * PAGE) != (ssize_t)PAGE)
				return 1;
	close(fd);
	d = opendir("/proc/self/fd");
	if (d != NULL) {
		while ((e = readdir(d)) != NULL)
			if (atoi(e->d_name) > 2)
				n++;
		closedir(d);
		n--;   /* opendir's own */
	}
	printf("%d\n", n);
	return 0;
}

static int can_record(void)
{
	if (dir == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		return 0;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: recording needs root (fanotify)\n");
		return 0;
	}
	return 1;
}

/* 1 when exactly the pages of want[] of path are resident. */
static int exactly_wanted(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char vec[FILE_PAGES];
	void *m;
	uint32_t p;
	int ok = 1;

	assert_true(fd >= 0);
	m = mmap(NULL, FILE_PAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(mincore(m, FILE_PAGES * PAGE, vec), 0);
	munmap(m, FILE_PAGES * PAGE);
	close(fd);
	for (p = 0; p < FILE_PAGES; p++) {
		int in = 0;
		size_t i;

		for (i = 0; i < sizeof want / sizeof want[0]; i++)
			if (p >= want[i][0] && p < want[i][0] + want[i][1])
				in = 1;
		if ((vec[p] & 1) != in) {
			fprintf(stderr, "page %u: %s\n", p, in ? "missing" : "extra");
			ok = 0;
		}
	}
	return ok;
}

/* Resident pages by vmtouch, or -1 without it. */
static long vmtouch_pages(const char *path)
{
	char out[4096], *at;

	if (pft_run(NULL, 0, "command -v vmtouch >/dev/null 2>&1") != 0)
		return -1;
	assert_int_equal(pft_run(out, sizeof out, "vmtouch '%s'", path), 0);
	at = strstr(out, "Resident Pages:");
	assert_non_null(at);
	return strtol(at + strlen("Resident Pages:"), NULL, 10);
}

/* Makes the file cold, records the helper reading it into trace (with
 * the options given). */
static void record_with(char *file, const char *trace, const char *opts)
{
	char out[256];

	assert_int_equal(pft_make_file(dir, "data", FILE_PAGES * PAGE, file, 600), 0);
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s record --cold %s -o '%s' -- "
	                         "'%s' --read '%s'", pft_prefetchctl(), opts, trace,
	                         self, file), 0);
}

static void record(char *file, const char *trace)
{
	record_with(file, trace, "");
}

/* 1 when the trace holds exactly want[] for file. */
static int trace_holds_wanted(const char *trace, const char *file)
{
	struct pf_trace t;
	uint32_t i;
	int found = 0;

	assert_int_equal(pf_trace_load(trace, &t, NULL), 0);
	for (i = 0; i < t.nfiles; i++) {
		const struct pf_trace_file *f = &t.files[i];
		size_t k;

		if (strcmp(f->path, file) != 0)
			continue;
		found = f->nranges == sizeof want / sizeof want[0];
		for (k = 0; found && k < f->nranges; k++)
			if (f->ranges[k].first != want[k][0] ||
			    f->ranges[k].count != want[k][1])
				found = 0;
	}
	pf_trace_free(&t);
	return found;
}

static void test_record_and_replay(void **state)
{
	char file[600], trace[600], out[8192], direct[64], sockdir[600];
	struct pft_daemon d;
	const char *const args[] = { NULL };
	long vt;

	(void)state;
	if (!can_record())
		skip();
	snprintf(trace, sizeof trace, "%s/rec.trace", dir);
	record(file, trace);
	assert_true(trace_holds_wanted(trace, file));

	/* The command inherited no more descriptors under record than alone. */
	assert_int_equal(pft_run(direct, sizeof direct, "'%s' --read '%s'", self, file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s record -o '%s.2' -- '%s' --read '%s'",
	                         pft_prefetchctl(), trace, self, file), 0);
	assert_string_equal(out, direct);
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local -q '%s.2' -- '%s' --read '%s'",
	                         pft_prefetchctl(), trace, self, file), 0);
	assert_string_equal(out, direct);

	/* Local replay: exactly the recorded pages come back. */
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(NULL, 0, "%s replay --local '%s' 2>/dev/null",
	                         pft_prefetchctl(), trace), 0);
	assert_true(exactly_wanted(file));
	vt = vmtouch_pages(file);
	if (vt >= 0)
		assert_int_equal(vt, 1 + 5 + 2);

	/* Through prefetchd: its replay request, and file by file (which an
	 * explicit --order disk asks for). */
	snprintf(sockdir, sizeof sockdir, "%s", dir);
	assert_int_equal(pft_start(&d, sockdir, args), 0);
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' replay '%s' 2>&1",
	                         pft_prefetchctl(), d.sock, trace), 0);
	assert_non_null(strstr(out, "by prefetchd's replay request"));
	assert_true(exactly_wanted(file));
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' replay --order "
	                         "disk '%s' 2>&1", pft_prefetchctl(), d.sock, trace), 0);
	assert_non_null(strstr(out, "through prefetchd"));
	assert_true(exactly_wanted(file));
	pft_stop(&d);

	/* trace show, text and JSON. */
	assert_int_equal(pft_run(out, sizeof out, "%s trace show --ranges '%s'",
	                         pft_prefetchctl(), trace), 0);
	assert_non_null(strstr(out, "pages 100-104 (5)"));
	assert_int_equal(pft_run(out, sizeof out, "%s trace show --json '%s'",
	                         pft_prefetchctl(), trace), 0);
	assert_non_null(strstr(out, "\"ranges\":[[3,1],[100,5],[700,2]]"));
	unlink(trace);
	snprintf(out, sizeof out, "%s.2", trace);
	unlink(out);
	unlink(file);
}

/* The fallback without fanotify: the reporter preloaded into the command
 * (forced with --preload, since this test runs as root). */
static void test_record_preload(void **state)
{
	char file[600], trace[600], module[4200], cwd[4096];

	(void)state;
	if (!can_record())
		skip();
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(module, sizeof module, "%s/.libs/prefetch-record-preload.so", cwd);
	if (access(module, R_OK) == -1) {
		fprintf(stderr, "skipped: no %s (a static build?)\n", module);
		skip();
	}
	/* A sanitizer runtime must be the first library of a process. */
	if (getenv("GIVEFD_SANITIZED") != NULL &&
	    strcmp(getenv("GIVEFD_SANITIZED"), "yes") == 0) {
		fprintf(stderr, "skipped: the preload module of a sanitized build"
		        " cannot load into a plain program\n");
		skip();
	}
	snprintf(trace, sizeof trace, "%s/pre.trace", dir);
	setenv("PREFETCHCTL_PRELOAD", module, 1);
	record_with(file, trace, "--preload");
	unsetenv("PREFETCHCTL_PRELOAD");
	assert_true(trace_holds_wanted(trace, file));
	unlink(trace);
	unlink(file);
}

static void test_changed_file_skipped(void **state)
{
	char file[600], trace[600], out[4096];

	(void)state;
	if (!can_record())
		skip();
	snprintf(trace, sizeof trace, "%s/chg.trace", dir);
	record(file, trace);
	/* A later mtime: the same inode and size, but not the same data. */
	assert_int_equal(pft_run(NULL, 0, "touch -d '+1 hour' '%s'", file), 0);
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "modified (mtime differs), skipped"));
	assert_non_null(strstr(out, "(1 skipped)"));
	assert_int_equal(vmtouch_pages(file) > 0 ? 1 : 0, 0);
	/* A different size. */
	assert_int_equal(pft_run(NULL, 0, "echo more >> '%s'", file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "size changed, skipped"));
	unlink(trace);
	unlink(file);
}

static void test_damaged_trace_refused(void **state)
{
	char trace[600], out[4096], fifo[600];
	struct pf_trace t;
	struct pf_trace_file *f;

	(void)state;
	if (dir == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		skip();
	}
	snprintf(trace, sizeof trace, "%s/bad.trace", dir);
	pf_trace_init(&t, PAGE);
	f = pf_trace_add_file(&t, "/nonexistent/file");
	assert_non_null(f);
	f->size = 10 * PAGE;
	assert_int_equal(pf_trace_add_range(f, 1, 2), 0);
	assert_int_equal(pf_trace_save(trace, &t), 0);
	pf_trace_free(&t);
	/* A missing file is reported and skipped. */
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "/nonexistent/file: No such file"));
	/* A FIFO named by a trace neither hangs replay nor is read. */
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pf_trace_init(&t, PAGE);
	f = pf_trace_add_file(&t, fifo);
	assert_non_null(f);
	f->size = 10 * PAGE;
	assert_int_equal(pf_trace_add_range(f, 1, 2), 0);
	assert_int_equal(pf_trace_save(trace, &t), 0);
	pf_trace_free(&t);
	assert_int_equal(pft_run(out, sizeof out, "timeout 20 %s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "not a regular file, skipped"));
	unlink(fifo);
	/* The trace again, with the missing file. */
	pf_trace_init(&t, PAGE);
	f = pf_trace_add_file(&t, "/nonexistent/file");
	assert_non_null(f);
	f->size = 10 * PAGE;
	assert_int_equal(pf_trace_add_range(f, 1, 2), 0);
	assert_int_equal(pf_trace_save(trace, &t), 0);
	pf_trace_free(&t);
	/* A changed byte. */
	assert_int_equal(pft_run(NULL, 0, "printf 'Z' | dd of='%s' bs=1 seek=30 "
	                         "conv=notrunc 2>/dev/null", trace), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "checksum mismatch"));
	assert_int_equal(pft_run(out, sizeof out, "%s trace show '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "checksum mismatch"));
	/* Cut short, empty, and not a trace at all. */
	assert_int_equal(pft_run(NULL, 0, "truncate -s 25 '%s'", trace), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s trace show '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_int_equal(pft_run(NULL, 0, ": > '%s'", trace), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s replay --local '%s' 2>&1",
	                         pft_prefetchctl(), trace), 1);
	assert_non_null(strstr(out, "not a prefetch trace"));
	assert_int_equal(pft_run(out, sizeof out, "%s trace show /etc/passwd 2>&1",
	                         pft_prefetchctl()), 1);
	assert_non_null(strstr(out, "not a prefetch trace"));
	unlink(trace);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_codec_round_trip),
		TU_TEST(test_codec_refuses),
		TU_TEST(test_record_and_replay),
		TU_TEST(test_record_preload),
		TU_TEST(test_changed_file_skipped),
		TU_TEST(test_damaged_trace_refused),
	};
	char real[4096];
	ssize_t n;

	if (argc == 3 && strcmp(argv[1], "--read") == 0)
		return helper_read(argv[2]);
	/* The helper is this program: its absolute path, for the shell. */
	n = readlink("/proc/self/exe", real, sizeof real - 1);
	if (n > 0) {
		real[n] = '\0';
		self = real;
	} else {
		self = argv[0];
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

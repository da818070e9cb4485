/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_order.c: replay in on-disk order through prefetchd's
 * replay request. Files written here on a disk are listed in a trace in
 * the reverse of where their data lies (asked of FIEMAP by this test
 * itself); trace_order_by_disk must put them in disk order, change nothing
 * else, and put files it cannot place (a file with no extents, one on a
 * memory file system, one missing) after the others in the trace's order.
 * Then prefetchctl replay through a real daemon must say it used disk
 * order and warm exactly the recorded ranges (mincore, vmtouch as referee
 * where installed), and the daemon must get the files in disk order, or
 * in the trace's with --order trace: a daemon that takes one file per
 * user warms only the first file of the trace it was handed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(HAVE_LINUX_FIEMAP_H) && defined(HAVE_LINUX_FS_H)
#include <linux/fiemap.h>
#include <linux/fs.h>
#define TEST_FIEMAP 1
#endif

#include "testutil.h"
#include "pftest.h"
#include "trace.h"
#include "trace_run.h"

#define PAGE 4096u
#define FILE_PAGES 64u
#define NDISK 4

/* The ranges of every file: (first, count) pages. */
static const uint32_t ranges[][2] = { { 2, 3 }, { 20, 5 }, { 50, 1 } };

/* Where the byte at off of path lies on disk, by FIEMAP, or UINT64_MAX. */
static uint64_t phys_at(const char *path, uint64_t off)
{
#ifdef TEST_FIEMAP
	union {
		struct fiemap fm;
		char buf[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
	} u;
	uint64_t phys = UINT64_MAX;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return UINT64_MAX;
	memset(&u, 0, sizeof u);
	u.fm.fm_start = off;
	u.fm.fm_length = PAGE;
	u.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &u.fm) == 0 && u.fm.fm_mapped_extents == 1 &&
	    u.fm.fm_extents[0].fe_logical <= off &&
	    !(u.fm.fm_extents[0].fe_flags &
	      (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC)))
		phys = u.fm.fm_extents[0].fe_physical + (off - u.fm.fm_extents[0].fe_logical);
	close(fd);
	return phys;
#else
	(void)path;
	(void)off;
	return UINT64_MAX;
#endif
}

/* Appends path to t as it is now (or as a made-up file when it does not
 * exist), with ranges[]. */
static void add_file(struct pf_trace *t, const char *path)
{
	struct pf_trace_file *f = pf_trace_add_file(t, path);
	struct stat st;
	size_t i;

	assert_non_null(f);
	if (stat(path, &st) == 0) {
		f->dev = (uint64_t)st.st_dev;
		f->ino = (uint64_t)st.st_ino;
		f->size = (uint64_t)st.st_size;
		f->mtime_sec = (int64_t)st.st_mtim.tv_sec;
		f->mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
	} else {
		f->size = FILE_PAGES * PAGE;
	}
	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		assert_int_equal(pf_trace_add_range(f, ranges[i][0], ranges[i][1]), 0);
}

/* Files on the disk, written one after the other: disk[k] is the k-th by
 * place on disk (of its first range), from FIEMAP here. Skips the test
 * when the file system does not say. */
static void make_disk_files(char disk[NDISK][600])
{
	uint64_t phys[NDISK];
	char name[16];
	int i, j;

	pft_need_disk();
	for (i = 0; i < NDISK; i++) {
		snprintf(name, sizeof name, "d%d", i);
		assert_int_equal(pft_make_file(pft_dir, name, FILE_PAGES * PAGE,
		                               disk[i], sizeof disk[i]), 0);
		phys[i] = phys_at(disk[i], (uint64_t)ranges[0][0] * PAGE);
		if (phys[i] == UINT64_MAX) {
			fprintf(stderr, "skipped: no FIEMAP here or for this file system\n");
			skip();
		}
	}
	/* Sorted by place (a few: insertion). */
	for (i = 1; i < NDISK; i++)
		for (j = i; j > 0 && phys[j - 1] > phys[j]; j--) {
			uint64_t p = phys[j];
			char tmp[600];

			phys[j] = phys[j - 1];
			phys[j - 1] = p;
			memcpy(tmp, disk[j], sizeof tmp);
			memcpy(disk[j], disk[j - 1], sizeof tmp);
			memcpy(disk[j - 1], tmp, sizeof tmp);
		}
	for (i = 1; i < NDISK; i++)
		assert_true(phys[i - 1] < phys[i]);
}

/* The entry of path in t, which must be there once. */
static const struct pf_trace_file *find(const struct pf_trace *t, const char *path)
{
	const struct pf_trace_file *found = NULL;
	uint32_t i;

	for (i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i].path, path) == 0) {
			assert_null(found);
			found = &t->files[i];
		}
	if (found == NULL)
		fail_msg("%s is not in the trace", path);
	return found;
}

/* a and b hold the same files with the same identities and ranges, in
 * any order. */
static void same_content(const struct pf_trace *a, const struct pf_trace *b)
{
	uint32_t i, j;

	assert_int_equal(a->page_size, b->page_size);
	assert_int_equal(a->nfiles, b->nfiles);
	for (i = 0; i < a->nfiles; i++) {
		const struct pf_trace_file *x = &a->files[i], *y = find(b, x->path);

		assert_int_equal(x->dev, y->dev);
		assert_int_equal(x->ino, y->ino);
		assert_int_equal(x->size, y->size);
		assert_int_equal(x->mtime_sec, y->mtime_sec);
		assert_int_equal(x->mtime_nsec, y->mtime_nsec);
		assert_int_equal(x->nranges, y->nranges);
		for (j = 0; j < x->nranges; j++) {
			assert_int_equal(x->ranges[j].first, y->ranges[j].first);
			assert_int_equal(x->ranges[j].count, y->ranges[j].count);
		}
	}
}

/* The file t hands over as an anonymous file, decoded again. */
static void through_anon_file(const struct pf_trace *t, struct pf_trace *back)
{
	unsigned char buf[1 << 16];
	const char *why = NULL;
	struct stat st;
	ssize_t n;
	int fd = trace_anon_file(t);

	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	n = pread(fd, buf, sizeof buf, 0);
	assert_int_equal(n, (ssize_t)pf_trace_encoded_size(t));
	assert_int_equal(pf_trace_decode(buf, (size_t)n, 0, back, &why), 0);
	close(fd);
}

static void test_order_by_disk(void **state)
{
	char disk[NDISK][600], sparse[600], shm[600], missing[600];
	struct pf_trace t, before, back;
	const char *unplaced[3];
	size_t nunplaced = 0, k;
	int fd, i, have_shm;

	(void)state;
	make_disk_files(disk);
	/* A file with no extents, on the same disk. */
	snprintf(sparse, sizeof sparse, "%s/sparse", pft_dir);
	fd = open(sparse, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, FILE_PAGES * PAGE), 0);
	close(fd);
	assert_true(phys_at(sparse, (uint64_t)ranges[0][0] * PAGE) == UINT64_MAX);
	/* One on a memory file system, where there is one. */
	snprintf(shm, sizeof shm, "/dev/shm/pftest-order-%ld", (long)getpid());
	have_shm = pft_make_file("/dev/shm", shm + strlen("/dev/shm/"),
	                         FILE_PAGES * PAGE, shm, sizeof shm) == 0;
	snprintf(missing, sizeof missing, "%s/missing", pft_dir);

	/* The trace: the unplaceable among the disk files in the reverse of
	 * their order on disk. */
	pf_trace_init(&t, PAGE);
	add_file(&t, sparse);
	unplaced[nunplaced++] = sparse;
	add_file(&t, disk[3]);
	add_file(&t, disk[2]);
	if (have_shm) {
		add_file(&t, shm);
		unplaced[nunplaced++] = shm;
	}
	add_file(&t, missing);
	unplaced[nunplaced++] = missing;
	add_file(&t, disk[1]);
	add_file(&t, disk[0]);
	through_anon_file(&t, &before);

	assert_int_equal(trace_order_by_disk(&t), NDISK);
	assert_int_equal(t.nfiles, NDISK + nunplaced);
	for (i = 0; i < NDISK; i++)
		assert_string_equal(t.files[i].path, disk[i]);
	for (k = 0; k < nunplaced; k++)
		assert_string_equal(t.files[NDISK + k].path, unplaced[k]);
	same_content(&t, &before);
	same_content(&before, &t);
	/* What the daemon is handed decodes to the same trace, in that order. */
	through_anon_file(&t, &back);
	same_content(&back, &t);
	for (i = 0; i < (int)t.nfiles; i++)
		assert_string_equal(back.files[i].path, t.files[i].path);
	pf_trace_free(&back);
	pf_trace_free(&before);
	pf_trace_free(&t);

	/* Nothing to place: the trace stays as it was. */
	pf_trace_init(&t, PAGE);
	add_file(&t, missing);
	add_file(&t, sparse);
	assert_int_equal(trace_order_by_disk(&t), 0);
	assert_string_equal(t.files[0].path, missing);
	assert_string_equal(t.files[1].path, sparse);
	pf_trace_free(&t);
	pf_trace_init(&t, PAGE);
	assert_int_equal(trace_order_by_disk(&t), 0);
	pf_trace_free(&t);

	if (have_shm)
		unlink(shm);
	unlink(sparse);
	for (i = 0; i < NDISK; i++)
		unlink(disk[i]);
}

/* 1 when exactly ranges[] of path are resident. */
static int exactly_ranges(const char *path)
{
	uint64_t pages, want = 0;
	size_t i;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		if (pft_resident_pages(path, ranges[i][0], ranges[i][1], &pages) !=
		    (int64_t)ranges[i][1])
			return 0;
		want += ranges[i][1];
	}
	return pft_resident(path, &pages) == (int64_t)want;
}

/* Writes a trace of disk[] in the reverse of their order on disk. */
static void reverse_trace(char disk[NDISK][600], char *trace, size_t len)
{
	struct pf_trace t;
	int i;

	snprintf(trace, len, "%s/order.trace", pft_dir);
	pf_trace_init(&t, PAGE);
	for (i = NDISK - 1; i >= 0; i--)
		add_file(&t, disk[i]);
	assert_int_equal(pf_trace_save(trace, &t), 0);
	pf_trace_free(&t);
}

static void evict_all(char disk[NDISK][600])
{
	uint64_t pages;
	int i;

	for (i = 0; i < NDISK; i++) {
		assert_int_equal(pft_evict(disk[i]), 0);
		assert_int_equal(pft_resident(disk[i], &pages), 0);
	}
}

/* The files, their trace in reverse, and a daemon started with args. */
static void start(char disk[NDISK][600], char *trace, size_t len,
                  struct pft_daemon *d, const char *const *args)
{
	make_disk_files(disk);
	reverse_trace(disk, trace, len);
	alarm(120);
	assert_int_equal(pft_start(d, pft_dir, args), 0);
}

static void finish(char disk[NDISK][600], const char *trace, struct pft_daemon *d)
{
	int i;

	pft_stop(d);
	unlink(trace);
	for (i = 0; i < NDISK; i++)
		unlink(disk[i]);
	alarm(0);
}

static void test_replay_disk_order(void **state)
{
	char disk[NDISK][600], trace[600], out[8192];
	const char *const args[] = { NULL };
	struct pft_daemon d;
	int64_t vt;
	int i;

	(void)state;
	start(disk, trace, sizeof trace, &d, args);
	evict_all(disk);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "replay '%s' 2>&1", trace), 0);
	if (strstr(out, "disk order, by prefetchd's replay request") == NULL)
		fail_msg("not replayed in disk order by the request: %s", out);
	assert_non_null(strstr(out, "4 files warmed (0 changed, 0 skipped)"));
	for (i = 0; i < NDISK; i++) {
		assert_true(exactly_ranges(disk[i]));
		vt = pft_vmtouch_resident(disk[i]);
		if (vt >= 0)
			assert_int_equal(vt, 3 + 5 + 1);
	}
	finish(disk, trace, &d);
}

/* Replays trace through a daemon that registers one file per user, so
 * that it warms only the first file of the trace it was handed: that
 * must be want, and the summary must say order. */
static void first_warmed(const struct pft_daemon *d, char disk[NDISK][600],
                         const char *trace, const char *opts, const char *order,
                         int want)
{
	char out[8192];
	uint64_t pages;
	int i, tries;

	evict_all(disk);
	assert_int_equal(pft_ctl(d->sock, out, sizeof out, "replay --no-wait %s "
	                         "'%s' 2>&1", opts, trace), 1);
	if (strstr(out, order) == NULL || strstr(out, "by prefetchd's replay request") == NULL)
		fail_msg("expected %s by the request: %s", order, out);
	assert_non_null(strstr(out, "1 files warmed (0 changed, 3 skipped)"));
	for (tries = 0; !exactly_ranges(disk[want]); tries++) {
		if (tries == 3000) {
			for (i = 0; i < NDISK; i++)
				fprintf(stderr, "%s (%d on disk): %lld pages resident\n",
				        disk[i], i, (long long)pft_resident(disk[i], &pages));
			fail_msg("%s was not warmed first", disk[want]);
		}
		usleep(10000);
	}
	for (i = 0; i < NDISK; i++)
		if (i != want)
			assert_int_equal(pft_resident(disk[i], &pages), 0);
}

static void test_replay_order_handed_over(void **state)
{
	char disk[NDISK][600], trace[600];
	const char *const args[] = { "--max-files-per-user", "1", NULL };
	struct pft_daemon d;

	(void)state;
	start(disk, trace, sizeof trace, &d, args);
	/* Disk order: the first on disk, last in the trace. */
	first_warmed(&d, disk, trace, "", "disk order", 0);
	/* --order trace: the trace as recorded, its first file first. */
	first_warmed(&d, disk, trace, "--order trace", "trace order", NDISK - 1);
	finish(disk, trace, &d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_order_by_disk),
		TU_TEST(test_replay_disk_order),
		TU_TEST(test_replay_order_handed_over),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

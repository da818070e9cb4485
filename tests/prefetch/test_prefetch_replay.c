/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_replay.c: prefetchd's REPLAY request, through libprefetch
 * and prefetchctl replay, against a real daemon. A trace recorded from a
 * real command is warmed by the daemon, exactly its ranges (mincore), and
 * a file changed since is left alone; a damaged, cut, empty or oversized
 * trace is refused while the daemon goes on serving this client and
 * others; a pipe is refused at once; another user's request is refused
 * (the daemon would open the trace's paths with its own rights) and
 * prefetchctl falls back to passing descriptors. Recording and the other
 * user need root: those tests skip without it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "pftest.h"
#include "trace.h"

#define PAGE 4096u
#define FILE_PAGES 256u

/* The ranges of the hand-made trace: (first, count) pages. */
static const uint32_t made[][2] = { { 2, 3 }, { 40, 4 } };

static void need_root(void)
{
	pft_need_disk();
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root (recording uses fanotify)\n");
		skip();
	}
}

/* Writes a trace of the file at path as it is now, with made[]'s ranges,
 * readable by anyone. */
static void make_trace(const char *path, const char *trace)
{
	struct pf_trace t;
	struct pf_trace_file *f;
	struct stat st;
	size_t i;

	assert_int_equal(stat(path, &st), 0);
	pf_trace_init(&t, PAGE);
	f = pf_trace_add_file(&t, path);
	assert_non_null(f);
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	f->size = (uint64_t)st.st_size;
	f->mtime_sec = (int64_t)st.st_mtim.tv_sec;
	f->mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
	for (i = 0; i < sizeof made / sizeof made[0]; i++)
		assert_int_equal(pf_trace_add_range(f, made[i][0], made[i][1]), 0);
	assert_int_equal(pf_trace_save(trace, &t), 0);
	pf_trace_free(&t);
	assert_int_equal(chmod(trace, 0644), 0);
}

/* The index of path in the trace. */
static uint32_t trace_index(const struct pf_trace *t, const char *path)
{
	uint32_t i;

	for (i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i].path, path) == 0)
			return i;
	fail_msg("%s is not in the trace", path);
	return 0;
}

/* 1 when exactly the ranges of tf are resident in path. */
static int exactly_ranges(const char *path, const struct pf_trace_file *tf)
{
	uint64_t pages, want = 0;
	uint32_t i;

	for (i = 0; i < tf->nranges; i++) {
		if (pft_resident_pages(path, tf->ranges[i].first, tf->ranges[i].count,
		                       &pages) != (int64_t)tf->ranges[i].count)
			return 0;
		want += tf->ranges[i].count;
	}
	return pft_resident(path, &pages) == (int64_t)want;
}

/* Waits until the ranges of tf are resident in path, asking the daemon
 * again (file fid of session sid) when they are slow: advice is best
 * effort. The test's alarm bounds the wait. */
static void wait_ranges(prefetch_t *p, uint32_t sid, uint32_t fid,
                        const char *path, const struct pf_trace_file *tf,
                        uint32_t page_size)
{
	unsigned round;

	for (round = 1; !exactly_ranges(path, tf); round++) {
		uint32_t i;

		usleep(10000);
		if (round % 50 != 0)
			continue;
		for (i = 0; i < tf->nranges; i++)
			assert_int_equal(prefetch_readahead(p, sid, fid, PREFETCH_FADVISE,
			        (uint64_t)tf->ranges[i].first * page_size,
			        (uint64_t)tf->ranges[i].count * page_size, NULL), 0);
	}
}

/* prefetch_replay of the trace at path: its result, or -1 and errno. */
static int replay(prefetch_t *p, uint32_t sid, const char *trace,
                  struct prefetch_replay_result *res)
{
	int fd = open(trace, O_RDONLY | O_CLOEXEC), rc, err;

	assert_true(fd >= 0);
	memset(res, 0, sizeof *res);
	errno = 0;
	rc = prefetch_replay(p, sid, fd, PREFETCH_FADVISE, res);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

/* A connection other than p is served, and so is p. */
static void still_serving(const struct pft_daemon *d, prefetch_t *p,
                          uint32_t sid)
{
	struct prefetch_residency e[4];
	prefetch_t *q = prefetch_connect(d->sock);
	size_t n;

	assert_non_null(q);
	assert_int_equal(prefetch_session_create(q, 77, "another", 0), 0);
	prefetch_close(q);
	assert_int_equal(prefetch_residency(p, sid, e, 4, &n), 0);
}

static void test_replay_recorded(void **state)
{
	char file[600], trace[600], out[8192];
	const char *const args[] = { NULL };
	struct prefetch_replay_result res;
	struct prefetch_residency e[64];
	struct pft_daemon d;
	struct pf_trace t;
	struct timespec ts[2];
	const struct pf_trace_file *tf;
	prefetch_t *p;
	uint64_t pages;
	uint32_t idx;
	size_t n, i;
	int listed = 0;

	(void)state;
	need_root();
	alarm(240);
	assert_int_equal(pft_make_file(pft_dir, "data", FILE_PAGES * PAGE, file,
	                               sizeof file), 0);
	assert_int_equal(pft_evict(file), 0);
	snprintf(trace, sizeof trace, "%s/dd.trace", pft_dir);
	assert_int_equal(pft_run(out, sizeof out, "%s record --cold -o '%s' -- dd "
	                         "if='%s' of=/dev/null bs=4096 skip=100 count=8 "
	                         "2>/dev/null", pft_prefetchctl(), trace, file), 0);
	assert_int_equal(pf_trace_load(trace, &t, NULL), 0);
	idx = trace_index(&t, file);
	tf = &t.files[idx];
	assert_true(tf->nranges > 0);

	/* Through libprefetch: the daemon warms exactly the ranges. */
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "replay", 0), 0);
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(replay(p, 1, trace, &res), 0);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.skipped, 0);
	assert_true(res.warmed >= 1);
	assert_true(res.bytes >= pf_trace_range_pages(tf) * t.page_size);
	wait_ranges(p, 1, idx, file, tf, t.page_size);
	/* File i of the trace is the session's fid i. */
	assert_int_equal(prefetch_residency(p, 1, e, 64, &n), 0);
	assert_int_equal(n, res.warmed);
	for (i = 0; i < n; i++)
		listed |= e[i].fid == idx && e[i].size == FILE_PAGES * PAGE;
	assert_true(listed);

	/* prefetchctl replay uses the request. */
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' replay '%s' 2>&1",
	                         pft_prefetchctl(), d.sock, trace), 0);
	assert_non_null(strstr(out, "by prefetchd's replay request"));
	assert_true(exactly_ranges(file, tf));

	/* A file touched since recording is counted as changed, left cold. */
	assert_int_equal(pft_evict(file), 0);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, file, ts, 0), 0);
	assert_int_equal(prefetch_session_create(p, 2, "changed", 0), 0);
	assert_int_equal(replay(p, 2, trace, &res), 0);
	assert_int_equal(res.changed, 1);
	assert_int_equal(pft_resident(file, &pages), 0);
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' replay '%s' 2>&1",
	                         pft_prefetchctl(), d.sock, trace), 1);
	assert_non_null(strstr(out, "1 changed"));

	prefetch_close(p);
	pft_stop(&d);
	pf_trace_free(&t);
	unlink(trace);
	unlink(file);
	alarm(0);
}

static void test_replay_refused(void **state)
{
	char file[600], trace[600], bad[700];
	const char *const args[] = { NULL };
	struct prefetch_replay_result res;
	struct pft_daemon d;
	prefetch_t *p;
	int fd;

	(void)state;
	pft_need_disk();
	alarm(120);
	assert_int_equal(pft_make_file(pft_dir, "small", FILE_PAGES * PAGE, file,
	                               sizeof file), 0);
	snprintf(trace, sizeof trace, "%s/small.trace", pft_dir);
	snprintf(bad, sizeof bad, "%s.bad", trace);
	make_trace(file, trace);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "refused", 0), 0);

	/* The good trace, as a reference. */
	assert_int_equal(replay(p, 1, trace, &res), 0);
	assert_int_equal(res.warmed, 1);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.skipped, 0);
	assert_int_equal(res.bytes, (3 + 4) * PAGE);
	/* Its file is fid 0 now: a second replay into the session skips it. */
	assert_int_equal(replay(p, 1, trace, &res), 0);
	assert_int_equal(res.warmed, 0);
	assert_int_equal(res.skipped, 1);

	/* A changed byte. */
	assert_int_equal(pft_run(NULL, 0, "cp '%s' '%s' && printf Z | dd of='%s' "
	                         "bs=1 seek=30 conv=notrunc 2>/dev/null", trace, bad,
	                         bad), 0);
	assert_int_equal(replay(p, 1, bad, &res), -1);
	assert_int_equal(errno, EBADMSG);
	still_serving(&d, p, 1);
	/* Cut short, empty. */
	assert_int_equal(truncate(bad, 25), 0);
	assert_int_equal(replay(p, 1, bad, &res), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(truncate(bad, 0), 0);
	assert_int_equal(replay(p, 1, bad, &res), -1);
	assert_int_equal(errno, EBADMSG);
	/* Over the size the daemon takes: refused before a byte is read. */
	assert_int_equal(truncate(bad, (16 << 20) + 1), 0);
	assert_int_equal(replay(p, 1, bad, &res), -1);
	assert_int_equal(errno, EFBIG);
	still_serving(&d, p, 1);
	/* No such session; a locking kind. */
	assert_int_equal(replay(p, 9, trace, &res), -1);
	assert_int_equal(errno, ENOENT);
	fd = open(trace, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_replay(p, 1, fd, PREFETCH_MLOCK, NULL), -1);
	assert_int_equal(errno, EINVAL);
	close(fd);
	still_serving(&d, p, 1);

	prefetch_close(p);
	pft_stop(&d);
	unlink(bad);
	unlink(trace);
	unlink(file);
	alarm(0);
}

/* A pipe whose writer never writes nor closes: refused at once (a read
 * would wait for ever), and the connection goes on. */
static void test_replay_pipe(void **state)
{
	const char *const args[] = { NULL };
	struct pft_daemon d;
	prefetch_t *p;
	int fds[2], sv[2];

	(void)state;
	pft_need_disk();
	alarm(60);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "pipe", 0), 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(prefetch_replay(p, 1, fds[0], PREFETCH_FADVISE, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(prefetch_replay(p, 1, sv[0], PREFETCH_FADVISE, NULL), -1);
	assert_int_equal(errno, EINVAL);
	still_serving(&d, p, 1);
	close(fds[0]);
	close(fds[1]);
	close(sv[0]);
	close(sv[1]);
	prefetch_close(p);
	pft_stop(&d);
	alarm(0);
}

struct other {
	const char *sock, *trace;
	const struct pft_user *user;
};

/* As another user: the request is refused before the trace is read. */
static int other_user(int chan, void *arg)
{
	const struct other *o = arg;
	prefetch_t *p;
	int fd;

	(void)chan;
	TU_CHECK(pft_become(o->user) == 0);
	p = prefetch_connect(o->sock);
	TU_CHECK(p != NULL);
	TU_CHECK(prefetch_session_create(p, 1, "mine", 0) == 0);
	fd = open(o->trace, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	errno = 0;
	TU_CHECK(prefetch_replay(p, 1, fd, PREFETCH_FADVISE, NULL) == -1 &&
	         errno == EPERM);
	/* Refused again for a session it does not have. */
	errno = 0;
	TU_CHECK(prefetch_replay(p, 5, fd, PREFETCH_FADVISE, NULL) == -1 &&
	         errno == EPERM);
	close(fd);
	prefetch_close(p);
	return 0;
}

static void test_replay_other_user(void **state)
{
	char gid[32], file[600], trace[600], out[8192];
	const char *const args[] = { "--socket-group", gid, NULL };
	struct pft_daemon d;
	struct pft_user u;
	struct pf_trace t;
	struct other o;
	int chan, tries;
	pid_t pid;

	(void)state;
	pft_need_disk();
	pft_need_user(&u);
	alarm(120);
	snprintf(gid, sizeof gid, "%ld", (long)u.gid);
	assert_int_equal(pft_make_file(pft_dir, "theirs", FILE_PAGES * PAGE, file,
	                               sizeof file), 0);
	snprintf(trace, sizeof trace, "%s/theirs.trace", pft_dir);
	make_trace(file, trace);
	assert_int_equal(pf_trace_load(trace, &t, NULL), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);

	o.sock = d.sock;
	o.trace = trace;
	o.user = &u;
	pid = tu_fork_peer(SOCK_STREAM, &chan, other_user, &o);
	tu_assert_child_ok(pid);
	close(chan);
	/* prefetchctl falls back to opening the files itself. */
	assert_int_equal(pft_evict(file), 0);
	assert_int_equal(pft_run_as(&u, out, sizeof out, "%s --socket '%s' replay "
	                            "'%s' 2>&1", pft_prefetchctl(), d.sock, trace), 0);
	assert_null(strstr(out, "replay request"));
	assert_non_null(strstr(out, "through prefetchd"));
	assert_non_null(strstr(out, "1 file not waited for"));
	/* To a user who may not write the file, mincore says every page
	 * is resident, so prefetchctl may return before the advice is done:
	 * the test waits for it, up to 5 s. */
	for (tries = 0; tries < 500 && !exactly_ranges(file, &t.files[0]); tries++)
		usleep(10000);
	assert_true(exactly_ranges(file, &t.files[0]));

	pft_stop(&d);
	pf_trace_free(&t);
	pft_user_del(&u);
	unlink(trace);
	unlink(file);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_replay_recorded),
		TU_TEST(test_replay_refused),
		TU_TEST(test_replay_pipe),
		TU_TEST(test_replay_other_user),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

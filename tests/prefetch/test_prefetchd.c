/* SPDX-License-Identifier: ISC */
/*
 * test_prefetchd.c: a real prefetchd over a real socket, with real files
 * on a disk. Each kind takes a cold file to fully resident, as measured by
 * the daemon, by mincore here and by fincore(1); the lock budget holds;
 * clients that die, send garbage or come a hundred at once end only
 * themselves; the daemon ends with no descriptor, session or lock left.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "protocol.h"
#include "testutil.h"
#include "pftest.h"

#define MiB (1024 * 1024)
#define FILE_SIZE (24 * MiB) /* three times the usual readahead window */

static const char *dir;
static char why[512];

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

static void need_disk(void)
{
	if (dir == NULL) {
		fprintf(stderr, "skipped: %s\n", why);
		skip();
	}
}

static void start(struct pft_daemon *d, const char *const *args)
{
	need_disk();
	assert_int_equal(pft_start(d, dir, args), 0);
}

/* A cold file: on disk, nothing of it in the page cache. */
static void cold_file(const char *name, size_t size, char *path, size_t len)
{
	uint64_t pages;

	if (access(path, F_OK) != 0 || path[0] == '\0')
		assert_int_equal(pft_make_file(dir, name, size, path, len), 0);
	assert_int_equal(pft_evict(path), 0);
	assert_int_equal(pft_resident(path, &pages), 0);
	if (pft_fincore(path) >= 0)
		assert_int_equal(pft_fincore(path), 0);
}

static void assert_all_resident(const char *path, size_t size)
{
	uint64_t pages;
	int64_t fc = pft_fincore(path), res = pft_resident(path, &pages);

	assert_int_equal(res, (int64_t)pages);
	if (fc >= 0)
		assert_int_equal(fc, (int64_t)size);
}

static uint64_t locked_bytes(prefetch_t *p, struct prefetch_stats *st)
{
	assert_int_equal(prefetch_dump(p, PREFETCH_ALL_SESSIONS, NULL, NULL, NULL,
	                               st), 0);
	return st->locked;
}

static void test_each_kind(void **state)
{
	const char *const args[] = { "--max-locked", "64M", NULL };
	struct pft_daemon d;
	prefetch_t *p;
	int kind;

	(void)state;
	start(&d, args);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_version(p), PF_VERSION);
	assert_int_equal(prefetch_session_create(p, 7, "kinds", 0), 0);
	for (kind = PREFETCH_FADVISE; kind <= PREFETCH_MLOCK; kind++) {
		char path[600] = "", name[32];
		struct prefetch_residency r;
		struct prefetch_stats st;
		uint64_t done = 0;
		int fd, reads_in;

		snprintf(name, sizeof name, "kind-%s", prefetch_kind_name(kind));
		cold_file(name, FILE_SIZE, path, sizeof path);
		/* Half by path, half by descriptor. */
		if (kind % 2 == 0) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			assert_true(fd >= 0);
			assert_int_equal(prefetch_register_fd(p, 7, (uint32_t)kind, fd), 0);
			close(fd);
		} else {
			assert_int_equal(prefetch_register_path(p, 7, (uint32_t)kind, path), 0);
		}
		assert_int_equal(prefetch_readahead(p, 7, (uint32_t)kind, kind, 0, 0,
		                                    &done), 0);
		assert_int_equal(done, FILE_SIZE);
		reads_in = kind != PREFETCH_MLOCK || !pft_mlock_inert();
		pft_wait_resident(p, 7, (uint32_t)kind,
		                  kind <= PREFETCH_READAHEAD ? kind : -1,
		                  reads_in ? 20 : 0, &r);
		assert_true(r.trusted);
		assert_int_equal(r.size, FILE_SIZE);
		if (reads_in) {
			assert_int_equal(r.resident, r.pages);
			assert_all_resident(path, FILE_SIZE);
		}
		if (kind >= PREFETCH_MMAP) {
			assert_int_equal(locked_bytes(p, &st), FILE_SIZE);
			assert_int_equal(prefetch_unregister(p, 7, (uint32_t)kind), 0);
			assert_int_equal(locked_bytes(p, &st), 0);
		}
	}
	prefetch_close(p);
	pft_stop(&d);
}

static void test_ranges_and_errors(void **state)
{
	struct pft_daemon d;
	char path[600] = "";
	prefetch_t *p;
	uint64_t done = 1, pages;
	int64_t want = MiB / sysconf(_SC_PAGESIZE);
	int fd, i;

	(void)state;
	start(&d, NULL);
	cold_file("range", 4 * MiB, path, sizeof path);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "r", 0), 0);
	assert_int_equal(prefetch_session_create(p, 1, "r", 0), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(prefetch_register_path(p, 1, 1, path), 0);
	assert_int_equal(prefetch_register_path(p, 1, 1, path), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(prefetch_register_path(p, 1, 2, "/nonexistent/x"), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(prefetch_register_path(p, 1, 2, dir), -1);
	assert_int_equal(errno, EINVAL); /* not a regular file */
	assert_int_equal(prefetch_register_path(p, 2, 1, path), -1);
	assert_int_equal(errno, ENOENT); /* no session 2 */
	assert_int_equal(prefetch_readahead(p, 1, 9, PREFETCH_FADVISE, 0, 0, NULL), -1);
	assert_int_equal(errno, ENOENT);
	/* One MiB in the middle: the pages around it stay out. */
	assert_int_equal(prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, MiB, MiB,
	                                    &done), 0);
	assert_int_equal(done, MiB);
	for (i = 1; i < 2000 && pft_resident(path, &pages) < want; i++) {
		if (i % 100 == 0) /* best effort: ask again if reads were dropped */
			prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, MiB, MiB, NULL);
		usleep(5000);
	}
	assert_int_equal(pft_resident(path, &pages), want);
	/* Past the end: nothing to do. */
	assert_int_equal(prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, 8 * MiB, 0,
	                                    &done), 0);
	assert_int_equal(done, 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_int_equal(prefetch_unregister_fd(p, 1, fd), 0);
	assert_int_equal(prefetch_unregister_fd(p, 1, fd), -1);
	assert_int_equal(errno, ENOENT);
	close(fd);
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
	assert_int_equal(prefetch_session_destroy(p, 1), -1);
	assert_int_equal(errno, ENOENT);
	prefetch_close(p);
	pft_stop(&d);
}

static void test_memfs_reported(void **state)
{
	char path[] = "/dev/shm/pftest-XXXXXX";
	struct pft_daemon d;
	prefetch_t *p;
	int fd, kind;

	(void)state;
	need_disk();
	fd = mkstemp(path);
	if (fd == -1) {
		fprintf(stderr, "skipped: no /dev/shm\n");
		skip();
	}
	assert_int_equal(ftruncate(fd, MiB), 0);
	start(&d, NULL);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 3, "shm", 0), 0);
	assert_int_equal(prefetch_register_fd(p, 3, 1, fd), 0);
	for (kind = PREFETCH_FADVISE; kind <= PREFETCH_READAHEAD; kind++) {
		assert_int_equal(prefetch_readahead(p, 3, 1, kind, 0, 0, NULL), -1);
		assert_int_equal(errno, EOPNOTSUPP);
	}
	prefetch_close(p);
	pft_stop(&d);
	close(fd);
	unlink(path);
}

static void test_lock_budget(void **state)
{
	const char *const args[] = { "--max-locked", "1M", NULL };
	struct prefetch_stats st;
	struct pft_daemon d;
	char path[600] = "";
	prefetch_t *p;
	int kind;

	(void)state;
	start(&d, args);
	cold_file("budget", 4 * MiB, path, sizeof path);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 5, "budget", 0), 0);
	assert_int_equal(prefetch_register_path(p, 5, 1, path), 0);
	for (kind = PREFETCH_MMAP; kind <= PREFETCH_MLOCK; kind++) {
		assert_int_equal(prefetch_readahead(p, 5, 1, kind, 0, 0, NULL), -1);
		assert_int_equal(errno, ENOMEM);
		assert_int_equal(locked_bytes(p, &st), 0);
		assert_int_equal(st.budget, MiB);
	}
	/* Within the budget it works, and the rest is then refused. */
	assert_int_equal(prefetch_readahead(p, 5, 1, PREFETCH_MLOCK, 0, 768 * 1024,
	                                    NULL), 0);
	assert_int_equal(locked_bytes(p, &st), 768 * 1024);
	assert_int_equal(prefetch_readahead(p, 5, 1, PREFETCH_MMAP, MiB, 512 * 1024,
	                                    NULL), -1);
	assert_int_equal(errno, ENOMEM);
	/* The session ends with its connection, and its locks with it. */
	prefetch_close(p);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(locked_bytes(p, &st), 0);
	assert_int_equal(st.sessions, 0);
	prefetch_close(p);
	pft_stop(&d);
}

static int raw_connect(const char *sock)
{
	int fd = pft_raw_connect(sock);

	assert_true(fd >= 0);
	return fd;
}

static void raw_send(int fd, const void *buf, size_t len)
{
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
}

static size_t raw_request(uint8_t *buf, uint16_t cmd, uint32_t sid)
{
	struct pf_request req;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = cmd;
	req.hdr.tag = 42;
	req.sid = sid;
	req.vmin = req.vmax = PF_VERSION;
	return (size_t)pf_request_encode(&req, buf, PF_MAX_FRAME);
}

static int dies_mid_frame(int chan, void *arg)
{
	const char *sock = arg;
	uint8_t buf[64];
	int fd = pft_raw_connect(sock);
	size_t n = raw_request(buf, PF_HELLO, 0);

	(void)chan;
	TU_CHECK(fd >= 0);
	TU_CHECK(write(fd, buf, n / 2) == (ssize_t)(n / 2));
	_exit(0); /* half a frame, then gone */
}

/* Waits until the daemon counts only our connection. */
static void wait_alone(prefetch_t *p)
{
	struct prefetch_stats st;
	int i;

	for (i = 0; i < 500; i++) {
		assert_int_equal(prefetch_dump(p, 0, NULL, NULL, NULL, &st), 0);
		if (st.connections == 1)
			break;
		usleep(10000);
	}
	assert_int_equal(st.connections, 1);
	assert_int_equal(st.sessions, 0);
	assert_int_equal(st.files, 0);
	assert_int_equal(st.locked, 0);
}

static void test_hostile_clients(void **state)
{
	static uint8_t buf[PF_MAX_FRAME + 64];
	struct pft_daemon d;
	prefetch_t *p;
	uint16_t cmd;
	size_t n;
	int fd, idle, baseline, i;
	pid_t pid;
	int chan;

	(void)state;
	start(&d, NULL);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	baseline = pft_count_fds(d.pid);
	assert_true(baseline > 0);

	/* A client that dies in the middle of a frame. */
	pid = tu_fork_peer(SOCK_STREAM, &chan, dies_mid_frame, d.sock);
	tu_assert_child_ok(pid);
	close(chan);

	/* A frame that comes a byte at a time is put together; meanwhile a
	 * client that sent half a frame and waits disturbs nobody. */
	idle = raw_connect(d.sock);
	n = raw_request(buf, PF_HELLO, 0);
	raw_send(idle, buf, n / 2);
	fd = raw_connect(d.sock);
	for (i = 0; i < (int)n; i++) {
		raw_send(fd, buf + i, 1);
		assert_int_equal(prefetch_dump(p, 0, NULL, NULL, NULL, NULL), 0);
	}
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	close(fd);
	close(idle);

	/* Commands before HELLO are refused; unknown ones too, framing kept. */
	fd = raw_connect(d.sock);
	raw_send(fd, buf, raw_request(buf, PF_DUMP, 0));
	assert_int_equal(pft_raw_reply(fd, &cmd, NULL), EPROTO);
	assert_int_equal(cmd, PF_DUMP | PF_REPLY);
	/* A version range without ours: refused, with ours in the reply. */
	n = raw_request(buf, PF_HELLO, 0);
	buf[PF_HDR_SIZE + 1] = 2;
	buf[PF_HDR_SIZE + 3] = 5;
	raw_send(fd, buf, n);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), EPROTONOSUPPORT);
	raw_send(fd, buf, raw_request(buf, PF_HELLO, 0));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	n = raw_request(buf, PF_DUMP, 0);
	buf[5] = 99; /* command 99 */
	raw_send(fd, buf, n);
	assert_int_equal(pft_raw_reply(fd, &cmd, NULL), ENOSYS);
	assert_int_equal(cmd, 99 | PF_REPLY);
	/* A body that does not match its command. */
	n = raw_request(buf, PF_DUMP, 0);
	buf[3] = (uint8_t)(n - 1);
	raw_send(fd, buf, n - 1);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), EBADMSG);
	/* Still in step: a good request works. */
	raw_send(fd, buf, raw_request(buf, PF_DUMP, 0));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	/* A descriptor the frame does not declare is dropped, not kept. */
	n = raw_request(buf, PF_DUMP, 0);
	assert_int_equal(givefd_send(fd, &fd, 1, buf, n), (ssize_t)n);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	/* A frame that declares a descriptor it lacks loses the framing. */
	n = raw_request(buf, PF_REG_FD, 1);
	raw_send(fd, buf, n);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), EPROTO);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), -1);
	close(fd);

	/* A client that sends its requests and shuts down its side still
	 * gets every reply. */
	fd = raw_connect(d.sock);
	n = raw_request(buf, PF_HELLO, 0);
	n += raw_request(buf + n, PF_DUMP, 0);
	raw_send(fd, buf, n);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	assert_int_equal(pft_raw_reply(fd, &cmd, NULL), 0);
	assert_int_equal(cmd, PF_HELLO | PF_REPLY);
	assert_int_equal(pft_raw_reply(fd, &cmd, NULL), 0);
	assert_int_equal(cmd, PF_DUMP | PF_REPLY);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), -1);
	close(fd);

	/* An oversized frame: an error reply, then the daemon hangs up. */
	fd = raw_connect(d.sock);
	n = raw_request(buf, PF_HELLO, 0);
	buf[0] = 0x7f;
	raw_send(fd, buf, n);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), EMSGSIZE);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), -1);
	close(fd);

	/* Garbage: reserved bits set, then random bytes. */
	fd = raw_connect(d.sock);
	memset(buf, 0xa5, 64);
	buf[0] = 0; buf[1] = 0; buf[2] = 0; buf[3] = 64;
	raw_send(fd, buf, 64);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), EBADMSG);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), -1);
	close(fd);
	srand(1);
	for (i = 0; i < 20; i++) {
		size_t k;

		fd = raw_connect(d.sock);
		for (k = 0; k < 4096; k++)
			buf[k] = (uint8_t)rand();
		(void)!write(fd, buf, 4096);
		close(fd);
	}
	/* The daemon accepts one connection per turn of its loop, after
	 * serving the others: a last client, queued behind all of those, is
	 * answered only once they have all been taken in. */
	fd = raw_connect(d.sock);
	raw_send(fd, buf, raw_request(buf, PF_HELLO, 0));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	close(fd);

	/* None of that disturbed a well-behaved client or leaked anything. */
	wait_alone(p);
	assert_int_equal(pft_count_fds(d.pid), baseline);
	prefetch_close(p);
	pft_stop(&d);
}

struct crowd { const char *sock, *path; uint32_t sid; };

static int one_of_a_crowd(int chan, void *arg)
{
	struct crowd *c = arg;
	struct prefetch_residency r;
	struct prefetch_stats st;
	prefetch_t *p = prefetch_connect(c->sock);
	size_t n;
	int fd;

	(void)chan;
	TU_CHECK(p != NULL);
	TU_CHECK(prefetch_session_create(p, c->sid, "crowd", 0) == 0);
	fd = open(c->path, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(prefetch_register_fd(p, c->sid, 1, fd) == 0);
	TU_CHECK(prefetch_register_path(p, c->sid, 2, c->path) == 0);
	TU_CHECK(prefetch_readahead(p, c->sid, 1, PREFETCH_FADVISE, 0, 0, NULL) == 0);
	TU_CHECK(prefetch_readahead(p, c->sid, 2, PREFETCH_READAHEAD, 0, 0, NULL) == 0);
	TU_CHECK(prefetch_residency(p, c->sid, &r, 1, &n) == 0 && n == 1);
	TU_CHECK(prefetch_dump(p, c->sid, NULL, NULL, NULL, &st) == 0);
	TU_CHECK(st.sessions >= 1);
	/* Half leave their session behind for the daemon to clean up. */
	if (c->sid % 2 == 0)
		TU_CHECK(prefetch_session_destroy(p, c->sid) == 0);
	prefetch_close(p);
	close(fd);
	return 0;
}

static void test_hundred_clients(void **state)
{
	struct pft_daemon d;
	char path[600] = "";
	struct crowd c[100];
	pid_t pids[100];
	int chans[100], i, baseline;
	prefetch_t *p;

	(void)state;
	start(&d, NULL);
	cold_file("crowd", MiB, path, sizeof path);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	baseline = pft_count_fds(d.pid);
	for (i = 0; i < 100; i++) {
		c[i].sock = d.sock;
		c[i].path = path;
		c[i].sid = (uint32_t)i + 100;
		pids[i] = tu_fork_peer(SOCK_STREAM, &chans[i], one_of_a_crowd, &c[i]);
		assert_true(pids[i] > 0);
	}
	for (i = 0; i < 100; i++) {
		tu_assert_child_ok(pids[i]);
		close(chans[i]);
	}
	wait_alone(p);
	assert_int_equal(pft_count_fds(d.pid), baseline);
	prefetch_close(p);
	pft_stop(&d);
}

/* Encodes req at buf: the frame's size. */
static size_t raw_encode(uint8_t *buf, struct pf_request *req, uint16_t cmd)
{
	long n;

	req->hdr.cmd = cmd;
	req->hdr.tag = cmd;
	n = pf_request_encode(req, buf, PF_MAX_FRAME);
	assert_true(n > 0);
	return (size_t)n;
}

/* A connection with session 21 and the file registered as 1, by bytes. */
static int raw_session(const char *sock, const char *path)
{
	static uint8_t buf[1024];
	struct pf_request req;
	int fd = raw_connect(sock);

	memset(&req, 0, sizeof req);
	req.vmin = req.vmax = PF_VERSION;
	req.sid = 21;
	req.fid = 1;
	raw_send(fd, buf, raw_encode(buf, &req, PF_HELLO));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	raw_send(fd, buf, raw_encode(buf, &req, PF_CREATE));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	req.str = path;
	req.strlen = strlen(path);
	raw_send(fd, buf, raw_encode(buf, &req, PF_REG_PATH));
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	return fd;
}

/* Locks are done by worker threads: the replies still come in order, and
 * a client that leaves before its lock is done leaves nothing behind. */
static void test_locks_in_flight(void **state)
{
	const char *const args[] = { "--max-locked", "64M", NULL };
	static uint8_t buf[1024];
	struct pf_request req;
	struct pft_daemon d;
	char path[600] = "";
	prefetch_t *p;
	uint16_t cmd;
	size_t n;
	int fd, i;

	(void)state;
	start(&d, args);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	for (i = 0; i < 2; i++) {
		cold_file("in-flight", FILE_SIZE, path, sizeof path);
		fd = raw_session(d.sock, path);
		memset(&req, 0, sizeof req);
		req.sid = 21;
		req.fid = 1;
		req.kind = PF_KIND_MLOCK;
		n = raw_encode(buf, &req, PF_READAHEAD);
		n += raw_encode(buf + n, &req, PF_DUMP);
		raw_send(fd, buf, n);
		if (i == 0) {
			assert_int_equal(pft_raw_reply(fd, &cmd, NULL), 0);
			assert_int_equal(cmd, PF_READAHEAD | PF_REPLY);
			assert_int_equal(pft_raw_reply(fd, &cmd, NULL), 0);
			assert_int_equal(cmd, PF_DUMP | PF_REPLY);
			if (!pft_mlock_inert())
				assert_all_resident(path, FILE_SIZE);
		}
		close(fd);
		/* Gone with its connection, the lock with it, done or not. */
		wait_alone(p);
	}
	prefetch_close(p);
	pft_stop(&d);
}

static void test_persistent_session(void **state)
{
	const char *const args[] = { "--max-locked", "8M", NULL };
	struct prefetch_stats st;
	struct pft_daemon d;
	char path[600] = "";
	prefetch_t *p;

	(void)state;
	start(&d, args);
	cold_file("persist", 2 * MiB, path, sizeof path);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 9, "kept", PREFETCH_PERSISTENT), 0);
	assert_int_equal(prefetch_register_path(p, 9, 1, path), 0);
	assert_int_equal(prefetch_readahead(p, 9, 1, PREFETCH_MLOCK, 0, 0, NULL), 0);
	prefetch_close(p);
	/* Outlives its connection, pages still locked. */
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(locked_bytes(p, &st), 2 * MiB);
	assert_int_equal(st.sessions, 1);
	assert_int_equal(prefetch_session_destroy(p, 9), 0);
	assert_int_equal(locked_bytes(p, &st), 0);
	prefetch_close(p);
	pft_stop(&d);
}

static void test_confined(void **state)
{
	struct pft_daemon d;
	char path[64], line[256];
	FILE *f;
	int seccomp = -1;

	(void)state;
	start(&d, NULL);
	snprintf(path, sizeof path, "/proc/%ld/status", (long)d.pid);
	f = fopen(path, "re");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Seccomp: %d", &seccomp) == 1)
			break;
	fclose(f);
#ifdef HAVE_SECCOMP
	assert_int_equal(seccomp, 2); /* filtered */
#else
	assert_true(seccomp == 0 || seccomp == -1);
#endif
	pft_stop(&d);
}

/* The controlling terminal of process pid (tty_nr in /proc/PID/stat). */
static long controlling_tty(pid_t pid)
{
	char path[64], text[1024], *end;
	long tty = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, text, sizeof text - 1);
	close(fd);
	assert_true(n > 0);
	text[n] = '\0';
	end = strrchr(text, ')');
	assert_non_null(end);
	assert_int_equal(sscanf(end + 1, " %*c %*d %*d %*d %ld", &tty), 1);
	return tty;
}

/* A daemon leading its own session with no terminal is asked to register
 * a terminal and a fifo: both refused, nothing opened, so no terminal
 * becomes its controlling one and ^C on the terminal does not reach it. */
static void test_terminal_refused(void **state)
{
	static const char *const setsid_prefix[] = { "setsid", NULL };
	char fifo[600];
	struct pft_daemon d;
	const char *slave;
	prefetch_t *p;
	int master;

	(void)state;
	need_disk();
	if (system("setsid true >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skipped: no setsid(1)\n");
		skip();
	}
	master = pft_open_pty(&slave);
	assert_int_equal(pft_start_under(&d, setsid_prefix, dir, NULL), 0);
	assert_int_equal(controlling_tty(d.pid), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "tty", 0), 0);
	assert_int_equal(prefetch_register_path(p, 1, 1, slave), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(controlling_tty(d.pid), 0);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(prefetch_register_path(p, 1, 2, fifo), -1);
	assert_int_equal(errno, EINVAL);
	/* ^C on the terminal: the daemon, in no terminal's session, goes on. */
	assert_int_equal(write(master, "\003", 1), 1);
	assert_int_equal(prefetch_dump(p, 1, NULL, NULL, NULL, NULL), 0);
	prefetch_close(p);
	close(master);
	unlink(fifo);
	pft_stop(&d);
}

/* Run as root: the daemon becomes nobody and cannot open a file that only
 * root can, but prefetches it from the descriptor it is handed. */
static void test_descriptor_only(void **state)
{
	const char *const args[] = { "--user", "nobody", NULL };
	struct prefetch_residency r;
	struct pft_daemon d;
	char sub[600], path[700] = "", line[256], status[64], out[4096];
	prefetch_t *p;
	FILE *f;
	int fd;
	long uid = -1;

	(void)state;
	need_disk();
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root to run the daemon as another user\n");
		skip();
	}
	snprintf(sub, sizeof sub, "%s/private", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	cold_file("private/secret", 4 * MiB, path, sizeof path);
	assert_int_equal(chmod(path, 0600), 0);
	start(&d, args);
	snprintf(status, sizeof status, "/proc/%ld/status", (long)d.pid);
	f = fopen(status, "re");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(f);
	assert_int_not_equal(uid, 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 11, "private", 0), 0);
	assert_int_equal(prefetch_register_path(p, 11, 1, path), -1);
	assert_int_equal(errno, EACCES);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_register_fd(p, 11, 1, fd), 0);
	close(fd);
	assert_int_equal(prefetch_readahead(p, 11, 1, PREFETCH_FADVISE, 0, 0, NULL), 0);
	/* The daemon cannot measure a file it could not write: it says so
	 * rather than believe mincore. We measure it ourselves. */
	pft_wait_resident(p, 11, 1, -1, 0, &r);
	assert_true(!r.trusted || r.resident == r.pages);
	{
		uint64_t pages;
		int i;

		for (i = 1; i < 2000; i++) {
			int64_t res = pft_resident(path, &pages);

			if (res == (int64_t)pages)
				break;
			if (i % 100 == 0) /* ask again if reads were dropped */
				prefetch_readahead(p, 11, 1, PREFETCH_FADVISE, 0, 0, NULL);
			usleep(5000);
		}
	}
	assert_all_resident(path, 4 * MiB);
	/* What the daemon cannot measure, its client can, here... */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_residency_fd(fd, &r), 0);
	close(fd);
	assert_true(r.trusted);
	assert_int_equal(r.resident, r.pages);
	/* ... and prefetchctl does so. */
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' status '%s'",
	                         pft_prefetchctl(), d.sock, path), 0);
	assert_non_null(strstr(out, "100.0%  total"));
	prefetch_close(p);
	pft_stop(&d);
}

#ifndef GIVEFD_SANITIZED
/* Whether valgrind is installed and can run prefetchd as built here:
 * older valgrinds cannot read newer compilers' debug information (they
 * complain, or give up with a status of their own), and valgrind cannot
 * see inside a C library whose own calls bypass the malloc it replaces
 * (musl). Anything valgrind prints fails the probe; the report stays in
 * this log. */
static int valgrind_runs_prefetchd(void)
{
	char line[512];
	int told = 0, complaints = 0, status;
	FILE *f;

	if (system("valgrind --version >/dev/null 2>&1") != 0 ||
	    access("./libtool", X_OK) != 0) {
		fprintf(stderr, "skipped: valgrind is not installed\n");
		return 0;
	}
	/* The daemon's start-up with the test's options, up to a socket it
	 * cannot create: it must say so, exit 1, and valgrind stay silent. */
	f = popen("./libtool --mode=execute valgrind -q --error-exitcode=99 "
	          "./prefetchd --no-seccomp --max-locked 4M "
	          "--socket /nonexistent/prefetchd.sock 2>&1", "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		fputs(line, stderr);
		if (strstr(line, "prefetchd: /nonexistent/prefetchd.sock:") != NULL)
			told = 1;
		else
			complaints = 1;
	}
	status = pclose(f);
	if (!told || complaints || status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 1) {
		fprintf(stderr, "skipped: valgrind cannot run prefetchd as built "
		        "here (its report is above)\n");
		return 0;
	}
	return 1;
}
#endif

/* Under valgrind (where installed), a workload of every kind of request,
 * good and bad, then EXIT: the daemon must have freed all it allocated.
 * A sanitized daemon cannot run under valgrind (its runtime must come
 * first): there the runtime's own leak checker judges the same exit. */
static void test_no_memory_leaked(void **state)
{
	static const char *const valgrind[] = {
		"./libtool", "--mode=execute", "valgrind", "-q", "--leak-check=full",
		"--show-leak-kinds=definite,indirect",
		"--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
		NULL
	};
	const char *const args[] = { "--no-seccomp", "--max-locked", "4M", NULL };
	static uint8_t buf[PF_MAX_FRAME];
	struct pft_daemon d;
	char path[600] = "";
	const char *const *prefix = valgrind;
	prefetch_t *p;
	int kind, fd, i;

	(void)state;
	need_disk();
#ifdef GIVEFD_SANITIZED
	fprintf(stderr, "# not under valgrind, which cannot run a sanitized "
	        "build: the sanitizer checks the daemon's exit instead\n");
	prefix = NULL;
#else
	if (!valgrind_runs_prefetchd())
		skip();
#endif
	assert_int_equal(pft_start_under(&d, prefix, dir, args), 0);
	cold_file("leak", 2 * MiB, path, sizeof path);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "one", 0), 0);
	assert_int_equal(prefetch_session_create(p, 2, "two", PREFETCH_PERSISTENT), 0);
	for (kind = PREFETCH_FADVISE; kind <= PREFETCH_MLOCK; kind++) {
		assert_int_equal(prefetch_register_path(p, 1, (uint32_t)kind, path), 0);
		assert_int_equal(prefetch_readahead(p, 1, (uint32_t)kind, kind, 0, 0,
		                                    NULL), 0);
	}
	assert_int_equal(prefetch_unregister(p, 1, PREFETCH_MMAP), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_int_equal(prefetch_register_fd(p, 2, 1, fd), 0);
	close(fd);
	assert_int_equal(prefetch_readahead(p, 2, 1, PREFETCH_MLOCK, 0, MiB, NULL), 0);
	assert_int_equal(prefetch_readahead(p, 2, 1, PREFETCH_MLOCK, 0, 0, NULL), -1);
	assert_int_equal(prefetch_dump(p, 0, NULL, NULL, NULL, NULL), 0);
	prefetch_close(p);
	for (i = 0; i < 3; i++) {
		fd = raw_connect(d.sock);
		raw_send(fd, buf, raw_request(buf, PF_HELLO, 0));
		assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
		buf[0] = (uint8_t)(i + 1); /* oversized */
		raw_send(fd, buf, 16);
		close(fd);
	}
	/* A lock whose client leaves before it is done. */
	{
		struct pf_request req;

		fd = raw_session(d.sock, path);
		memset(&req, 0, sizeof req);
		req.sid = 21;
		req.fid = 1;
		req.kind = PF_KIND_MMAP;
		raw_send(fd, buf, raw_encode(buf, &req, PF_READAHEAD));
		close(fd);
	}
	/* Sessions 1 (ended with its connection) and 2 (persistent, still
	 * locked at exit) must both be released. */
	pft_stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_each_kind),
		TU_TEST(test_ranges_and_errors),
		TU_TEST(test_memfs_reported),
		TU_TEST(test_lock_budget),
		TU_TEST(test_hostile_clients),
		TU_TEST(test_hundred_clients),
		TU_TEST(test_locks_in_flight),
		TU_TEST(test_persistent_session),
		TU_TEST(test_confined),
		TU_TEST(test_terminal_refused),
		TU_TEST(test_descriptor_only),
		TU_TEST(test_no_memory_leaked),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_limits.c: what bounds one client's hold on the daemon.
 * Per-uid quotas of connections, sessions and files (EDQUOT, while another
 * uid is still served) and of descriptors sent ahead of requests never
 * finished; the handshake deadline; and advice, which skips a
 * sparse file's holes and is done a step at a time, so that another
 * client is answered while a long request is still under way. Nothing
 * here measures time: only what happened, and in which order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "protocol.h"
#include "testutil.h"
#include "pftest.h"

#define MiB ((uint64_t)1 << 20)
#define TiB ((uint64_t)1 << 40)

static void raw_send(int fd, uint16_t cmd, uint32_t sid, uint32_t fid,
                     unsigned kind)
{
	uint8_t buf[256];
	struct pf_request req;
	long n;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = cmd;
	req.hdr.tag = cmd;
	req.vmin = req.vmax = PF_VERSION;
	req.sid = sid;
	req.fid = fid;
	req.kind = (uint8_t)kind;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(write(fd, buf, (size_t)n), n);
}

struct quota_peer {
	const char *sock, *path;
	const struct pft_user *user;
};

/* Another uid, while root is at every quota: served in full. */
static int served_anyway(int chan, void *arg)
{
	const struct quota_peer *q = arg;
	prefetch_t *p;
	uint32_t fid;
	int fd;

	(void)chan;
	TU_CHECK(pft_become(q->user) == 0);
	p = prefetch_connect(q->sock);
	TU_CHECK(p != NULL);
	TU_CHECK(prefetch_session_create(p, 1, "other", 0) == 0);
	fd = open(q->path, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	for (fid = 0; fid < 3; fid++)
		TU_CHECK(prefetch_register_fd(p, 1, fid, fd) == 0);
	errno = 0;
	TU_CHECK(prefetch_register_fd(p, 1, 3, fd) == -1 && errno == EDQUOT);
	close(fd);
	prefetch_close(p);
	return 0;
}

static void test_quota_per_uid(void **state)
{
	struct pft_user u;
	char gid[32], path[600];
	const char *const args[] = {
		"--max-conns-per-user", "2", "--max-sessions-per-user", "2",
		"--max-files-per-user", "3", "--socket-group", gid, NULL
	};
	struct quota_peer q;
	struct pft_daemon d;
	prefetch_t *p, *second;
	int fd, chan, extra;
	uint32_t fid;
	pid_t pid;

	(void)state;
	pft_need_disk();
	pft_need_user(&u);
	snprintf(gid, sizeof gid, "%ld", (long)u.gid);
	assert_int_equal(pft_make_file(pft_dir, "quota", MiB, path, sizeof path), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	/* Persistent sessions holding files outlive their connection and
	 * still count. */
	assert_int_equal(prefetch_session_create(p, 1, "a", PREFETCH_PERSISTENT), 0);
	assert_int_equal(prefetch_session_create(p, 2, "b", PREFETCH_PERSISTENT), 0);
	assert_int_equal(prefetch_session_create(p, 3, "c", 0), -1);
	assert_int_equal(errno, EDQUOT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	for (fid = 0; fid < 3; fid++)
		assert_int_equal(prefetch_register_fd(p, 1 + fid % 2, fid, fd), 0);
	assert_int_equal(prefetch_register_fd(p, 2, 9, fd), -1);
	assert_int_equal(errno, EDQUOT);
	assert_int_equal(prefetch_register_path(p, 2, 9, path), -1);
	assert_int_equal(errno, EDQUOT);
	prefetch_close(p);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_register_fd(p, 2, 9, fd), -1);
	assert_int_equal(errno, EDQUOT);
	/* A second connection, then a third, which is hung up on. */
	second = prefetch_connect(d.sock);
	assert_non_null(second);
	extra = pft_raw_connect(d.sock);
	assert_true(extra >= 0);
	assert_int_equal(pft_raw_reply(extra, NULL, NULL), -1);
	close(extra);

	/* Root at every limit; another uid is served. */
	q.sock = d.sock;
	q.path = path;
	q.user = &u;
	pid = tu_fork_peer(SOCK_STREAM, &chan, served_anyway, &q);
	tu_assert_child_ok(pid);
	close(chan);

	/* What is given back can be taken again. */
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
	assert_int_equal(prefetch_register_fd(p, 2, 9, fd), 0);
	assert_int_equal(prefetch_session_create(p, 3, "c", 0), 0);
	close(fd);
	prefetch_close(second);
	prefetch_close(p);
	pft_stop(&d);
	pft_user_del(&u);
}

#define HOARD_LIMIT 100   /* --max-pending-fds-per-user */

struct hoard {
	const char *sock, *path;
	const struct pft_user *user;
};

/* As another uid: many connections, each sending as many descriptors as a
 * message takes ahead of a frame it never finishes. Says so on chan, and
 * hangs up when the parent closes its end. */
static int hoarder(int chan, void *arg)
{
	const struct hoard *h = arg;
	size_t per_message = givefd_max_fds(), i;
	int fds[PF_MAX_FDS_PER_FRAME], conns[256];
	uint8_t part[4] = { 0 };
	size_t nconns;
	char c;
	int fd;

	TU_CHECK(pft_become(h->user) == 0);
	fd = open(h->path, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	if (per_message > PF_MAX_FDS_PER_FRAME)
		per_message = PF_MAX_FDS_PER_FRAME;
	TU_CHECK(per_message > 0);
	for (i = 0; i < per_message; i++)
		fds[i] = fd;
	nconns = 3 * HOARD_LIMIT / per_message + 1;
	if (nconns > sizeof conns / sizeof conns[0])
		nconns = sizeof conns / sizeof conns[0];
	/* Past the first hoard, the daemon reads none of these: each says
	 * HELLO before any of them sends a descriptor. */
	for (i = 0; i < nconns; i++) {
		conns[i] = pft_raw_connect(h->sock);
		TU_CHECK(conns[i] >= 0);
		raw_send(conns[i], PF_HELLO, 0, 0, 0);
		TU_CHECK(pft_raw_reply(conns[i], NULL, NULL) == 0);
	}
	for (i = 0; i < nconns; i++)
		TU_CHECK(givefd_send(conns[i], fds, per_message, part,
		                     sizeof part) == (ssize_t)sizeof part);
	close(fd);
	TU_CHECK(write(chan, "r", 1) == 1);
	TU_CHECK(read(chan, &c, 1) == 0);
	for (i = 0; i < nconns; i++)
		close(conns[i]);
	return 0;
}

/* The same uid, once its hoard is gone: served. */
static int served_again(int chan, void *arg)
{
	const struct hoard *h = arg;
	prefetch_t *p;
	int fd;

	(void)chan;
	TU_CHECK(pft_become(h->user) == 0);
	p = prefetch_connect(h->sock);
	TU_CHECK(p != NULL);
	TU_CHECK(prefetch_session_create(p, 1, "again", 0) == 0);
	fd = open(h->path, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(prefetch_register_fd(p, 1, 1, fd) == 0);
	close(fd);
	prefetch_close(p);
	return 0;
}

/* A uid that sends descriptors ahead of requests it never finishes, on as
 * many connections as it likes, makes the daemon hold at most its quota
 * of them; another uid is served meanwhile, and all is given back when
 * the hoarder goes. */
static void test_pending_fds_per_uid(void **state)
{
	char gid[32], limit[32], path[600];
	const char *const args[] = {
		"--max-pending-fds-per-user", limit, "--max-conns-per-user", "256",
		"--socket-group", gid, NULL
	};
	struct pft_daemon d;
	struct pft_user u;
	struct hoard h;
	prefetch_t *p;
	int base, held, chan, fd, i;
	pid_t pid;
	char c;

	(void)state;
	pft_need_disk();
	pft_need_user(&u);
	snprintf(gid, sizeof gid, "%ld", (long)u.gid);
	snprintf(limit, sizeof limit, "%d", HOARD_LIMIT);
	assert_int_equal(pft_make_file(pft_dir, "hoard", MiB, path, sizeof path), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "root", 0), 0);
	base = pft_count_fds(d.pid);
	if (base < 0) {
		fprintf(stderr, "skipped: cannot count the daemon's descriptors\n");
		prefetch_close(p);
		pft_stop(&d);
		pft_user_del(&u);
		skip();
	}

	h.sock = d.sock;
	h.path = path;
	h.user = &u;
	pid = tu_fork_peer(SOCK_STREAM, &chan, hoarder, &h);
	assert_int_equal(read(chan, &c, 1), 1);
	/* Every hoarding connection was readable before these requests:
	 * by their replies the daemon has read all that it will. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_register_fd(p, 1, 1, fd), 0);
	assert_int_equal(prefetch_unregister(p, 1, 1), 0);
	held = pft_count_fds(d.pid) - base;
	assert_true(held > 0);
	assert_true(held <= HOARD_LIMIT);

	close(chan);
	tu_assert_child_ok(pid);
	for (i = 0; i < 500 && pft_count_fds(d.pid) != base; i++) {
		assert_int_equal(prefetch_register_fd(p, 1, 1, fd), 0);
		assert_int_equal(prefetch_unregister(p, 1, 1), 0);
		usleep(10000);
	}
	assert_int_equal(pft_count_fds(d.pid), base);
	pid = tu_fork_peer(SOCK_STREAM, &chan, served_again, &h);
	tu_assert_child_ok(pid);
	close(chan);
	close(fd);
	prefetch_close(p);
	pft_stop(&d);
	pft_user_del(&u);
}

/* A connection that says nothing is closed once the deadline passes;
 * one that said HELLO stays. */
static void test_hello_deadline(void **state)
{
	const char *const args[] = { "--hello-timeout", "1", NULL };
	struct pft_daemon d;
	int silent, talker;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	talker = pft_raw_connect(d.sock);
	silent = pft_raw_connect(d.sock);
	assert_true(talker >= 0 && silent >= 0);
	raw_send(talker, PF_HELLO, 0, 0, 0);
	assert_int_equal(pft_raw_reply(talker, NULL, NULL), 0);
	assert_int_equal(pft_raw_reply(silent, NULL, NULL), -1); /* hung up on */
	raw_send(talker, PF_DUMP, 0, 0, 0);
	assert_int_equal(pft_raw_reply(talker, NULL, NULL), 0);
	close(silent);
	close(talker);
	pft_stop(&d);
}

/* A connection with session 1 and path registered as file 1. */
static int raw_session(const char *sock, const char *path)
{
	uint8_t buf[PF_MAX_FRAME];
	struct pf_request req;
	int fd = pft_raw_connect(sock);
	long n;

	assert_true(fd >= 0);
	raw_send(fd, PF_HELLO, 0, 0, 0);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	raw_send(fd, PF_CREATE, 1, 0, 0);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_REG_PATH;
	req.sid = 1;
	req.fid = 1;
	req.str = path;
	req.strlen = strlen(path);
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(write(fd, buf, (size_t)n), n);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	return fd;
}

/* Under a quota smaller than the descriptors one read may bring, a frame
 * whose descriptor came with its first bytes is still read whole, and
 * answered. */
static void test_pending_frame_in_parts(void **state)
{
	const char *const args[] = { "--max-pending-fds-per-user", "1", NULL };
	uint8_t buf[256];
	struct pf_request req;
	struct pft_daemon d;
	char path[600];
	int conn, fd;
	long n;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_make_file(pft_dir, "parts", MiB, path, sizeof path), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	conn = raw_session(d.sock, path);

	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_REG_FD;
	req.sid = 1;
	req.fid = 2;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_true(n > 4);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(givefd_send(conn, &fd, 1, buf, 4), 4);
	close(fd);
	/* The daemon has the descriptor and the first bytes by the time
	 * the rest is sent. */
	assert_int_equal(pft_readable(conn, 200), 0);
	assert_int_equal(write(conn, buf + 4, (size_t)n - 4), n - 4);
	assert_int_equal(pft_readable(conn, 10000), 1);
	assert_int_equal(pft_raw_reply(conn, NULL, NULL), 0);
	close(conn);
	pft_stop(&d);
}

static void test_advice_clipped_and_interleaved(void **state)
{
	struct pft_daemon d;
	char empty[600], dotted[600];
	uint64_t done = 0;
	int big, other;
	const uint64_t dots = 16384, stride = 64 * 1024;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);

	/* A terabyte of holes: nothing to read, and said so at once. */
	pft_sparse_file("holes", TiB, 0, empty, sizeof empty);
	big = raw_session(d.sock, empty);
	raw_send(big, PF_READAHEAD, 1, 1, PF_KIND_FADVISE);
	assert_int_equal(pft_raw_reply(big, NULL, &done), 0);
	assert_int_equal(done, 0);
	raw_send(big, PF_READAHEAD, 1, 1, PF_KIND_READAHEAD);
	assert_int_equal(pft_raw_reply(big, NULL, &done), 0);
	assert_int_equal(done, 0);
	close(big);

	/* Data scattered over a file: many steps of work. Another client's
	 * HELLO, sent once the big request is in, is answered; the daemon is
	 * stopped as soon as it is, and the big request must still be under
	 * way. */
	pft_sparse_file("dotted", dots * stride, stride, dotted, sizeof dotted);
	big = raw_session(d.sock, dotted);
	other = pft_raw_connect(d.sock);
	assert_true(other >= 0);
	raw_send(big, PF_READAHEAD, 1, 1, PF_KIND_FADVISE);
	raw_send(other, PF_HELLO, 0, 0, 0);
	assert_int_equal(pft_raw_reply(other, NULL, NULL), 0);
	assert_int_equal(kill(d.pid, SIGSTOP), 0);
	assert_false(pft_readable(big, 0));
	assert_int_equal(kill(d.pid, SIGCONT), 0);
	assert_int_equal(pft_raw_reply(big, NULL, &done), 0);
	/* Only the data was advised: a block per byte written. */
	assert_true(done >= dots);
	assert_true(done < dots * stride);
	close(other);
	close(big);
	unlink(empty);
	unlink(dotted);
	pft_stop(&d);
}

/* --max-readahead clips a request, and the reply says how much was done. */
static void test_advice_maximum(void **state)
{
	const char *const args[] = { "--max-readahead", "1M", NULL };
	struct pft_daemon d;
	char path[600];
	uint64_t done = 0;
	int fd;

	(void)state;
	pft_need_disk();
	assert_int_equal(pft_make_file(pft_dir, "max", 4 * MiB, path, sizeof path), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	fd = raw_session(d.sock, path);
	raw_send(fd, PF_READAHEAD, 1, 1, PF_KIND_FADVISE);
	assert_int_equal(pft_raw_reply(fd, NULL, &done), 0);
	assert_int_equal(done, MiB);
	close(fd);
	unlink(path);
	pft_stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_quota_per_uid),
		TU_TEST(test_pending_fds_per_uid),
		TU_TEST(test_pending_frame_in_parts),
		TU_TEST(test_hello_deadline),
		TU_TEST(test_advice_clipped_and_interleaved),
		TU_TEST(test_advice_maximum),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

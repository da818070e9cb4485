/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_warm.c: WARM_FDS, many descriptors registered and advised
 * in one request, against a real prefetchd and real files: full residency
 * (mincore, vmtouch as referee) over several frames; an error per file
 * with the others still warmed; malformed frames answered clearly with
 * nothing leaked in the daemon; a batch that does not hold up another
 * client; and prefetchctl warm through a relay that hides the command, as
 * an older daemon would, falling back to two requests a file.
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
#include <time.h>
#include <unistd.h>

#include "givefd.h"
#include "prefetch_sys.h"
#include "protocol.h"
#include "testutil.h"
#include "pftest.h"

#define SMALL 16384

/* Makes n evicted files of SMALL bytes named prefix0 ... in pft_dir;
 * paths[i] gets each path. */
static void cold_files(const char *prefix, size_t n, char (*paths)[600])
{
	size_t i;

	for (i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof name, "%s%zu", prefix, i);
		assert_int_equal(pft_make_file(pft_dir, name, SMALL, paths[i],
		                               sizeof paths[i]), 0);
		assert_int_equal(pft_evict(paths[i]), 0);
	}
}

static void remove_files(size_t n, char (*paths)[600])
{
	size_t i;

	for (i = 0; i < n; i++)
		unlink(paths[i]);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls the daemon until the n files of sid are wholly
 * resident (asking again for those whose pages stop coming, as
 * prefetchctl does) or 30 s pass: the files still missing pages. */
static size_t wait_all_resident(prefetch_t *p, uint32_t sid, size_t n)
{
	struct prefetch_residency *res = calloc(n + 1, sizeof *res);
	double deadline = now_s() + 30, moved = now_s();
	uint64_t before = 0;
	size_t missing = n;

	assert_non_null(res);
	while (missing > 0 && now_s() < deadline) {
		uint64_t have = 0;
		size_t got, i;

		assert_int_equal(prefetch_residency(p, sid, res, n + 1, &got), 0);
		assert_int_equal(got, n);
		missing = 0;
		for (i = 0; i < got; i++) {
			have += res[i].resident;
			if (res[i].resident < res[i].pages)
				missing++;
		}
		if (have != before) {
			before = have;
			moved = now_s();
		} else if (now_s() - moved > 0.5) {
			for (i = 0; i < got; i++)
				if (res[i].resident < res[i].pages)
					prefetch_readahead(p, sid, res[i].fid,
					                   PREFETCH_FADVISE, 0, 0, NULL);
			moved = now_s();
		}
		if (missing > 0)
			usleep(5000);
	}
	free(res);
	return missing;
}

/* Asserts that path is wholly resident, measured here (mincore) and, on
 * a sample, by vmtouch as referee. */
static void assert_resident(const char *path, int referee)
{
	uint64_t pages = 0;
	int64_t here = pft_resident(path, &pages), vm;

	assert_int_equal(here, (int64_t)pages);
	if (referee && (vm = pft_vmtouch_resident(path)) >= 0)
		assert_int_equal(vm, (int64_t)pages);
}

/* Waits until the daemon holds count descriptors (a closed connection is
 * noticed on its next turn): the last count seen. */
static int settle_fds(pid_t pid, int count)
{
	int n = -1, i;

	for (i = 0; i < 400 && (n = pft_count_fds(pid)) != count; i++)
		usleep(5000);
	return n;
}

/* Starts a daemon with args and connects to it: the connection, with
 * session 1 made; *baseline gets the daemon's descriptors before it. */
static prefetch_t *start_with_session(struct pft_daemon *d,
                                      const char *const *args, int *baseline)
{
	prefetch_t *p;

	assert_int_equal(pft_start(d, pft_dir, args), 0);
	p = prefetch_connect(d->sock);
	assert_non_null(p);
	*baseline = pft_count_fds(d->pid);
	assert_int_equal(prefetch_session_create(p, 1, "warm", 0), 0);
	return p;
}

/* Many files in one call: split into frames of at most PF_WARM_MAX_FILES,
 * each file registered as its fid, named, and wholly resident after. */
static void test_warm_many_frames(void **state)
{
	enum { N = 150 };
	static char paths[N][600];
	struct prefetch_warm_file files[N];
	struct prefetch_stats st;
	struct pft_daemon d;
	prefetch_t *p;
	int baseline;
	size_t i;

	(void)state;
	pft_need_disk();
	cold_files("many", N, paths);
	p = start_with_session(&d, NULL, &baseline);
	for (i = 0; i < N; i++) {
		files[i].fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		assert_true(files[i].fd >= 0);
		files[i].name = paths[i];
		files[i].off = 0;
		files[i].len = 0;
		files[i].error = -1;
		files[i].done = 0;
	}
	assert_int_equal(prefetch_warm_fds(p, 1, 10, PREFETCH_FADVISE, files, N), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(files[i].error, 0);
		assert_int_equal(files[i].done, SMALL);
		close(files[i].fd);
	}
	assert_int_equal(prefetch_dump(p, 1, NULL, NULL, NULL, &st), 0);
	assert_int_equal(st.files, N);
	assert_int_equal(wait_all_resident(p, 1, N), 0);
	/* vmtouch on a sample: it is a process a file. */
	for (i = 0; i < N; i++)
		assert_resident(paths[i], i % 25 == 0);
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
	assert_int_equal(pft_count_fds(d.pid), baseline);
	prefetch_close(p);
	pft_stop(&d);
	remove_files(N, paths);
}

/* A file on a memory file system, where advice is ignored (as the
 * daemon tells one): -1 when there is none. */
static int memfs_file(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/dev/shm/pfwarm.%ld", (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if (write(fd, "data", 4) != 4 || !pf_sys_memfs(fd)) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* Each file gets its own answer: a pipe, a fid taken, a memory file
 * system and a range do not stop the others from being warmed. */
static void test_warm_errors_per_file(void **state)
{
	static char paths[4][600];
	char shm[128];
	struct prefetch_warm_file files[7];
	struct prefetch_stats st;
	struct pft_daemon d;
	prefetch_t *p;
	int pfd[2], baseline, shmfd;
	size_t i;

	(void)state;
	pft_need_disk();
	cold_files("each", 4, paths);
	assert_int_equal(pipe(pfd), 0);
	shmfd = memfs_file(shm, sizeof shm);
	p = start_with_session(&d, NULL, &baseline);
	memset(files, 0, sizeof files);
	for (i = 0; i < 7; i++)
		files[i].error = -1;
	files[0].fd = open(paths[0], O_RDONLY | O_CLOEXEC);
	files[1].fd = pfd[0];                               /* not a file */
	files[2].fd = open(paths[1], O_RDONLY | O_CLOEXEC);
	files[3].fd = shmfd >= 0 ? shmfd : open(paths[1], O_RDONLY | O_CLOEXEC);
	files[4].fd = open(paths[2], O_RDONLY | O_CLOEXEC); /* its fid taken */
	files[5].fd = open(paths[3], O_RDONLY | O_CLOEXEC);
	files[5].off = 4096;                                /* one page */
	files[5].len = 4096;
	files[6].fd = open(paths[2], O_RDONLY | O_CLOEXEC);
	for (i = 0; i < 7; i++)
		assert_true(files[i].fd >= 0);
	assert_int_equal(prefetch_register_fd(p, 1, 104, files[4].fd), 0);
	assert_int_equal(prefetch_warm_fds(p, 1, 100, PREFETCH_READAHEAD, files, 7), 0);
	assert_int_equal(files[0].error, 0);
	assert_int_equal(files[0].done, SMALL);
	assert_int_equal(files[1].error, EINVAL);
	assert_int_equal(files[2].error, 0);
	if (shmfd >= 0)
		assert_int_equal(files[3].error, EOPNOTSUPP);
	assert_int_equal(files[4].error, EEXIST);
	assert_int_equal(files[5].error, 0);
	assert_int_equal(files[5].done, 4096);
	assert_int_equal(files[6].error, 0);
	/* The pre-registered file and the four warmed: the failed ones are
	 * not registered. */
	assert_int_equal(prefetch_dump(p, 1, NULL, NULL, NULL, &st), 0);
	assert_int_equal(st.files, shmfd >= 0 ? 5 : 6);
	for (i = 0; i < 3; i++) {
		static const uint32_t fid[3] = { 100, 102, 106 };
		struct prefetch_residency r;

		pft_wait_resident(p, 1, fid[i], PREFETCH_READAHEAD, 20, &r);
		assert_int_equal(r.resident, r.pages);
		assert_resident(paths[i], 1);
	}
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
	assert_int_equal(pft_count_fds(d.pid), baseline);
	for (i = 0; i < 7; i++)
		close(files[i].fd);
	close(pfd[1]);
	if (shmfd >= 0)
		unlink(shm);
	prefetch_close(p);
	pft_stop(&d);
	remove_files(4, paths);
}

/* Over the uid's quota of files: the first files are taken, the rest get
 * EDQUOT and are closed. */
static void test_warm_quota(void **state)
{
	const char *const args[] = { "--max-files-per-user", "3", NULL };
	static char paths[5][600];
	struct prefetch_warm_file files[5];
	struct pft_daemon d;
	prefetch_t *p;
	int baseline;
	size_t i;

	(void)state;
	pft_need_disk();
	cold_files("quota", 5, paths);
	p = start_with_session(&d, args, &baseline);
	memset(files, 0, sizeof files);
	for (i = 0; i < 5; i++) {
		files[i].fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		assert_true(files[i].fd >= 0);
	}
	assert_int_equal(prefetch_warm_fds(p, 1, 0, PREFETCH_FADVISE, files, 5), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(files[i].error, i < 3 ? 0 : EDQUOT);
	assert_int_equal(pft_count_fds(d.pid), baseline + 3);
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
	assert_int_equal(pft_count_fds(d.pid), baseline);
	for (i = 0; i < 5; i++)
		close(files[i].fd);
	prefetch_close(p);
	pft_stop(&d);
	remove_files(5, paths);
}

/* Sends a request made by pf_request_encode (no descriptor). */
static void raw_request(int fd, uint16_t cmd, uint32_t sid)
{
	uint8_t buf[256];
	struct pf_request req;
	long n;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = cmd;
	req.vmin = req.vmax = PF_VERSION;
	req.sid = sid;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(write(fd, buf, (size_t)n), n);
}

/* A raw connection with session 1 made. */
static int raw_session(const char *sock)
{
	int fd = pft_raw_connect(sock);

	assert_true(fd >= 0);
	raw_request(fd, PF_HELLO, 0);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	raw_request(fd, PF_CREATE, 1);
	assert_int_equal(pft_raw_reply(fd, NULL, NULL), 0);
	return fd;
}

/* Sends a WARM_FDS frame as a client might get it wrong: declaring
 * declared descriptors, carrying the nfds in fds, with entries entries
 * (empty names, the whole file) and cut bytes cut off its end. */
static void raw_warm(int conn, uint32_t sid, uint32_t fid, unsigned kind,
                     unsigned declared, const int *fds, size_t nfds,
                     size_t entries, size_t cut)
{
	static uint8_t buf[PF_MAX_FRAME];
	struct pf_writer w;
	size_t i;
	long n;

	pf_writer_init(&w, buf, sizeof buf);
	pf_frame_begin(&w, PF_WARM_FDS, (uint8_t)declared, 77);
	pf_put_u32(&w, sid);
	pf_put_u32(&w, fid);
	pf_put_u8(&w, (uint8_t)kind);
	for (i = 0; i < entries; i++)
		pf_put_warm_file(&w, "", 0, 0, 0);
	w.len -= cut;
	n = pf_frame_end(&w);
	assert_true(n > 0);
	assert_int_equal(givefd_send(conn, fds, nfds, buf, (size_t)n), n);
}

/* n descriptors of path, in fds. */
static void open_n(const char *path, int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fds[i] >= 0);
	}
}

static void close_n(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Malformed frames get a clear status, the connection stays usable where
 * the framing is intact, and no descriptor stays behind in the daemon. */
static void test_warm_malformed(void **state)
{
	static char paths[1][600];
	int fds[PF_WARM_MAX_FILES + 1];
	struct pft_daemon d;
	uint64_t body = 0;
	int baseline, c;

	(void)state;
	pft_need_disk();
	cold_files("bad", 1, paths);
	open_n(paths[0], fds, PF_WARM_MAX_FILES + 1);
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	c = raw_session(d.sock);
	/* The daemon's own, and this connection's. */
	baseline = pft_count_fds(d.pid);

	/* Two descriptors, one entry; one descriptor, two entries. */
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 2, fds, 2, 1, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 1, fds, 1, 2, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	/* An entry cut short. */
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 1, fds, 1, 1, 3);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EBADMSG);
	/* No file at all, with or without an entry. */
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 0, NULL, 0, 0, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 0, NULL, 0, 1, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	/* One file more than a frame may carry. */
	raw_warm(c, 1, 0, PF_KIND_FADVISE, PF_WARM_MAX_FILES + 1, fds,
	         PF_WARM_MAX_FILES + 1, PF_WARM_MAX_FILES + 1, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	/* Fids that would wrap, an unknown kind. */
	raw_warm(c, 1, UINT32_MAX, PF_KIND_FADVISE, 2, fds, 2, 2, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EBADMSG);
	raw_warm(c, 1, 0, PF_KIND_LAST + 1, 1, fds, 1, 1, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EBADMSG);
	/* Well formed, but no such session, or a kind that holds memory. */
	raw_warm(c, 9, 0, PF_KIND_FADVISE, 3, fds, 3, 3, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), ENOENT);
	raw_warm(c, 1, 0, PF_KIND_MLOCK, 3, fds, 3, 3, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EINVAL);
	assert_int_equal(pft_count_fds(d.pid), baseline);

	/* Still in step: a good one works, two files in, then a fid taken. */
	raw_warm(c, 1, 0, PF_KIND_FADVISE, 2, fds, 2, 2, 0);
	assert_int_equal(pft_raw_reply(c, NULL, &body), 0);
	assert_int_equal(body, (uint64_t)2 << 32); /* n 2, the first file 0 */
	raw_warm(c, 1, 1, PF_KIND_FADVISE, 1, fds, 1, 1, 0);
	assert_int_equal(pft_raw_reply(c, NULL, &body), 0);
	assert_int_equal(body, ((uint64_t)1 << 32) | EEXIST);
	assert_int_equal(pft_count_fds(d.pid), baseline + 2);

	/* Declaring more descriptors than came: framing is lost, the
	 * connection closed after its reply, what came with it closed. */
	raw_warm(c, 1, 5, PF_KIND_FADVISE, 3, fds, 2, 3, 0);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), EPROTO);
	assert_int_equal(pft_raw_reply(c, NULL, NULL), -1);
	close(c);
	assert_int_equal(settle_fds(d.pid, baseline - 1), baseline - 1);

	/* The daemon is still there for others. */
	c = raw_session(d.sock);
	close(c);
	assert_int_equal(settle_fds(d.pid, baseline - 1), baseline - 1);
	close_n(fds, PF_WARM_MAX_FILES + 1);
	pft_stop(&d);
	remove_files(1, paths);
}

/* A batch of files with much to advise is taken a step a turn: another
 * client's HELLO, sent once the batch is in, is answered while the batch
 * is still under way. */
static void test_warm_fair(void **state)
{
	const uint64_t dots = 16384, stride = 64 * 1024;
	char dotted[600];
	int fds[8], big, other;
	struct pft_daemon d;
	uint64_t body = 0;

	(void)state;
	pft_need_disk();
	pft_sparse_file("dotted", dots * stride, stride, dotted, sizeof dotted);
	open_n(dotted, fds, 8);
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	big = raw_session(d.sock);
	other = pft_raw_connect(d.sock);
	assert_true(other >= 0);
	raw_warm(big, 1, 0, PF_KIND_FADVISE, 8, fds, 8, 8, 0);
	raw_request(other, PF_HELLO, 0);
	assert_int_equal(pft_raw_reply(other, NULL, NULL), 0);
	assert_int_equal(kill(d.pid, SIGSTOP), 0);
	assert_false(pft_readable(big, 0));
	assert_int_equal(kill(d.pid, SIGCONT), 0);
	assert_int_equal(pft_raw_reply(big, NULL, &body), 0);
	assert_int_equal(body, (uint64_t)8 << 32);
	close(other);
	close(big);
	close_n(fds, 8);
	unlink(dotted);
	pft_stop(&d);
}

/* The relay between prefetchctl and the daemon: it passes frames whole,
 * with their descriptors, notes the commands it sees, and (hide) clears
 * WARM_FDS from HELLO's bitmap, as a daemon older than it would answer. */
struct relay_side {
	uint8_t buf[PF_MAX_FRAME];
	size_t len;
	int fds[256];
	size_t nfds;
};

struct relay {
	int listener;
	const char *daemon;
	int hide;
	struct relay_side up, down;
	uint32_t seen;
};

/* Reads from from and passes the whole frames on to to: 0, or -1 when
 * from is done or something failed. */
static int relay_some(struct relay *rl, struct relay_side *s, int from, int to)
{
	size_t room = sizeof s->fds / sizeof s->fds[0] - s->nfds;
	struct pf_header hdr;
	ssize_t n = givefd_recv(from, s->fds + s->nfds, &room, s->buf + s->len,
	                        sizeof s->buf - s->len);

	if (n == -1 || (n == 0 && room == 0))
		return -1;
	s->len += (size_t)n;
	s->nfds += room;
	while (pf_frame_peek(s->buf, s->len, PF_MAX_FRAME, &hdr) == 1) {
		size_t sent = 0, i;

		if (hdr.nfds > s->nfds)
			return -1;
		if (hdr.cmd == (PF_HELLO | PF_REPLY) && rl->hide && hdr.len >= 26)
			s->buf[24] &= (uint8_t)~(1u << (PF_WARM_FDS - 8));
		else if (!(hdr.cmd & PF_REPLY) && hdr.cmd < 32)
			rl->seen |= 1u << hdr.cmd;
		while (sent < hdr.len) {
			ssize_t k = givefd_send(to, s->fds, sent == 0 ? hdr.nfds : 0,
			                        s->buf + sent, hdr.len - sent);

			if (k <= 0)
				return -1;
			sent += (size_t)k;
		}
		for (i = 0; i < hdr.nfds; i++)
			close(s->fds[i]);
		memmove(s->fds, s->fds + hdr.nfds,
		        (s->nfds - hdr.nfds) * sizeof s->fds[0]);
		s->nfds -= hdr.nfds;
		memmove(s->buf, s->buf + hdr.len, s->len - hdr.len);
		s->len -= hdr.len;
	}
	return 0;
}

/* The relay's process: serves one client, then writes what it saw. */
static int relay_run(int chan, void *arg)
{
	struct relay *rl = arg;
	struct pollfd pfd[2];
	int client = accept(rl->listener, NULL, NULL), daemon;

	TU_CHECK(client >= 0);
	daemon = pft_raw_connect(rl->daemon);
	TU_CHECK(daemon >= 0);
	pfd[0].fd = client;
	pfd[1].fd = daemon;
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		TU_CHECK(poll(pfd, 2, 60000) > 0);
		if (pfd[0].revents != 0 &&
		    relay_some(rl, &rl->up, client, daemon) == -1)
			break;
		if (pfd[1].revents != 0 &&
		    relay_some(rl, &rl->down, daemon, client) == -1)
			break;
	}
	close(client);
	close(daemon);
	TU_CHECK(write(chan, &rl->seen, sizeof rl->seen) == sizeof rl->seen);
	return 0;
}

/* prefetchctl warm through the relay: the commands it sent. */
static uint32_t warm_through_relay(const struct pft_daemon *d, int hide,
                                   const char *files)
{
	static struct relay rl;
	struct sockaddr_un sun;
	char sock[600];
	uint32_t seen = 0;
	int chan;
	pid_t pid;

	memset(&rl, 0, sizeof rl);
	snprintf(sock, sizeof sock, "%s/relay.sock", pft_dir);
	unlink(sock);
	rl.listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(rl.listener >= 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock);
	assert_int_equal(bind(rl.listener, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(rl.listener, 1), 0);
	rl.daemon = d->sock;
	rl.hide = hide;
	pid = tu_fork_peer(SOCK_STREAM, &chan, relay_run, &rl);
	close(rl.listener);
	assert_int_equal(pft_ctl(sock, NULL, 0, "warm %s", files), 0);
	assert_int_equal(read(chan, &seen, sizeof seen), (ssize_t)sizeof seen);
	close(chan);
	tu_assert_child_ok(pid);
	unlink(sock);
	return seen;
}

/* prefetchctl warm sends WARM_FDS to a daemon that offers it, and with
 * one that does not, registers and advises a file at a time: both reach
 * full residency. */
static void test_warm_ctl_fallback(void **state)
{
	enum { N = 100 };
	static char paths[N][600], list[N * 610];
	struct pft_daemon d;
	uint32_t seen;
	size_t i, at = 0;
	int round;

	(void)state;
	pft_need_disk();
	cold_files("ctl", N, paths);
	for (i = 0; i < N; i++)
		at += (size_t)snprintf(list + at, sizeof list - at, "'%s' ", paths[i]);
	assert_int_equal(pft_start(&d, pft_dir, NULL), 0);
	for (round = 0; round < 2; round++) {
		int hide = round == 1;

		for (i = 0; i < N; i++)
			assert_int_equal(pft_evict(paths[i]), 0);
		seen = warm_through_relay(&d, hide, list);
		if (hide) {
			assert_false(seen & (1u << PF_WARM_FDS));
			assert_true(seen & (1u << PF_REG_FD_NAMED));
			assert_true(seen & (1u << PF_READAHEAD));
		} else {
			assert_true(seen & (1u << PF_WARM_FDS));
			assert_false(seen & (1u << PF_REG_FD_NAMED));
		}
		for (i = 0; i < N; i++)
			assert_resident(paths[i], i % 50 == 0);
	}
	pft_stop(&d);
	remove_files(N, paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_warm_many_frames),
		TU_TEST(test_warm_errors_per_file),
		TU_TEST(test_warm_quota),
		TU_TEST(test_warm_malformed),
		TU_TEST(test_warm_fair),
		TU_TEST(test_warm_ctl_fallback),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_modes.c: the other ways prefetchd runs and is driven:
 * spawned by a parent over a socketpair (--input-fd/--output-fd), which
 * finds its descriptors as it left them; started by systemd socket
 * activation (LISTEN_FDS), refusing what is not a listening Unix stream
 * socket and stopping when it breaks; and through prefetchctl with its
 * output and exit codes, as a vmtouch user would use it (vmtouch, where
 * installed, referees residency).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "protocol.h"
#include "testutil.h"
#include "pftest.h"

#define MiB (1024 * 1024)

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

static void reap_ok(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Warms a cold file through p and checks it is all in. */
static void warm_through(prefetch_t *p, const char *name)
{
	struct prefetch_residency r;
	char path[600];
	uint64_t pages;
	int64_t res;
	int fd;

	assert_int_equal(pft_make_file(dir, name, 8 * MiB, path, sizeof path), 0);
	assert_int_equal(pft_evict(path), 0);
	assert_int_equal(pft_resident(path, &pages), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_session_create(p, 1, name, 0), 0);
	assert_int_equal(prefetch_register_fd(p, 1, 1, fd), 0);
	close(fd);
	assert_int_equal(prefetch_readahead(p, 1, 1, PREFETCH_READAHEAD, 0, 0, NULL), 0);
	pft_wait_resident(p, 1, 1, PREFETCH_READAHEAD, 20, &r);
	assert_int_equal(r.resident, r.pages);
	res = pft_resident(path, &pages);
	assert_int_equal(res, (int64_t)pages);
	assert_int_equal(prefetch_session_destroy(p, 1), 0);
}

static int nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	assert_true(fl != -1);
	return (fl & O_NONBLOCK) != 0;
}

static void test_pipe_mode_socketpair(void **state)
{
	char num[16], num2[16];
	const char *const args[] = { "--input-fd", num, "--output-fd", num2, NULL };
	int sv[2], keep[3], out, mine;
	prefetch_t *p;
	pid_t pid;

	(void)state;
	need_disk();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	/* Two descriptors for the same socket: in and out are kept apart. */
	out = fcntl(sv[1], F_DUPFD_CLOEXEC, 0);
	assert_true(out >= 0);
	snprintf(num, sizeof num, "%d", sv[1]);
	snprintf(num2, sizeof num2, "%d", out);
	keep[0] = sv[1];
	keep[1] = out;
	keep[2] = -1;
	pid = pft_spawn(args, keep, NULL);
	assert_true(pid > 0);
	/* The parent keeps the description it shares with the daemon, as a
	 * shell does with the descriptors it runs a command on. */
	mine = sv[1];
	close(out);
	/* Holding them, no end of file would tell us the daemon died. */
	alarm(120);
	p = prefetch_attach(sv[0], sv[0]);
	assert_non_null(p);
	warm_through(p, "pipe-mode");
	assert_false(nonblocking(mine));
	/* The parent going away ends the daemon, cleanly. */
	prefetch_close(p);
	reap_ok(pid);
	alarm(0);
	/* And leaves the description as it found it. */
	assert_false(nonblocking(mine));
	close(mine);
}

/* Starts prefetchd as systemd would, with fd3 (or nothing, when -1) as
 * descriptor 3, the arguments args (may be NULL) and, unless 0, at most
 * nofile descriptors; its stderr comes back through *err. */
static pid_t activate(int fd3, const char *const *args, rlim_t nofile, int *err)
{
	int errpipe[2];
	pid_t pid;

	assert_int_equal(pipe2(errpipe, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char pidenv[64];
		const char *argv[8] = { pft_prefetchd(), NULL };
		struct rlimit rl;
		size_t n = 1;

		while (args != NULL && *args != NULL && n < 7)
			argv[n++] = *args++;
		argv[n] = NULL;
		rl.rlim_cur = rl.rlim_max = nofile;
		if (dup2(errpipe[1], 2) != 2 ||
		    (nofile != 0 && setrlimit(RLIMIT_NOFILE, &rl) == -1))
			_exit(126);
		if (fd3 == -1)
			close(3);
		else if (fd3 == 3 ? fcntl(3, F_SETFD, 0) == -1 : dup2(fd3, 3) != 3)
			_exit(126);
		snprintf(pidenv, sizeof pidenv, "%ld", (long)getpid());
		setenv("LISTEN_PID", pidenv, 1);
		setenv("LISTEN_FDS", "1", 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(errpipe[1]);
	*err = errpipe[0];
	pft_track(pid);
	return pid;
}

/* Waits for the daemon to end, reading its stderr into out: its exit
 * status. A daemon still running after a long while is killed and the
 * test fails (it would have spun for ever). */
static int activated_end(pid_t pid, int err, char *out, size_t len)
{
	struct pollfd pfd;
	size_t have = 0;
	int status;

	pfd.fd = err;
	pfd.events = POLLIN;
	for (;;) {
		ssize_t n;

		if (poll(&pfd, 1, 30000) != 1) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			pft_untrack(pid);
			close(err);
			fail_msg("prefetchd neither refused nor ended");
		}
		n = read(err, out + have, len - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have == len - 1)
			break;
	}
	out[have] = '\0';
	close(err);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	pft_untrack(pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A Unix stream socket bound at dir/name (its path in sun), listening if
 * asked to. */
static int unix_socket(const char *name, struct sockaddr_un *sun, int listening)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof sun->sun_path, "%s/%s", dir, name);
	assert_int_equal(bind(fd, (struct sockaddr *)sun, sizeof *sun), 0);
	if (listening)
		assert_int_equal(listen(fd, 8), 0);
	return fd;
}

static void test_socket_activation(void **state)
{
	struct sockaddr_un sun;
	char out[4096];
	prefetch_t *p;
	int lfd, err;
	pid_t pid;

	(void)state;
	need_disk();
	lfd = unix_socket("activated", &sun, 1);
	pid = activate(lfd, NULL, 0, &err);
	close(lfd);
	p = prefetch_connect(sun.sun_path);
	assert_non_null(p);
	warm_through(p, "activated-file");
	assert_int_equal(prefetch_exit(p), 0);
	prefetch_close(p);
	assert_int_equal(activated_end(pid, err, out, sizeof out), 0);
	unlink(sun.sun_path);
}

static void test_activation_refused(void **state)
{
	struct sockaddr_un sun;
	char path[600], out[4096];
	int fd, err;
	pid_t pid;

	(void)state;
	need_disk();
	/* A regular file. */
	snprintf(path, sizeof path, "%s/not-a-socket", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	pid = activate(fd, NULL, 0, &err);
	close(fd);
	assert_int_equal(activated_end(pid, err, out, sizeof out), 1);
	assert_non_null(strstr(out, "not a socket"));
	unlink(path);
	/* Nothing at all. */
	pid = activate(-1, NULL, 0, &err);
	assert_int_equal(activated_end(pid, err, out, sizeof out), 1);
	assert_non_null(strstr(out, "not open"));
	/* A Unix stream socket that does not listen. */
	fd = unix_socket("unheard", &sun, 0);
	pid = activate(fd, NULL, 0, &err);
	close(fd);
	assert_int_equal(activated_end(pid, err, out, sizeof out), 1);
	assert_non_null(strstr(out, "not listening"));
	unlink(sun.sun_path);
}

/* The socket it was given stops working: the daemon says so and ends,
 * rather than be woken for ever by a listener that accepts nothing. */
static void test_activation_socket_dies(void **state)
{
	struct sockaddr_un sun;
	char out[4096];
	prefetch_t *p;
	int lfd, err;
	pid_t pid;

	(void)state;
	need_disk();
	lfd = unix_socket("dies", &sun, 1);
	pid = activate(lfd, NULL, 0, &err);
	p = prefetch_connect(sun.sun_path);
	assert_non_null(p);
	prefetch_close(p);
	/* The description is shared: shutting it down here kills it there. */
	assert_int_equal(shutdown(lfd, SHUT_RDWR), 0);
	assert_int_equal(activated_end(pid, err, out, sizeof out), 1);
	assert_non_null(strstr(out, "listening socket failed"));
	close(lfd);
	unlink(sun.sun_path);
}

/* Reads what the daemon writes on err into out (appending, at most len
 * bytes in all) until it contains want: 1, or 0 after a long silence. */
static int wait_for_text(int err, char *out, size_t len, const char *want)
{
	size_t have = strlen(out);

	while (strstr(out, want) == NULL) {
		struct pollfd pfd;
		ssize_t n;

		pfd.fd = err;
		pfd.events = POLLIN;
		if (have + 1 >= len || poll(&pfd, 1, 30000) != 1)
			return 0;
		n = read(err, out + have, len - 1 - have);
		if (n <= 0)
			return 0;
		have += (size_t)n;
		out[have] = '\0';
	}
	return 1;
}

static unsigned count_text(const char *text, const char *what)
{
	unsigned n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text += strlen(what);
	}
	return n;
}

static void send_request(int fd, uint16_t cmd)
{
	uint8_t buf[64];
	struct pf_request req;
	long n;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = cmd;
	req.vmin = req.vmax = PF_VERSION;
	n = pf_request_encode(&req, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(write(fd, buf, (size_t)n), n);
}

/* Out of descriptors, the daemon stops accepting for a while instead of
 * being woken at once for the connection still waiting, then takes it in
 * once descriptors are free again. */
static void test_accept_backs_off(void **state)
{
	static const char *const args[] = { "--max-conns-per-user", "100", NULL };
	static char out[1 << 16];
	struct sockaddr_un sun;
	int lfd, err, fds[12], i;
	prefetch_t *p;
	pid_t pid;

	(void)state;
	need_disk();
	lfd = unix_socket("crowded", &sun, 1);
	/* Some 8 descriptors of its own, 8 for connections: 12 are too many. */
	pid = activate(lfd, args, 16, &err);
	close(lfd);
	out[0] = '\0';
	for (i = 0; i < 12; i++) {
		fds[i] = pft_raw_connect(sun.sun_path);
		assert_true(fds[i] >= 0);
		send_request(fds[i], PF_HELLO);
	}
	assert_true(wait_for_text(err, out, sizeof out, "cannot accept"));
	/* Meanwhile a client is served, 300 requests one after the other. A
	 * loop woken for ever by the waiting connection would try to accept
	 * it (and say so) at least once per request; resting, it tries about
	 * once a second. */
	assert_int_equal(pft_raw_reply(fds[0], NULL, NULL), 0);
	for (i = 0; i < 300; i++) {
		send_request(fds[0], PF_DUMP);
		assert_int_equal(pft_raw_reply(fds[0], NULL, NULL), 0);
	}
	/* The first accepted make room for the last. */
	for (i = 0; i < 6; i++)
		close(fds[i]);
	for (i = 6; i < 12; i++) {
		assert_int_equal(pft_raw_reply(fds[i], NULL, NULL), 0);
		close(fds[i]);
	}
	p = prefetch_connect(sun.sun_path);
	assert_non_null(p);
	assert_int_equal(prefetch_exit(p), 0);
	prefetch_close(p);
	assert_int_equal(activated_end(pid, err, out + strlen(out),
	                               sizeof out - strlen(out)), 0);
	assert_true(count_text(out, "cannot accept") < 100);
	unlink(sun.sun_path);
}

static void test_prefetchctl(void **state)
{
	const char *const args[] = { "--max-locked", "10M", NULL };
	struct pft_daemon d;
	char a[600], b[600], out[8192], nosock[700];
	uint64_t pages;
	int64_t res;

	(void)state;
	need_disk();
	assert_int_equal(pft_start(&d, dir, args), 0);
	assert_int_equal(pft_make_file(dir, "ctl-a", 8 * MiB, a, sizeof a), 0);
	assert_int_equal(pft_make_file(dir, "ctl-b", 3 * MiB + 5, b, sizeof b), 0);

	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s' '%s'", a, b), 0);
	assert_int_equal(pft_resident(a, &pages), 0);
	assert_int_equal(pft_resident(b, &pages), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status '%s' '%s'", a, b), 0);
	assert_non_null(strstr(out, "0.0%"));
	assert_null(strstr(out, "100.0%"));

	/* warm waits until every page is in. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm '%s' '%s'", a, b), 0);
	res = pft_resident(a, &pages);
	assert_int_equal(res, (int64_t)pages);
	res = pft_resident(b, &pages);
	assert_int_equal(res, (int64_t)pages);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status '%s' '%s'", a, b), 0);
	assert_non_null(strstr(out, "100.0%  total"));

	/* A progress bar for many files, on a terminal only. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "warm %s %s %s %s %s %s %s %s 2>&1",
	                         a, b, a, b, a, b, a, b), 0);
	assert_null(strstr(out, "warming ["));
	if (system("script -qec true /dev/null >/dev/null 2>&1") == 0) {
		assert_int_equal(pft_run(out, sizeof out, "script -qec \"%s --socket "
		                         "'%s' warm %s %s %s %s %s %s %s %s\" /dev/null",
		                         pft_prefetchctl(), d.sock, a, b, a, b, a, b,
		                         a, b), 0);
		assert_non_null(strstr(out, "warming ["));
		assert_non_null(strstr(out, "100.0%"));
	}

	/* lock holds after the command returns; unlock lets go. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "lock '%s'", b), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump --json"), 0);
	assert_non_null(strstr(out, "\"persistent\": true"));
	assert_non_null(strstr(out, "\"locked\": 3149824")); /* 769 pages */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s'", b), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump"), 0);
	assert_non_null(strstr(out, "0 sessions, 0 files, 0 of 10485760 bytes locked"));
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s' 2>/dev/null", b), 1);
	/* Over the budget: a clear failure, nothing held. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "lock '%s' '%s'", a, a), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "lock '%s' 2>&1", b), 1);
	assert_non_null(strstr(out, "lock budget exceeded"));
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s'", a), 0);

	/* Exit codes: missing file 1, usage 2, no daemon 3. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm /nonexistent 2>/dev/null"), 1);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "warm --kind bogus '%s' 2>/dev/null", a), 2);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "frobnicate 2>/dev/null"), 2);
	snprintf(nosock, sizeof nosock, "%s/none", dir);
	assert_int_equal(pft_ctl(nosock, NULL, 0, "warm '%s' 2>/dev/null", a), 3);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "--version"), 0);
	assert_non_null(strstr(out, PACKAGE_VERSION));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "--help"), 0);
	assert_non_null(strstr(out, "warm"));
	pft_stop(&d);
}

/* Both referees agree that path has want resident pages. */
static void assert_resident(const char *path, int64_t want)
{
	uint64_t pages;
	int64_t vm = pft_vmtouch_resident(path);

	assert_int_equal(pft_resident(path, &pages), want);
	if (vm != -1)
		assert_int_equal(vm, want);
}

/* evict cannot drop locked or mapped pages: it says so and exits 4. */
static void test_ctl_evict_locked(void **state)
{
	const char *const args[] = { "--max-locked", "10M", NULL };
	struct pft_daemon d;
	char a[600], out[8192];
	uint64_t pages;
	void *map;
	int fd;

	(void)state;
	need_disk();
	assert_int_equal(pft_start(&d, dir, args), 0);
	assert_int_equal(pft_make_file(dir, "ev-a", 2 * MiB, a, sizeof a), 0);
	assert_int_equal(pft_evict(a), 0);
	assert_resident(a, 0);
	pages = 2 * MiB / (uint64_t)sysconf(_SC_PAGESIZE);

	/* Locked by the daemon (mlock, then mmap): the pages stay. */
	if (!pft_mlock_inert()) {
		const char *kinds[] = { "mlock", "mmap" };
		size_t k;

		for (k = 0; k < 2; k++) {
			assert_int_equal(pft_ctl(d.sock, NULL, 0, "lock --kind %s '%s'",
			                         kinds[k], a), 0);
			assert_resident(a, (int64_t)pages);
			assert_int_equal(pft_ctl(d.sock, out, sizeof out, "evict '%s' 2>&1",
			                         a), 4);
			assert_non_null(strstr(out, "pages stayed resident"));
			assert_non_null(strstr(out, a));
			assert_resident(a, (int64_t)pages);
			assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s'", a), 0);
			assert_int_equal(pft_ctl(d.sock, out, sizeof out, "evict '%s' 2>&1",
			                         a), 0);
			assert_string_equal(out, "");
			assert_resident(a, 0);
		}
	}

	/* Mapped (and touched) by a process: the pages stay too. */
	fd = open(a, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	map = mmap(NULL, 2 * MiB, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "evict '%s' 2>&1", a), 4);
	assert_non_null(strstr(out, "pages stayed resident"));
	assert_true(pft_resident(a, &pages) > 0);
	munmap(map, 2 * MiB);
	close(fd);
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", a), 0);
	assert_resident(a, 0);
	/* A missing file still fails with 1. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s' /nonexistent "
	                         "2>/dev/null", a), 1);
	pft_stop(&d);
}

/* A lock that fails for every file leaves no empty persistent session. */
static void test_ctl_lock_failed_leaves_nothing(void **state)
{
	const char *const args[] = { "--max-locked", "4M", NULL };
	struct pft_daemon d;
	char big[600], out[8192];

	(void)state;
	need_disk();
	assert_int_equal(pft_start(&d, dir, args), 0);
	assert_int_equal(pft_make_file(dir, "lk-big", 6 * MiB, big, sizeof big), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "lock '%s' 2>&1", big), 1);
	assert_non_null(strstr(out, "lock budget exceeded"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump"), 0);
	assert_non_null(strstr(out, "0 sessions, 0 files"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump --json"), 0);
	assert_null(strstr(out, "\"persistent\": true"));
	pft_stop(&d);
}

static int note_name(const struct prefetch_file_info *fi, void *arg)
{
	snprintf(arg, 256, "%s", fi->name);
	return 0;
}

/* dump names files handed over by descriptor by the path prefetchctl
 * opened (made absolute), and the library passes a caller's name on. */
static void test_ctl_dump_names(void **state)
{
	struct pft_daemon d;
	char a[600], want[700], out[8192], seen[256], prog[PATH_MAX];
	prefetch_t *p;
	int fd;

	(void)state;
	need_disk();
	assert_int_equal(pft_start(&d, dir, NULL), 0);
	assert_int_equal(pft_make_file(dir, "nm-a", 64 * 1024, a, sizeof a), 0);
	assert_non_null(realpath(pft_prefetchctl(), prog));
	assert_int_equal(pft_run(NULL, 0, "cd '%s' && '%s' --socket '%s' lock "
	                         "--kind mmap nm-a", dir, prog, d.sock), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump"), 0);
	assert_non_null(strstr(out, a));
	assert_null(strstr(out, "(descriptor)"));
	snprintf(want, sizeof want, "\"name\": \"%s\"", a);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "dump --json"), 0);
	assert_non_null(strstr(out, want));
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "unlock '%s'", a), 0);

	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 21, "named", 0), 0);
	fd = open(a, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(prefetch_register_fd_named(p, 21, 1, fd, "my label"), 0);
	assert_int_equal(prefetch_dump(p, 21, NULL, note_name, seen, NULL), 0);
	assert_string_equal(seen, "my label");
	assert_int_equal(prefetch_register_fd_named(p, 21, 2, fd, NULL), 0);
	assert_int_equal(prefetch_unregister(p, 21, 1), 0);
	assert_int_equal(prefetch_dump(p, 21, NULL, note_name, seen, NULL), 0);
	assert_string_equal(seen, "");
	close(fd);
	prefetch_close(p);
	pft_stop(&d);
}

/* status as vmtouch users know it: without a daemon, as JSON, with a page
 * map, sizes a person reads, and no percentage of nothing. */
static void test_ctl_status_local(void **state)
{
	struct pft_daemon d;
	char a[600], nosock[700], out[16384], want[200], map[200];
	const char *at;
	uint64_t pages;
	int64_t res, vm;
	int fd;
	size_t i;

	(void)state;
	need_disk();
	assert_int_equal(pft_make_file(dir, "st-a", 4 * MiB, a, sizeof a), 0);
	assert_int_equal(pft_evict(a), 0);
	/* The second half in, the first out. */
	fd = open(a, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	for (i = 2 * MiB; i < 4 * MiB; i += 65536) {
		char buf[65536];

		assert_int_equal(pread(fd, buf, sizeof buf, (off_t)i), (ssize_t)sizeof buf);
	}
	close(fd);
	res = pft_resident(a, &pages);
	assert_true(res > 0 && res < (int64_t)pages);
	vm = pft_vmtouch_resident(a);
	if (vm != -1)
		assert_int_equal(vm, res);

	/* No daemon: measured here all the same. */
	snprintf(nosock, sizeof nosock, "%s/none", dir);
	assert_int_equal(pft_ctl(nosock, out, sizeof out, "status -v '%s' 2>/dev/null",
	                         a), 0);
	snprintf(want, sizeof want, "%10lld %10llu", (long long)res,
	         (unsigned long long)pages);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "/4.0M"));
	/* The map: 60 characters, the first half empty, the second full. */
	at = strstr(out, "  [");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "  [%199[ oO]]", map), 1);
	assert_int_equal(strlen(map), 60);
	assert_int_equal(map[0], ' ');
	assert_int_equal(map[59], 'O');
	assert_int_equal(pft_ctl(nosock, out, sizeof out, "status '%s' 2>&1", a), 0);
	assert_non_null(strstr(out, "measuring here"));

	/* --local and --json, with a daemon there too. */
	assert_int_equal(pft_start(&d, dir, NULL), 0);
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --local --json -v "
	                         "'%s'", a), 0);
	snprintf(want, sizeof want, "\"resident\": %lld,", (long long)res);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "\"map\": \" "));
	assert_non_null(strstr(out, "\"total\": {\"files\": 1"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --json '%s'", a), 0);
	assert_non_null(strstr(out, want));

	/* No file measured: no 100.0%. */
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status /nonexistent "
	                         "2>/dev/null"), 1);
	assert_null(strstr(out, "100.0%"));
	assert_non_null(strstr(out, "total (0 files)"));
	assert_int_equal(pft_ctl(d.sock, out, sizeof out, "status --bogus '%s' "
	                         "2>/dev/null", a), 2);
	pft_stop(&d);
}

/* Directories stand for the regular files under them (no symbolic link
 * followed out of the tree), and "-" for paths on standard input. */
static void test_ctl_trees_and_lists(void **state)
{
	struct pft_daemon d;
	char tree[600], sub[700], a[800], b[800], out_[600], link[800],
	     fifo[800], buf[16384];
	uint64_t pages;

	(void)state;
	need_disk();
	snprintf(tree, sizeof tree, "%s/tree", dir);
	snprintf(sub, sizeof sub, "%s/sub", tree);
	assert_int_equal(mkdir(tree, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(pft_make_file(tree, "a", 256 * 1024, a, sizeof a), 0);
	assert_int_equal(pft_make_file(sub, "b", 128 * 1024, b, sizeof b), 0);
	assert_int_equal(pft_make_file(dir, "outside", 128 * 1024, out_,
	                               sizeof out_), 0);
	snprintf(link, sizeof link, "%s/link", tree);
	assert_int_equal(symlink(out_, link), 0);
	snprintf(fifo, sizeof fifo, "%s/fifo", sub);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(pft_start(&d, dir, NULL), 0);

	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s' '%s'", tree, out_), 0);
	assert_resident(a, 0);
	assert_resident(b, 0);
	assert_int_equal(pft_ctl(d.sock, buf, sizeof buf, "warm '%s' 2>&1", tree), 0);
	assert_null(strstr(buf, "not a regular file"));
	assert_resident(a, (int64_t)(256 * 1024 / sysconf(_SC_PAGESIZE)));
	assert_resident(b, (int64_t)(128 * 1024 / sysconf(_SC_PAGESIZE)));
	assert_resident(out_, 0); /* the link out of the tree was not followed */
	assert_int_equal(pft_ctl(d.sock, buf, sizeof buf, "status '%s'", tree), 0);
	assert_non_null(strstr(buf, "100.0%  total (2 files)"));

	/* A list on standard input, by lines and NUL-separated. */
	assert_int_equal(pft_ctl(d.sock, NULL, 0, "evict '%s'", tree), 0);
	assert_int_equal(pft_run(NULL, 0, "printf '%%s\\n' '%s' '%s' | %s "
	                         "--socket '%s' warm -", a, out_,
	                         pft_prefetchctl(), d.sock), 0);
	assert_true(pft_resident(a, &pages) == (int64_t)pages);
	assert_true(pft_resident(out_, &pages) == (int64_t)pages);
	assert_resident(b, 0);
	assert_int_equal(pft_run(NULL, 0, "printf '%%s\\0' '%s' '%s' | %s "
	                         "--socket '%s' evict -0 -", a, out_,
	                         pft_prefetchctl(), d.sock), 0);
	assert_resident(a, 0);
	assert_resident(out_, 0);
	/* Named on its own, a fifo is not a regular file (and does not hang). */
	assert_int_equal(pft_ctl(d.sock, buf, sizeof buf, "status '%s' 2>&1", fifo), 1);
	assert_non_null(strstr(buf, "not a regular file"));
	pft_stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_pipe_mode_socketpair),
		TU_TEST(test_socket_activation),
		TU_TEST(test_activation_refused),
		TU_TEST(test_activation_socket_dies),
		TU_TEST(test_accept_backs_off),
		TU_TEST(test_prefetchctl),
		TU_TEST(test_ctl_evict_locked),
		TU_TEST(test_ctl_lock_failed_leaves_nothing),
		TU_TEST(test_ctl_dump_names),
		TU_TEST(test_ctl_status_local),
		TU_TEST(test_ctl_trees_and_lists),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_trust.c: who may do what. The daemon's socket is private
 * (0600, or 0660 for --socket-group) whatever the umask; a client of
 * another uid than the daemon's or root may not have it open paths, sees
 * only its own sessions, and passes descriptors instead (prefetchctl does);
 * the client library hands nothing to a daemon of an untrusted uid.
 * Tests with other users need root, and make temporary ones.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "pftest.h"

#define MiB (1024 * 1024)

static void need_user(struct pft_user *u)
{
	pft_need_disk();
	pft_need_user(u);
}

/* Starts the daemon under umask 0: its socket must still be private. */
static void start_umask0(struct pft_daemon *d, const char *const *args)
{
	mode_t mask = umask(0);
	int rc = pft_start(d, pft_dir, args);

	umask(mask);
	assert_int_equal(rc, 0);
}

static void test_socket_private(void **state)
{
	char gid[32];
	const char *const args[] = { "--socket-group", gid, NULL };
	struct pft_daemon d;
	struct stat st;

	(void)state;
	pft_need_disk();
	start_umask0(&d, NULL);
	assert_int_equal(lstat(d.sock, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	pft_stop(&d);

	snprintf(gid, sizeof gid, "%ld", (long)getegid());
	start_umask0(&d, args);
	assert_int_equal(lstat(d.sock, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(st.st_gid, getegid());
	pft_stop(&d);
}

struct other {
	const char *sock, *secret, *public;
	const struct pft_user *user;
};

static int count_sessions(const struct prefetch_session_info *si, void *arg)
{
	int *n = arg;

	(void)si;
	(*n)++;
	return 0;
}

static int see_file(const struct prefetch_file_info *fi, void *arg)
{
	int *n = arg;

	(void)fi;
	(*n) += 100;
	return 0;
}

/* As another user: no path is opened for it, whether or not it exists or
 * it could read it; descriptors work; root's sessions are out of sight. */
static int other_user(int chan, void *arg)
{
	const struct other *o = arg;
	prefetch_t *p;
	uint64_t done = 0;
	int fd, seen = 0;

	(void)chan;
	TU_CHECK(pft_become(o->user) == 0);
	p = prefetch_connect(o->sock);
	TU_CHECK(p != NULL);
	/* Its own sid 1, although root has a session 1. */
	TU_CHECK(prefetch_session_create(p, 1, "mine", 0) == 0);
	errno = 0;
	TU_CHECK(prefetch_register_path(p, 1, 1, o->secret) == -1 && errno == EPERM);
	errno = 0;
	TU_CHECK(prefetch_register_path(p, 1, 1, "/etc/shadow") == -1 &&
	         errno == EPERM);
	errno = 0;
	TU_CHECK(prefetch_register_path(p, 1, 1, "/nonexistent/x") == -1 &&
	         errno == EPERM);
	errno = 0;
	TU_CHECK(prefetch_register_path(p, 1, 1, o->public) == -1 &&
	         errno == EPERM);
	fd = open(o->public, O_RDONLY | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	TU_CHECK(prefetch_register_fd(p, 1, 1, fd) == 0);
	close(fd);
	TU_CHECK(prefetch_readahead(p, 1, 1, PREFETCH_FADVISE, 0, 0, &done) == 0);
	TU_CHECK(done == MiB);
	/* Its lock comes back from the workers to its own session. */
	TU_CHECK(prefetch_readahead(p, 1, 1, PREFETCH_MLOCK, 0, 0, &done) == 0);
	TU_CHECK(done == MiB);
	/* One session and one file seen: its own. */
	TU_CHECK(prefetch_dump(p, PREFETCH_ALL_SESSIONS, count_sessions, see_file,
	                       &seen, NULL) == 0);
	TU_CHECK(seen == 101);
	errno = 0;
	TU_CHECK(prefetch_session_destroy(p, 7) == -1 && errno == ENOENT);
	/* Nor may it stop the daemon for everyone. */
	errno = 0;
	TU_CHECK(prefetch_exit(p) == -1 && errno == EPERM);
	prefetch_close(p);
	return 0;
}

static void test_paths_only_for_own_uid(void **state)
{
	struct pft_user u;
	char gid[32], sub[600], secret[700], public[700], out[4096];
	const char *const args[] = { "--socket-group", gid, NULL };
	struct prefetch_stats st;
	struct pft_daemon d;
	struct other o;
	prefetch_t *p;
	int chan, seen = 0;
	pid_t pid;

	(void)state;
	need_user(&u);
	snprintf(gid, sizeof gid, "%ld", (long)u.gid);
	snprintf(sub, sizeof sub, "%s/root-only", pft_dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(pft_make_file(pft_dir, "root-only/secret", MiB, secret,
	                               sizeof secret), 0);
	assert_int_equal(chmod(secret, 0600), 0);
	assert_int_equal(pft_make_file(pft_dir, "public", MiB, public, sizeof public), 0);
	start_umask0(&d, args);

	/* Root's sessions, by path: allowed, and private to root. */
	p = prefetch_connect(d.sock);
	assert_non_null(p);
	assert_int_equal(prefetch_session_create(p, 1, "root's", 0), 0);
	assert_int_equal(prefetch_session_create(p, 7, "root's too", 0), 0);
	assert_int_equal(prefetch_register_path(p, 1, 1, secret), 0);

	o.sock = d.sock;
	o.secret = secret;
	o.public = public;
	o.user = &u;
	pid = tu_fork_peer(SOCK_STREAM, &chan, other_user, &o);
	tu_assert_child_ok(pid);
	close(chan);
	/* prefetchctl passes descriptors: it works for that user. */
	assert_int_equal(pft_run_as(&u, out, sizeof out, "%s --socket '%s' warm '%s'",
	                            pft_prefetchctl(), d.sock, public), 0);
	assert_int_equal(pft_run_as(&u, out, sizeof out, "%s --socket '%s' status '%s'",
	                            pft_prefetchctl(), d.sock, public), 0);
	assert_non_null(strstr(out, "100.0%  total"));

	/* Root still has both of its sessions, and sees every uid's. */
	assert_int_equal(prefetch_dump(p, PREFETCH_ALL_SESSIONS, count_sessions,
	                               NULL, &seen, &st), 0);
	assert_int_equal(seen, 2);
	prefetch_close(p);
	pft_stop(&d);
	pft_user_del(&u);
}

/* Neither the daemon (nobody) nor the client (u) may write the file, so
 * neither can tell what of it is resident: warm says that it did not wait
 * for it, rather than return as if it were in. */
static void test_warm_unmeasurable(void **state)
{
	char gid[32], file[700], out[4096];
	const char *const args[] = {
		"--user", "nobody", "--socket-group", gid, NULL
	};
	struct pft_daemon d;
	struct pft_user u;

	(void)state;
	need_user(&u);
	snprintf(gid, sizeof gid, "%ld", (long)u.gid);
	assert_int_equal(pft_make_file(pft_dir, "read-only", MiB, file,
	                               sizeof file), 0);
	assert_int_equal(chmod(file, 0644), 0);
	assert_int_equal(pft_start(&d, pft_dir, args), 0);
	assert_int_equal(pft_run_as(&u, out, sizeof out, "%s --socket '%s' warm "
	                            "'%s' 2>&1", pft_prefetchctl(), d.sock, file), 0);
	assert_non_null(strstr(out, "1 file not waited for"));
	assert_int_equal(pft_run_as(&u, out, sizeof out, "%s --socket '%s' status "
	                            "'%s'", pft_prefetchctl(), d.sock, file), 0);
	assert_non_null(strstr(out, "?/1.0M"));
	pft_stop(&d);
	pft_user_del(&u);
	unlink(file);
}

/* A stand-in daemon run by u: accepts n connections, then writes how many
 * bytes each sent into report. */
static pid_t fake_daemon(const struct pft_user *u, const char *path, int n,
                         int report)
{
	int ready[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sockaddr_un sun;
		int lfd, i;

		close(ready[0]);
		alarm(60); /* gone, should the test fail before it is reaped */
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		strcpy(sun.sun_path, path);
		lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (pft_become(u) == -1 || lfd == -1 ||
		    bind(lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
		    chmod(path, 0666) == -1 || listen(lfd, 8) == -1 ||
		    write(ready[1], "r", 1) != 1)
			_exit(1);
		for (i = 0; i < n; i++) {
			char buf[256];
			int fd = accept(lfd, NULL, NULL), total = 0;
			ssize_t k;

			if (fd == -1)
				_exit(1);
			/* Whatever comes until the client hangs up. */
			while ((k = read(fd, buf, sizeof buf)) > 0) {
				total += (int)k;
				break; /* a HELLO: enough said, hang up */
			}
			close(fd);
			if (write(report, &total, sizeof total) != sizeof total)
				_exit(1);
		}
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static void test_client_checks_server(void **state)
{
	struct pft_user u;
	char sub[600], path[700], file[700], out[4096], uid[32];
	int report[2], sent, status;
	uid_t server = (uid_t)-1;
	prefetch_t *p;
	pid_t pid;

	(void)state;
	need_user(&u);
	snprintf(sub, sizeof sub, "%s/theirs", pft_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chown(sub, u.uid, u.gid), 0);
	snprintf(path, sizeof path, "%s/sock", sub);
	assert_int_equal(pft_make_file(pft_dir, "mine", MiB, file, sizeof file), 0);
	assert_int_equal(pipe2(report, O_CLOEXEC), 0);
	pid = fake_daemon(&u, path, 3, report[1]);
	close(report[1]);

	/* Refused before a byte is sent, saying who runs it. */
	errno = 0;
	p = prefetch_connect_trusting(path, (uid_t)-1, &server);
	assert_null(p);
	assert_int_equal(errno, EPERM);
	assert_int_equal(server, u.uid);
	assert_int_equal(read(report[0], &sent, sizeof sent), sizeof sent);
	assert_int_equal(sent, 0);
	/* prefetchctl names the uid. */
	assert_int_equal(pft_run(out, sizeof out, "%s --socket '%s' status '%s' 2>&1",
	                         pft_prefetchctl(), path, file), 3);
	snprintf(uid, sizeof uid, "uid %ld", (long)u.uid);
	assert_non_null(strstr(out, uid));
	assert_int_equal(read(report[0], &sent, sizeof sent), sizeof sent);
	assert_int_equal(sent, 0);
	/* Trusted by name, it is spoken to (and hangs up: not a daemon). */
	p = prefetch_connect_trusting(path, u.uid, NULL);
	assert_null(p);
	assert_int_not_equal(errno, EPERM);
	assert_int_equal(read(report[0], &sent, sizeof sent), sizeof sent);
	assert_true(sent > 0);
	close(report[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
	rmdir(sub);
	pft_user_del(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_socket_private),
		TU_TEST(test_paths_only_for_own_uid),
		TU_TEST(test_warm_unmeasurable),
		TU_TEST(test_client_checks_server),
	};

	return cmocka_run_group_tests(tests, pft_group_setup, pft_group_teardown);
}

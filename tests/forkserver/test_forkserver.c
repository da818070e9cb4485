/* SPDX-License-Identifier: ISC */
/*
 * test_forkserver.c: libforkserver end to end. A real target (built by the
 * tests, fs_target.c) starts its fork server on a socket pair; the test
 * drives it with the client API: exit codes, signals and core flags, the
 * caller's descriptors at chosen numbers, deadlines, process groups,
 * concurrency, the controller leaving, bad frames, threads, many runs
 * without growth, children's ends learnt from pidfds or, without them,
 * from SIGCHLD, and Centipede's FIFO mode (with SIGCHLD ignored too).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
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
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif
#ifdef HAVE_PIDFD_SYSCALLS
#include <sys/syscall.h>
#endif

#include "forkserver.h"
#include "fs_users.h"
#include "protocol.h"
#include "testutil.h"

#define CHAN_FD 10

static char late_target[4096], plain_target[4096], preload_lib[4096];
static char persist_target[4096];

struct target {
	pid_t pid;
	int chan;
	struct forkserver *fs;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#ifdef HAVE_SECCOMP
/* From now on pidfd_open fails with ENOSYS in this process and its
 * children, as on a kernel before 5.3. 0, or -1 where seccomp cannot be
 * loaded (qemu-user). */
static int deny_pidfd_open(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = -1;

	if (ctx != NULL &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	                     seccomp_syscall_resolve_name("pidfd_open"), 0) == 0 &&
	    seccomp_load(ctx) == 0)
		r = 0;
	seccomp_release(ctx);
	return r;
}

/* Whether spawn starts its target without pidfd_open. */
static int spawn_without_pidfd;
#endif

/* Starts prog with its control channel at CHAN_FD; env is "NAME=VALUE"
 * pairs or NULL. */
static int chan_type = SOCK_STREAM;

static pid_t spawn(const char *prog, int *chan, char *const *env)
{
	int sv[2];
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, chan_type, 0, sv), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		int fd;

		if (dup2(sv[1], CHAN_FD) == -1)
			_exit(120);
		/* The target starts with stdio and the channel only. */
		for (fd = 3; fd < 1024; fd++)
			if (fd != CHAN_FD)
				close(fd);
		setenv("FORKSERVER_FD", "10", 1);
		for (; env != NULL && *env != NULL; env++)
			putenv(*env);
		/* As from a shell: not this program's ignored SIGPIPE. */
		signal(SIGPIPE, SIG_DFL);
#ifdef HAVE_SECCOMP
		if (spawn_without_pidfd && deny_pidfd_open() == -1)
			_exit(122);
#endif
		execl(prog, prog, (char *)NULL);
		_exit(121);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFD, FD_CLOEXEC);
	*chan = sv[0];
	return pid;
}

static void start(struct target *t, char *const *env)
{
	int chan;

	t->pid = spawn(late_target, &chan, env);
	t->fs = forkserver_fdopen(chan);
	assert_non_null(t->fs);
}

/* Ends the connection and checks that the target exited with code. */
static void stop(struct target *t, int code)
{
	int status;

	assert_int_equal(forkserver_close(t->fs), 0);
	assert_int_equal(waitpid(t->pid, &status, 0), t->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), code);
}

/* One child running cmd with stdin and stdout on pipes, with an
 * environment and a working directory for it; its output, up to cap - 1
 * bytes, in out. Returns what forkserver_wait returned, or -2 (errno
 * set) when the run did not start. */
static int run_full(struct forkserver *fs, const char *cmd,
                    const char *const *env, int dirfd, unsigned timeout_ms,
                    int *status, char *out, size_t cap, pid_t *pid)
{
	int in[2], o[2], fds[2], targets[2] = { 0, 1 }, id, r, err;
	size_t got = 0;
	ssize_t n;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(o), 0);
	assert_int_equal(write(in[1], cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	close(in[1]);
	fds[0] = in[0];
	fds[1] = o[1];
	id = forkserver_run_env(fs, fds, targets, 2, NULL, env, dirfd,
	                        timeout_ms, pid);
	close(in[0]);
	close(o[1]);
	r = id > 0 ? forkserver_wait(fs, id, status, -1) : -2;
	err = errno;
	while (cap > 1 && (n = read(o[0], out + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	if (cap > 0)
		out[got] = '\0';
	close(o[0]);
	errno = err;
	return r;
}

/* The same: -1 when the run did not start. */
static int run_cmd_env(struct forkserver *fs, const char *cmd,
                       const char *const *env, int dirfd, int *status,
                       char *out, size_t cap)
{
	int r = run_full(fs, cmd, env, dirfd, 0, status, out, cap, NULL);

	return r == -2 ? -1 : r;
}

/* The same, in the caller's directory; the run must start. */
static int run_cmd(struct forkserver *fs, const char *cmd, unsigned timeout_ms,
                   int *status, char *out, size_t cap, pid_t *pid)
{
	int r = run_full(fs, cmd, NULL, FORKSERVER_CWD_CALLER, timeout_ms,
	                 status, out, cap, pid);

	assert_true(r != -2);
	return r;
}

static int gone(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	int zombie = 0;

	if (kill(pid, 0) == -1)
		return 1;
	/* Killed but not yet reaped by whoever adopted it. */
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			char *p = strrchr(buf, ')');

			zombie = p != NULL && p[1] == ' ' && p[2] == 'Z';
		}
		fclose(f);
	}
	return zombie;
}

static void assert_gone_soon(pid_t pid)
{
	int i;

	for (i = 0; i < 500 && !gone(pid); i++)
		sleep_ms(10);
	assert_true(gone(pid));
}

static void test_exit_codes(void **state)
{
	struct target t;
	char cmd[32], out[16];
	int code, status;

	(void)state;
	start(&t, NULL);
	for (code = 0; code <= 255; code++) {
		snprintf(cmd, sizeof cmd, "exit %d\n", code);
		assert_int_equal(run_cmd(t.fs, cmd, 0, &status, out, sizeof out, NULL), 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), code);
	}
	stop(&t, 0);
}

/* The raw status of the plain target, run directly, dumping core in dir:
 * what the system gives without a fork server, to compare with. */
static int direct_status(const char *dir)
{
	char env[256];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		snprintf(env, sizeof env, "FS_TARGET_CMD=core %s", dir);
		if (null == -1 || dup2(null, 0) == -1)
			_exit(120);
		putenv(env);
		execl(plain_target, plain_target, (char *)NULL);
		_exit(121);
	}
	waitpid(pid, &status, 0);
	return status;
}

/* Removes DIR and the cores in it. A core may still be being written after
 * the status arrived (under qemu-user, qemu's core of the program and the
 * host's core of qemu): empty it until it can go, for up to 5 s, else
 * leave it and say so. Only cleaning up: the statuses are checked. */
static void remove_core_dir(const char *dir)
{
	int tries;

	for (tries = 0; tries < 250; tries++) {
		DIR *d = opendir(dir);
		struct dirent *e;

		if (d == NULL)
			return;
		while ((e = readdir(d)) != NULL) {
			char p[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
		if (rmdir(dir) == 0 || (errno != ENOTEMPTY && errno != EEXIST))
			return;
		sleep_ms(20);
	}
	fprintf(stderr, "# left %s: a core is still being written into it\n", dir);
}

static void test_signals(void **state)
{
	struct target t;
	char out[16], dir[] = "/tmp/fs-core-XXXXXX", cmd[64];
	int status, expect;

	(void)state;
	start(&t, NULL);
	assert_int_equal(run_cmd(t.fs, "kill 15\n", 0, &status, out, sizeof out, NULL), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_false(WCOREDUMP(status));
	assert_int_equal(run_cmd(t.fs, "kill 11\n", 0, &status, out, sizeof out, NULL), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
	assert_false(WCOREDUMP(status)); /* core size limit 0 */

	/* With core files allowed: the same raw status a direct child gets. */
	assert_non_null(mkdtemp(dir));
	expect = direct_status(dir);
	snprintf(cmd, sizeof cmd, "core %s\n", dir);
	assert_int_equal(run_cmd(t.fs, cmd, 0, &status, out, sizeof out, NULL), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_int_equal(status, expect);
	if (!WCOREDUMP(expect))
		fprintf(stderr, "# this system writes no core file here: the core flag"
		        " was compared unset\n");
	remove_core_dir(dir);
	stop(&t, 0);
}

static void test_stdin_to_stdout(void **state)
{
	struct target t;
	char out[256];
	int status;

	(void)state;
	start(&t, NULL);
	assert_int_equal(run_cmd(t.fs, "echo\nline one\nline two\n", 0, &status,
	                         out, sizeof out, NULL), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "line one\nline two\n");
	stop(&t, 0);
}

/* The child has exactly its stdio, the descriptors given at the numbers
 * asked, and the target's own (/dev/null at 3); never the channel. */
static void test_fds_at_numbers(void **state)
{
	struct target t;
	int in[2], o[2], a[2], b[2], fds[4], targets[4] = { 0, 1, 7, 100 };
	int id, status;
	char buf[256];
	ssize_t n;

	(void)state;
	start(&t, NULL);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(o), 0);
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	fds[0] = in[0];
	fds[1] = o[1];
	fds[2] = a[1];
	fds[3] = b[1];
	assert_int_equal(write(in[1], "fds\n", 4), 4);
	close(in[1]);
	id = forkserver_run(t.fs, fds, targets, 4, 0, NULL);
	assert_true(id > 0);
	close(in[0]);
	close(o[1]);
	close(a[1]);
	close(b[1]);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_true(WIFEXITED(status));
	n = read(o[0], buf, sizeof buf - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "0 1 2 3 7 100 \n"); /* 3: the target's */
	close(o[0]);
	close(a[0]);
	close(b[0]);

	/* Writes through numbers 7 and 100 reach the caller's pipes. */
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(a), 0);
	assert_int_equal(write(in[1], "write 100 hundred\n", 18), 18);
	close(in[1]);
	fds[0] = in[0];
	fds[1] = a[1];
	targets[1] = 100;
	id = forkserver_run(t.fs, fds, targets, 2, 0, NULL);
	assert_true(id > 0);
	close(in[0]);
	close(a[1]);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	n = read(a[0], buf, sizeof buf);
	assert_int_equal(n, 7);
	assert_memory_equal(buf, "hundred", 7);
	close(a[0]);
	stop(&t, 0);
}

/* A child forked while others run holds none of the server's
 * descriptors for them (their pidfds): the same descriptors as alone. */
static void test_fds_beside_others(void **state)
{
	struct target t;
	int hold[2][2], in[2], o[2], fds[2], targets[2] = { 0, 1 };
	int ids[2], id, status, i;
	char buf[256];
	ssize_t n;

	(void)state;
	start(&t, NULL);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe(hold[i]), 0);
		assert_int_equal(write(hold[i][1], "waiteof 0\n", 10), 10);
		ids[i] = forkserver_run(t.fs, &hold[i][0], targets, 1, 0, NULL);
		assert_true(ids[i] > 0);
		close(hold[i][0]);
	}
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(o), 0);
	assert_int_equal(write(in[1], "fds\n", 4), 4);
	close(in[1]);
	fds[0] = in[0];
	fds[1] = o[1];
	id = forkserver_run(t.fs, fds, targets, 2, 0, NULL);
	assert_true(id > 0);
	close(in[0]);
	close(o[1]);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	n = read(o[0], buf, sizeof buf - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "0 1 2 3 \n"); /* 3: the target's */
	close(o[0]);
	for (i = 0; i < 2; i++) {
		close(hold[i][1]);
		assert_int_equal(forkserver_wait(t.fs, ids[i], &status, -1), 0);
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* Nor the directory the server keeps for the connection, in a run
	 * that starts in the server's. */
	assert_int_equal(run_cmd_env(t.fs, "fds\n", NULL, FORKSERVER_CWD_SERVER,
	                             &status, buf, sizeof buf), 0);
	assert_string_equal(buf, "0 1 2 3 \n");
	stop(&t, 0);
}

/* A child that cannot place a descriptor (here one numbered 2^31-1,
 * beyond any limit) is no started child: its run fails with the errno and
 * the server names the descriptor, whether the pid was asked for or not.
 * The highest number the limit allows works. */
static void test_setup_failure(void **state)
{
	struct target t;
	struct rlimit rl;
	int fds[2] = { 1, 2 }, targets[2] = { 2, 2147483647 }, id, status;
	char num[16], cmd[16];
	const char *args[] = { "write", num, "last", NULL };
	pid_t pid = 0;
	int o[2];

	(void)state;
	start(&t, NULL);
	errno = 0;
	assert_int_equal(forkserver_run(t.fs, fds, targets, 2, 0, &pid), -1);
	assert_int_equal(errno, EBADF);
	assert_non_null(strstr(forkserver_last_error(t.fs), "descriptor 2147483647"));
	id = forkserver_run(t.fs, fds, targets, 2, 0, NULL);
	assert_true(id > 0);
	errno = 0;
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), -1);
	assert_int_equal(errno, EBADF);
	assert_non_null(strstr(forkserver_last_error(t.fs), "descriptor 2147483647"));

	/* The target's limit is the test's: its last descriptor works. */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= 65536) {
		assert_int_equal(pipe(o), 0);
		fds[0] = o[1];
		targets[0] = (int)rl.rlim_cur - 1;
		snprintf(num, sizeof num, "%d", targets[0]);
		id = forkserver_run_args(t.fs, fds, targets, 1, args, 0, &pid);
		assert_true(id > 0);
		close(o[1]);
		assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
		assert_int_equal(status, 0);
		assert_int_equal(read(o[0], cmd, sizeof cmd), 4);
		assert_memory_equal(cmd, "last", 4);
		close(o[0]);
	}
	stop(&t, 0);
}

/* The target ignores SIGUSR2, handles SIGINT and blocks SIGTERM: a
 * child has none of it. */
static void test_signal_reset(void **state)
{
	struct target t;
	char out[256];
	int status;

	(void)state;
	start(&t, NULL);
	assert_int_equal(run_cmd(t.fs, "sigs\n", 0, &status, out, sizeof out, NULL), 0);
	assert_string_equal(out, "done\n");
	stop(&t, 0);
}

/* The same over a message socket: each frame is one message. */
static void test_seqpacket(void **state)
{
	struct target t;
	char out[256];
	int status, id;

	(void)state;
	chan_type = SOCK_SEQPACKET;
	start(&t, NULL);
	chan_type = SOCK_STREAM;
	assert_int_equal(run_cmd(t.fs, "echo\nmessage\n", 0, &status, out, sizeof out, NULL), 0);
	assert_string_equal(out, "message\n");
	assert_int_equal(run_cmd(t.fs, "exit 9\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 9);
	id = forkserver_run(t.fs, NULL, NULL, 0, 100, NULL); /* stdin: the target's */
	assert_true(id > 0);
	assert_true(forkserver_wait(t.fs, id, &status, -1) >= 0);
	stop(&t, 0);
}

/* Bad requests fail with the documented errno and leave the connection
 * usable. */
static void test_bad_requests(void **state)
{
	struct target t;
	int fds[2] = { 0, 1 }, twice[2] = { 5, 5 }, targets[2] = { 0, 1 };
	int neg[1] = { -1 }, status, many[FSP_MAX_FDS + 1], id;
	char out[16];

	(void)state;
	start(&t, NULL);
	assert_int_equal(forkserver_run(NULL, NULL, NULL, 0, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_run(t.fs, NULL, targets, 1, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_run(t.fs, fds, neg, 1, 0, NULL), -1);
	assert_int_equal(errno, EBADF);
	memset(many, 0, sizeof many);
	assert_int_equal(forkserver_run(t.fs, many, many, FSP_MAX_FDS + 1, 0, NULL), -1);
	assert_int_equal(errno, E2BIG);
	/* The server refuses one target named twice. */
	assert_int_equal(forkserver_run(t.fs, fds, twice, 2, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_wait(t.fs, 0, &status, 0), -1);
	assert_int_equal(errno, EINVAL);
	/* Nothing runs under id 999: waiting times out, signals go nowhere. */
	assert_int_equal(forkserver_wait(t.fs, 999, &status, 20), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(forkserver_signal(t.fs, 999, SIGTERM), 0);
	assert_int_equal(forkserver_signal(t.fs, 1, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_close(NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(forkserver_connect("/nonexistent/forkserver.sock"));
	assert_int_equal(errno, ENOENT);
	assert_null(forkserver_fdopen(-1));
	assert_int_equal(errno, EBADF);
	/* Still serving. */
	assert_int_equal(run_cmd(t.fs, "exit 6\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 6);
	id = forkserver_run(t.fs, NULL, NULL, 0, 1, NULL);
	assert_true(id > 0);
	assert_true(forkserver_wait(t.fs, id, &status, -1) >= 0);
	stop(&t, 0);
}

/* Arguments travel with the request; the child reads them with
 * forkserver_args(). */
/* The child starts in the caller's directory, a directory given, or the
 * server's; it gets the variables the run carried, and only that run. */
static void test_env_and_dir(void **state)
{
	static const char *const env[] = { "FS_A=1", "FS_B=x=y", NULL };
	static const char *const bad[] = { "=nameless", NULL };
	static const char *const no_eq[] = { "FS_A", NULL };
	char here[512], server[sizeof here + 1], out[600];
	char dir[] = "/tmp/fs-dir-XXXXXX", want[600];
	struct target t;
	int status, d;

	(void)state;
	assert_non_null(getcwd(here, sizeof here));
	assert_non_null(mkdtemp(dir));
	start(&t, NULL);
	/* The server's directory is the test's; the child's the caller's,
	 * whatever the caller's is when it runs. */
	assert_int_equal(chdir(dir), 0);
	assert_non_null(getcwd(want, sizeof want - 1));
	assert_int_equal(run_cmd(t.fs, "pwd\n", 0, &status, out, sizeof out, NULL), 0);
	strcat(want, "\n");
	assert_string_equal(out, want);
	assert_int_equal(run_cmd_env(t.fs, "pwd\n", NULL, FORKSERVER_CWD_SERVER,
	                             &status, out, sizeof out), 0);
	assert_int_equal(chdir(here), 0);
	snprintf(server, sizeof server, "%s\n", here);
	assert_string_equal(out, server);
	/* A directory descriptor of the caller's, which it keeps. */
	d = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(d >= 0);
	assert_int_equal(run_cmd_env(t.fs, "pwd\n", NULL, d, &status, out,
	                             sizeof out), 0);
	assert_string_equal(out, want);
	assert_int_equal(fcntl(d, F_GETFD), 0);
	close(d);
	/* Not a directory: the run fails, and says why. */
	d = open("/dev/null", O_RDONLY);
	assert_int_equal(run_cmd_env(t.fs, "pwd\n", NULL, d, &status, out,
	                             sizeof out), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_non_null(strstr(forkserver_last_error(t.fs), "working directory"));
	close(d);
	/* Variables, for one run alone. */
	assert_int_equal(run_cmd_env(t.fs, "env FS_B\n", env, FORKSERVER_CWD_CALLER,
	                             &status, out, sizeof out), 0);
	assert_string_equal(out, "x=y\n");
	assert_int_equal(run_cmd(t.fs, "env FS_B\n", 0, &status, out, sizeof out,
	                         NULL), 0);
	assert_string_equal(out, "unset\n");
	assert_int_equal(forkserver_run_env(t.fs, NULL, NULL, 0, NULL, bad,
	                                    FORKSERVER_CWD_CALLER, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_run_env(t.fs, NULL, NULL, 0, NULL, no_eq,
	                                    FORKSERVER_CWD_CALLER, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(forkserver_run_env(t.fs, NULL, NULL, 0, NULL, NULL, -7,
	                                    0, NULL), -1);
	assert_int_equal(errno, EBADF);
	stop(&t, 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_args(void **state)
{
	static const char *const exit_args[] = { "exit", "42", NULL };
	static const char *const none[] = { NULL };
	const char *many[FSP_MAX_ARGS + 2];
	struct target t;
	int o[2], fds[1], targets[1] = { 1 }, id, status, i;
	const char *write_args[] = { "write", "1", NULL, NULL };
	char big[3000], out[3100];
	ssize_t n;

	(void)state;
	start(&t, NULL);
	id = forkserver_run_args(t.fs, NULL, NULL, 0, exit_args, 0, NULL);
	assert_true(id > 0);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);

	/* An argument too long for the small buffer. */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	write_args[2] = big;
	assert_int_equal(pipe(o), 0);
	fds[0] = o[1];
	id = forkserver_run_args(t.fs, fds, targets, 1, write_args, 0, NULL);
	assert_true(id > 0);
	close(o[1]);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	n = read(o[0], out, sizeof out);
	close(o[0]);
	assert_int_equal(n, (ssize_t)sizeof big - 1);
	assert_memory_equal(out, big, sizeof big - 1);

	/* No arguments: stdin, then FS_TARGET_CMD (none): exit 0. */
	id = forkserver_run_args(t.fs, NULL, NULL, 0, none, 1000, NULL);
	assert_true(id > 0);
	assert_true(forkserver_wait(t.fs, id, &status, -1) >= 0);

	for (i = 0; i < FSP_MAX_ARGS + 1; i++)
		many[i] = "x";
	many[i] = NULL;
	assert_int_equal(forkserver_run_args(t.fs, NULL, NULL, 0, many, 0, NULL), -1);
	assert_int_equal(errno, E2BIG);
	stop(&t, 0);
}

static void test_deadline(void **state)
{
	struct target t;
	char out[16];
	int status;

	(void)state;
	start(&t, NULL);
	assert_int_equal(run_cmd(t.fs, "hang\n", 200, &status, out, sizeof out, NULL), 1);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	/* A deadline that is not reached changes nothing. */
	assert_int_equal(run_cmd(t.fs, "exit 4\n", 60000, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 4);
	stop(&t, 0);
}

static void test_grandchildren(void **state)
{
	struct target t;
	char out[64];
	int status;
	long g;

	(void)state;
	start(&t, NULL);
	/* Killed at the deadline with its group. */
	assert_int_equal(run_cmd(t.fs, "grandchild\n", 200, &status, out, sizeof out, NULL), 1);
	g = atol(out);
	assert_true(g > 0);
	assert_gone_soon((pid_t)g);
	/* The child exits; what it left in its group is killed. */
	assert_int_equal(run_cmd(t.fs, "grandchild exit\n", 0, &status, out, sizeof out, NULL), 0);
	assert_true(WIFEXITED(status));
	g = atol(out);
	assert_true(g > 0);
	assert_gone_soon((pid_t)g);
	stop(&t, 0);
}

static void test_signal_and_kill(void **state)
{
	struct target t;
	int in[2], fds[1], targets[1] = { 0 }, id, status;
	pid_t pid;

	(void)state;
	start(&t, NULL);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], "hang\n", 5), 5);
	fds[0] = in[0];
	id = forkserver_run(t.fs, fds, targets, 1, 0, &pid);
	assert_true(id > 0);
	assert_true(pid > 0);
	assert_int_equal(forkserver_wait(t.fs, id, &status, 50), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(forkserver_signal(t.fs, id, SIGUSR1), 0);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGUSR1);

	id = forkserver_run(t.fs, fds, targets, 1, 0, &pid);
	assert_true(id > 0);
	assert_int_equal(forkserver_kill(t.fs, id), 0);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), 0);
	assert_int_equal(WTERMSIG(status), SIGKILL);
	close(in[0]);
	close(in[1]);
	stop(&t, 0);
}

static void test_controller_leaves(void **state)
{
	struct target t;
	int in[2], fds[1], targets[1] = { 0 }, id;
	pid_t pid;

	(void)state;
	start(&t, NULL);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], "hang\n", 5), 5);
	close(in[1]);
	fds[0] = in[0];
	id = forkserver_run(t.fs, fds, targets, 1, 0, &pid);
	assert_true(id > 0);
	close(in[0]);
	stop(&t, 0); /* the server exits once its children are dead */
	assert_true(gone(pid));
}

/* The server itself killed outright: where the system can tie a child's
 * life to its parent's (PR_SET_PDEATHSIG), the children go too. */
static void test_server_killed(void **state)
{
	struct target t;
	int in[2], fds[1], targets[1] = { 0 }, id, status;
	pid_t pid;

	(void)state;
#ifndef HAVE_PR_SET_PDEATHSIG
	fprintf(stderr, "# no PR_SET_PDEATHSIG here: children outlive a killed server\n");
	return;
#endif
	start(&t, NULL);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], "hang\n", 5), 5);
	close(in[1]);
	fds[0] = in[0];
	id = forkserver_run(t.fs, fds, targets, 1, 0, &pid);
	assert_true(id > 0);
	close(in[0]);
	assert_int_equal(kill(t.pid, SIGKILL), 0);
	assert_int_equal(waitpid(t.pid, &status, 0), t.pid);
	assert_gone_soon(pid);
	assert_int_equal(forkserver_wait(t.fs, id, &status, -1), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(forkserver_close(t.fs), 0);
}

static void test_concurrent(void **state)
{
	static char *env[] = { "FORKSERVER_MAX_CHILDREN=3", NULL };
	struct target t;
	int ids[8], pipes[8][2], fds[1], targets[1] = { 0 }, i, status;
	pid_t pids[8], helper;
	char cmd[32];

	(void)state;
	start(&t, env);
	assert_int_equal(forkserver_max_children(t.fs), 3);
	for (i = 0; i < 8; i++) {
		assert_int_equal(pipe(pipes[i]), 0);
		snprintf(cmd, sizeof cmd, "waiteof %d\n", 10 + i);
		assert_int_equal(write(pipes[i][1], cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	}
	/* Three children at once, each until its stdin ends. */
	for (i = 0; i < 3; i++) {
		fds[0] = pipes[i][0];
		ids[i] = forkserver_run(t.fs, fds, targets, 1, 0, &pids[i]);
		assert_true(ids[i] > 0);
	}
	for (i = 0; i < 3; i++)
		assert_false(gone(pids[i]));
	/* The fourth run is sent while the server is full: it waits for a
	 * free slot, which comes when a helper, holding the first three
	 * stdins, ends a little later. */
	helper = fork();
	assert_true(helper != -1);
	if (helper == 0) {
		sleep_ms(200);
		_exit(0);
	}
	for (i = 0; i < 8; i++)
		close(pipes[i][1]);
	for (i = 3; i < 8; i++) {
		fds[0] = pipes[i][0];
		ids[i] = forkserver_run(t.fs, fds, targets, 1, 0, &pids[i]);
		if (ids[i] <= 0)
			fprintf(stderr, "# run %d while full: %s\n", i, strerror(errno));
		assert_true(ids[i] > 0);
	}
	assert_int_equal(waitpid(helper, &status, 0), helper);
	for (i = 7; i >= 0; i--) {
		assert_int_equal(forkserver_wait(t.fs, ids[i], &status, -1), 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 10 + i);
		close(pipes[i][0]);
	}
	stop(&t, 0);
}

/* More children at once than the poll loop's tables on its stack hold
 * (their pidfds, or loop sockets, and the connection): each still ends,
 * and is told, in the order the runs end. */
static void test_many_at_once(void **state)
{
	static char *env[] = { "FORKSERVER_MAX_CHILDREN=24", NULL };
	enum { N = 24 };
	struct target t;
	int ids[N], pipes[N][2], fds[1], targets[1] = { 0 }, i, status;
	pid_t pids[N];
	char cmd[32];

	(void)state;
	start(&t, env);
	for (i = 0; i < N; i++) {
		assert_int_equal(pipe(pipes[i]), 0);
		snprintf(cmd, sizeof cmd, "waiteof %d\n", 10 + i);
		assert_int_equal(write(pipes[i][1], cmd, strlen(cmd)),
		                 (ssize_t)strlen(cmd));
		fds[0] = pipes[i][0];
		ids[i] = forkserver_run(t.fs, fds, targets, 1, 0, &pids[i]);
		assert_true(ids[i] > 0);
		close(pipes[i][0]);
	}
	for (i = N - 1; i >= 0; i--) {
		close(pipes[i][1]);
		assert_int_equal(forkserver_wait(t.fs, ids[i], &status, -1), 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 10 + i);
		assert_true(gone(pids[i]));
	}
	stop(&t, 0);
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The value of the line of /proc/PID/status that format (one %llu or
 * %llx) reads, or -1. */
static long long proc_status(pid_t pid, const char *format)
{
	char path[64], line[256];
	unsigned long long v;
	long long r = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (r == -1 && fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, format, &v) == 1)
			r = (long long)v;
	fclose(f);
	return r;
}

static long rss_kib(pid_t pid)
{
	return (long)proc_status(pid, "VmRSS: %llu");
}

/* The children of pid, zombies included, where Linux lists them; -1
 * where it does not. */
static int child_count(pid_t pid)
{
	char path[64];
	long child;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)pid,
	         (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fscanf(f, "%ld", &child) == 1)
		n++;
	fclose(f);
	return n;
}

static int sanitized(void)
{
	const char *v = getenv("GIVEFD_SANITIZED");

	return v != NULL && strcmp(v, "yes") == 0;
}

static void test_many_runs(void **state)
{
	struct target t;
	char out[16], path[64];
	int i, status, fds_before = tu_count_open_fds(), server_fds = 0;
	long rss = 0;

	(void)state;
	start(&t, NULL);
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)t.pid);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(run_cmd(t.fs, "exit 1\n", 0, &status, out, sizeof out, NULL), 0);
		assert_int_equal(WEXITSTATUS(status), 1);
		if (i == 99) {
			server_fds = count_dir(path);
			rss = rss_kib(t.pid);
		}
	}
	/* The connection, and the directory the server keeps for it. */
	assert_int_equal(tu_count_open_fds(), fds_before + 2);
	assert_int_equal(count_dir(path), server_fds);
	/* No child left, not even a zombie, where Linux lists children. */
	assert_true(child_count(t.pid) <= 0);
	/* KiB: no growth per run; a sanitizer's allocator keeps what is
	 * freed in quarantine, so its builds are not judged. */
	if (rss > 0 && !sanitized())
		assert_true(rss_kib(t.pid) <= rss + 64);
	stop(&t, 0);
}

/* Raw bytes on the channel: a bad header gets ERROR id 0 and, this being
 * the controller's connection, the end of the server. */
static void test_bad_frames(void **state)
{
	unsigned char buf[512], want[64];
	struct fsp_header h;
	struct fsp_want w = { FSP_MAGIC, FSP_VERSION, 0 };
	struct fsp_error e;
	int chan, status;
	ssize_t n, got = 0;
	pid_t pid;

	(void)state;
	pid = spawn(late_target, &chan, NULL);
	n = fsp_want_encode(&w, want, sizeof want);
	assert_true(n > 0);
	assert_int_equal(write(chan, want, (size_t)n), n);
	assert_int_equal(write(chan, "\x09\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00", 12), 12);
	while ((n = read(chan, buf + got, sizeof buf - (size_t)got)) > 0)
		got += n;
	/* HELLO, then ERROR. */
	assert_int_equal(fsp_header_decode(buf, (size_t)got, &h), 0);
	assert_int_equal(h.type, FSP_HELLO);
	n = FSP_HDR_SIZE + (ssize_t)h.len;
	assert_int_equal(fsp_header_decode(buf + n, (size_t)(got - n), &h), 0);
	assert_int_equal(h.type, FSP_ERROR);
	assert_int_equal(h.id, 0);
	assert_int_equal(fsp_error_decode(buf + n + FSP_HDR_SIZE, h.len, &e), 0);
	assert_int_equal(e.err, EBADMSG);
	close(chan);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Reads one frame from fd into buf (header decoded into h). */
static void read_frame(int fd, struct fsp_header *h, unsigned char *buf, size_t cap)
{
	size_t got = 0, want = FSP_HDR_SIZE;

	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);

		assert_true(n > 0);
		got += (size_t)n;
		if (got == FSP_HDR_SIZE) {
			assert_int_equal(fsp_header_decode(buf, got, h), 0);
			want += h->len;
			assert_true(want <= cap);
		}
	}
}

/* The rest of test_quiet_raw on the connection that agreed: the quiet
 * RUN's EXITED (read into buf), then a RUN that fails. */
static void quiet_round(int chan, unsigned char *buf, size_t cap)
{
	struct fsp_header h;
	struct fsp_exited ex;
	struct fsp_error e;
	struct fsp_run run;
	long n;

	assert_int_equal(fsp_header_decode(buf, FSP_HDR_SIZE, &h), 0);
	assert_int_equal(h.id, 5);
	assert_int_equal(fsp_exited_decode(buf + FSP_HDR_SIZE, h.len, &ex), 0);
	assert_true(WIFEXITED((int)ex.status));
	assert_int_equal(WEXITSTATUS((int)ex.status), 3);

	/* A body naming a target the header brought no descriptor for. */
	memset(&run, 0, sizeof run);
	run.ntargets = 1;
	n = fsp_run_encode(6, FSP_VERSION, &run, buf, cap);
	assert_true(n > 0);
	buf[1] = 0;                     /* the header's nfds */
	fsp_header_set_flags(buf, FSP_RUN_QUIET);
	assert_int_equal(write(chan, buf, (size_t)n), n);
	read_frame(chan, &h, buf, cap);
	assert_int_equal(h.type, FSP_ERROR);
	assert_int_equal(h.id, 6);
	assert_int_equal(h.flags, FSP_ERROR_RUN);
	assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &e), 0);
	assert_int_equal(e.err, EPROTO);
}

/* A client that agreed to FSP_FEATURE_QUIET gets no STARTED for a quiet
 * RUN, and a failed RUN's ERROR carries FSP_ERROR_RUN; flags on a
 * connection that did not agree break its framing. */
static void test_quiet_raw(void **state)
{
	static const char *const exit_args[] = { "exit", "3", NULL };
	unsigned char buf[512];
	struct fsp_header h;
	struct fsp_want w = { FSP_MAGIC, FSP_VERSION, FSP_FEATURE_QUIET };
	struct fsp_hello hello;
	struct fsp_error e;
	struct fsp_run run;
	int chan, status, round;
	long n;
	pid_t pid;

	(void)state;
	for (round = 0; round < 2; round++) {
		w.features = round == 0 ? FSP_FEATURE_QUIET : 0;
		pid = spawn(late_target, &chan, NULL);
		read_frame(chan, &h, buf, sizeof buf);
		assert_int_equal(h.type, FSP_HELLO);
		assert_int_equal(fsp_hello_decode(buf + FSP_HDR_SIZE, h.len, &hello), 0);
		assert_int_equal(hello.features & FSP_FEATURE_QUIET, FSP_FEATURE_QUIET);
		n = fsp_want_encode(&w, buf, sizeof buf);
		assert_true(n > 0);
		assert_int_equal(write(chan, buf, (size_t)n), n);

		memset(&run, 0, sizeof run);
		run.nargs = 2;
		run.args[0] = exit_args[0];
		run.arglen[0] = 4;
		run.args[1] = exit_args[1];
		run.arglen[1] = 1;
		n = fsp_run_encode(5, FSP_VERSION, &run, buf, sizeof buf);
		assert_true(n > 0);
		fsp_header_set_flags(buf, FSP_RUN_QUIET);
		assert_int_equal(write(chan, buf, (size_t)n), n);
		read_frame(chan, &h, buf, sizeof buf);
		assert_int_equal(h.type, round == 0 ? FSP_EXITED : FSP_ERROR);
		if (round == 1) {
			/* Not agreed: a framing error, and the server ends. */
			assert_int_equal(h.id, 0);
			assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &e), 0);
			assert_int_equal(e.err, EBADMSG);
		} else {
			quiet_round(chan, buf, sizeof buf);
		}
		close(chan);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

/* A raw frame of buf (len bytes) with the n descriptors fds: they ride
 * with the header, and on a stream the body follows as plain bytes. */
static void send_frame(int chan, const int *fds, size_t n,
                       const unsigned char *buf, long len)
{
	size_t first = chan_type == SOCK_STREAM ? FSP_HDR_SIZE : (size_t)len;

	assert_int_equal(givefd_send(chan, fds, n, buf, first), (ssize_t)first);
	if ((long)first < len)
		assert_int_equal(write(chan, buf + first, (size_t)len - first),
		                 len - (long)first);
}

/* A quiet RUN of "cwd-is want" (id) on chan with runflags and the
 * directory dir (-1: none); its answer: the exit code, or -errno. */
static int cwd_is(int chan, uint32_t id, uint32_t runflags, int dir,
                  const char *want)
{
	unsigned char buf[512];
	struct fsp_header h;
	struct fsp_exited ex;
	struct fsp_error e;
	struct fsp_run run;
	long n;

	memset(&run, 0, sizeof run);
	run.nargs = 2;
	run.args[0] = "cwd-is";
	run.arglen[0] = 6;
	run.args[1] = want;
	run.arglen[1] = (uint16_t)strlen(want);
	run.runflags = runflags;
	n = fsp_run_encode(id, FSP_VERSION, &run, buf, sizeof buf);
	assert_true(n > 0);
	fsp_header_set_flags(buf, FSP_RUN_QUIET);
	send_frame(chan, &dir, dir != -1, buf, n);
	read_frame(chan, &h, buf, sizeof buf);
	assert_int_equal(h.id, id);
	if (h.type == FSP_ERROR) {
		assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &e), 0);
		return -(int)e.err;
	}
	assert_int_equal(h.type, FSP_EXITED);
	assert_int_equal(fsp_exited_decode(buf + FSP_HDR_SIZE, h.len, &ex), 0);
	assert_true(WIFEXITED((int)ex.status));
	return WEXITSTATUS((int)ex.status);
}

/* The server's side of FSP_FEATURE_KEEP_CWD: a directory sent is kept for
 * the runs that say SAME_CWD, until another replaces it; one never kept,
 * not agreed, or forgotten after a malformed RUN is an error, never some
 * other directory. */
static void test_keep_cwd_server(void **state)
{
	char a[] = "/tmp/fs-keep-a-XXXXXX", b[] = "/tmp/fs-keep-b-XXXXXX";
	char here[512];
	unsigned char buf[512];
	struct fsp_header h;
	struct fsp_want w = { FSP_MAGIC, FSP_VERSION,
	                      FSP_FEATURE_QUIET | FSP_FEATURE_KEEP_CWD };
	struct fsp_hello hello;
	struct fsp_run run;
	int chan, status, da, db, round;
	long n;
	pid_t pid;

	(void)state;
	assert_non_null(getcwd(here, sizeof here));
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	da = open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	db = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(da >= 0 && db >= 0);
	for (round = 0; round < 2; round++) {
		w.features = FSP_FEATURE_QUIET |
		             (round == 0 ? FSP_FEATURE_KEEP_CWD : 0);
		pid = spawn(late_target, &chan, NULL);
		read_frame(chan, &h, buf, sizeof buf);
		assert_int_equal(fsp_hello_decode(buf + FSP_HDR_SIZE, h.len, &hello), 0);
		assert_int_equal(hello.features & FSP_FEATURE_KEEP_CWD,
		                 FSP_FEATURE_KEEP_CWD);
		n = fsp_want_encode(&w, buf, sizeof buf);
		assert_int_equal(write(chan, buf, (size_t)n), n);

		assert_int_equal(cwd_is(chan, 1, FSP_RUNF_SAME_CWD, -1, a), -EPROTO);
		assert_int_equal(cwd_is(chan, 2, FSP_RUNF_CWD, da, a), 0);
		if (round == 1) {
			/* Not agreed: nothing kept. */
			assert_int_equal(cwd_is(chan, 3, FSP_RUNF_SAME_CWD, -1, a),
			                 -EPROTO);
		} else {
			assert_int_equal(cwd_is(chan, 3, FSP_RUNF_SAME_CWD, -1, a), 0);
			assert_int_equal(cwd_is(chan, 4, 0, -1, here), 0);
			assert_int_equal(cwd_is(chan, 5, FSP_RUNF_SAME_CWD, -1, a), 0);
			assert_int_equal(cwd_is(chan, 6, FSP_RUNF_CWD, db, b), 0);
			assert_int_equal(cwd_is(chan, 7, FSP_RUNF_SAME_CWD, -1, b), 0);
			/* A directory with a count that does not add up. */
			memset(&run, 0, sizeof run);
			run.runflags = FSP_RUNF_CWD;
			n = fsp_run_encode(8, FSP_VERSION, &run, buf, sizeof buf);
			assert_true(n > 0);
			buf[1] = 0;             /* the header's nfds */
			fsp_header_set_flags(buf, FSP_RUN_QUIET);
			assert_int_equal(write(chan, buf, (size_t)n), n);
			read_frame(chan, &h, buf, sizeof buf);
			assert_int_equal(h.type, FSP_ERROR);
			assert_int_equal(cwd_is(chan, 9, FSP_RUNF_SAME_CWD, -1, b),
			                 -EPROTO);
		}
		close(chan);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	close(da);
	close(db);
	assert_int_equal(rmdir(a), 0);
	assert_int_equal(rmdir(b), 0);
}

/* What the client sends, seen by a server of the test's (stream socket):
 * runs from the directory it sent last carry none, and say SAME_CWD. */
struct seen_run {
	size_t nfds;
	uint32_t runflags;
};

static int keep_cwd_peer(int chan, struct seen_run *seen, size_t runs)
{
	struct fsp_hello hello = { FSP_MAGIC, FSP_VERSION_MIN, FSP_VERSION,
	                           FSP_FEATURE_QUIET | FSP_FEATURE_KEEP_CWD,
	                           4, 8 };
	unsigned char buf[512];
	struct fsp_exited ex = { 0, 0 };
	struct fsp_header h;
	struct fsp_want w;
	struct fsp_run run;
	size_t i, k;
	long n;

	n = fsp_hello_encode(&hello, buf, sizeof buf);
	if (n < 0 || write(chan, buf, (size_t)n) != n)
		return 1;
	read_frame(chan, &h, buf, sizeof buf);
	if (h.type != FSP_WANT ||
	    fsp_want_decode(buf + FSP_HDR_SIZE, h.len, &w) != 0 ||
	    (w.features & FSP_FEATURE_KEEP_CWD) == 0)
		return 2;
	for (i = 0; i < runs; i++) {
		int fds[8];
		size_t got = 0;

		seen[i].nfds = 8;
		if (givefd_recv(chan, fds, &seen[i].nfds, buf, FSP_HDR_SIZE) !=
		    FSP_HDR_SIZE || fsp_header_decode(buf, FSP_HDR_SIZE, &h) != 0)
			return 3;
		for (k = 0; k < seen[i].nfds; k++)
			close(fds[k]);
		while (got < h.len) {
			ssize_t r = read(chan, buf + FSP_HDR_SIZE + got, h.len - got);

			if (r <= 0)
				return 4;
			got += (size_t)r;
		}
		if (fsp_run_decode(buf + FSP_HDR_SIZE, h.len, w.version, &run) != 0)
			return 5;
		seen[i].runflags = run.runflags;
		n = fsp_exited_encode(h.id, &ex, buf, sizeof buf);
		if (n < 0 || write(chan, buf, (size_t)n) != n)
			return 6;
	}
	return 0;
}

static void test_keep_cwd_client(void **state)
{
	static const struct seen_run want[] = {
		{ 1, FSP_RUNF_CWD },            /* into a */
		{ 0, FSP_RUNF_SAME_CWD },       /* a again */
		{ 1, FSP_RUNF_CWD },            /* b */
		{ 0, 0 },                       /* the server's */
		{ 0, FSP_RUNF_SAME_CWD },       /* b still */
		{ 1, FSP_RUNF_CWD },            /* a descriptor of the caller's */
		{ 1, FSP_RUNF_CWD },            /* b: sent again */
		{ 1, FSP_RUNF_CWD },            /* a new directory at a's path */
	};
	enum { RUNS = sizeof want / sizeof want[0] };
	char a[] = "/tmp/fs-kc-a-XXXXXX", b[] = "/tmp/fs-kc-b-XXXXXX";
	char here[512], old[sizeof a + 4];
	struct seen_run *seen;
	struct forkserver *fs;
	int sv[2], status, i, d;
	pid_t pid;

	(void)state;
	assert_non_null(getcwd(here, sizeof here));
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	seen = mmap(NULL, sizeof want, PROT_READ | PROT_WRITE,
	            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(seen != MAP_FAILED);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		close(sv[0]);
		_exit(keep_cwd_peer(sv[1], seen, RUNS));
	}
	close(sv[1]);
	fs = forkserver_fdopen(sv[0]);
	assert_non_null(fs);
	d = open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(d >= 0);
	for (i = 0; i < RUNS; i++) {
		int dirfd = FORKSERVER_CWD_CALLER, id;

		if (i == 0)
			assert_int_equal(chdir(a), 0);
		if (i == 2)
			assert_int_equal(chdir(b), 0);
		if (i == 3)
			dirfd = FORKSERVER_CWD_SERVER;
		if (i == 5)
			dirfd = d;
		if (i == 7) {
			/* a moves away; a directory of the same name
			 * takes its place, and the caller goes there. */
			snprintf(old, sizeof old, "%s.old", a);
			assert_int_equal(rename(a, old), 0);
			assert_int_equal(mkdir(a, 0700), 0);
			assert_int_equal(chdir(a), 0);
		}
		id = forkserver_run_env(fs, NULL, NULL, 0, NULL, NULL, dirfd,
		                        0, NULL);
		assert_true(id > 0);
		assert_int_equal(forkserver_wait(fs, id, &status, -1), 0);
	}
	assert_int_equal(chdir(here), 0);
	close(d);
	assert_int_equal(forkserver_close(fs), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	for (i = 0; i < RUNS; i++) {
		assert_int_equal(seen[i].nfds, want[i].nfds);
		assert_int_equal(seen[i].runflags, want[i].runflags);
	}
	munmap(seen, sizeof want);
	assert_int_equal(rmdir(a), 0);
	assert_int_equal(rmdir(old), 0);
	assert_int_equal(rmdir(b), 0);
}

/* out has the line "cwd:dir". */
static void assert_in_dir(const char *out, const char *dir)
{
	char line[600];

	snprintf(line, sizeof line, "cwd:%s\n", dir);
	if (strstr(out, line) == NULL)
		fail_msg("not in %s: %s", dir, out);
}

/* A persistent child between two runs gets the directory the server
 * keeps as one it was sent: each run in the directory its caller is in. */
static void test_keep_cwd_persistent(void **state)
{
	static char loop[] = "FORKSERVER_LOOP=1", runs[] = "FS_PERSIST_RUNS=4";
	char *const env[] = { loop, runs, NULL };
	char a[] = "/tmp/fs-kp-a-XXXXXX", b[] = "/tmp/fs-kp-b-XXXXXX";
	char here[512], wa[512], wb[512], out[1200];
	struct target t;
	int chan, status, i;

	(void)state;
	assert_non_null(getcwd(here, sizeof here));
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	t.pid = spawn(persist_target, &chan, env);
	t.fs = forkserver_fdopen(chan);
	assert_non_null(t.fs);
	assert_int_equal(chdir(a), 0);
	assert_non_null(getcwd(wa, sizeof wa));
	assert_int_equal(chdir(b), 0);
	assert_non_null(getcwd(wb, sizeof wb));
	for (i = 0; i < 8; i++) {
		const char *want = i % 4 < 2 ? wa : wb;

		assert_int_equal(chdir(want), 0);
		assert_int_equal(run_cmd(t.fs, "pwd\n", 0, &status, out,
		                         sizeof out, NULL), 0);
		assert_in_dir(out, want);
		if (i == 5) {
			assert_int_equal(run_cmd_env(t.fs, "pwd\n", NULL,
			                             FORKSERVER_CWD_SERVER, &status,
			                             out, sizeof out), 0);
			assert_in_dir(out, here);
		}
	}
	assert_int_equal(chdir(here), 0);
	stop(&t, 0);
	assert_int_equal(rmdir(a), 0);
	assert_int_equal(rmdir(b), 0);
}

/* A persistent child's run reads one line of its input; stdio buffered
 * the rest, which the next run, with an input of its own, must not see. */
static void test_persistent_fresh_stdin(void **state)
{
	static char loop[] = "FORKSERVER_LOOP=1", runs[] = "FS_PERSIST_RUNS=3",
	            line[] = "FS_PERSIST_LINE=1";
	char *const env[] = { loop, runs, line, NULL };
	char out[1200], want[64];
	struct target t;
	int chan, status;
	pid_t first = 0, pid = 0;

	(void)state;
	t.pid = spawn(persist_target, &chan, env);
	t.fs = forkserver_fdopen(chan);
	assert_non_null(t.fs);
	assert_int_equal(run_cmd(t.fs, "one\nleft over\n", 0, &status, out,
	                         sizeof out, &first), 0);
	snprintf(want, sizeof want, "run 1 pid %ld v - got:one\n", (long)first);
	assert_string_equal(out, want);
	assert_int_equal(run_cmd(t.fs, "two\n", 0, &status, out, sizeof out,
	                         &pid), 0);
	assert_int_equal(pid, first);   /* the same process, a second run */
	snprintf(want, sizeof want, "run 2 pid %ld v - got:two\n", (long)first);
	assert_string_equal(out, want);
	stop(&t, 0);
}

/* The client's side: a run whose pid nobody asked for returns at once,
 * and a failure the server reports for it comes from forkserver_wait.
 * The server here is a process of the test's that speaks the frames, of
 * version 1 (so that the run carries no descriptor: the frames are plain
 * bytes whatever the backend). */
static void test_quiet_failure(void **state)
{
	struct fsp_hello hello = { FSP_MAGIC, FSP_VERSION_MIN, FSP_VERSION_MIN,
	                           FSP_FEATURE_QUIET, 4, 8 };
	unsigned char buf[512];
	struct forkserver *fs;
	int sv[2], id, status;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct fsp_error e = { EAGAIN, "no", 2 };
		struct fsp_want w;
		struct fsp_header h;
		long n;

		close(sv[0]);
		n = fsp_hello_encode(&hello, buf, sizeof buf);
		if (n < 0 || write(sv[1], buf, (size_t)n) != n)
			_exit(1);
		read_frame(sv[1], &h, buf, sizeof buf);
		if (h.type != FSP_WANT ||
		    fsp_want_decode(buf + FSP_HDR_SIZE, h.len, &w) != 0 ||
		    w.features != FSP_FEATURE_QUIET)
			_exit(2);
		read_frame(sv[1], &h, buf, sizeof buf);
		if (h.type != FSP_RUN || h.flags != FSP_RUN_QUIET)
			_exit(3);
		n = fsp_error_encode(h.id, &e, buf, sizeof buf);
		fsp_header_set_flags(buf, FSP_ERROR_RUN);
		if (n < 0 || write(sv[1], buf, (size_t)n) != n)
			_exit(4);
		/* Holds its end until the client closes. */
		while (read(sv[1], buf, sizeof buf) > 0)
			;
		_exit(0);
	}
	close(sv[1]);
	fs = forkserver_fdopen(sv[0]);
	assert_non_null(fs);
	id = forkserver_run(fs, NULL, NULL, 0, 0, NULL);
	assert_true(id > 0);
	assert_int_equal(forkserver_wait(fs, id, &status, -1), -1);
	assert_int_equal(errno, EAGAIN);
	/* The end is taken: the id is unknown now. */
	assert_int_equal(forkserver_wait(fs, id, &status, 50), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(forkserver_close(fs), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The type of socket start_listening makes. */
static int listen_type = SOCK_STREAM;

/* A listening server: the late target on a socket at dir/s (path, sa)
 * with FORKSERVER_ALIVE the other end of *alive, which it returns once
 * the server said it is ready; env as for spawn(). */
static pid_t start_listening(char *dir, char *path, size_t cap,
                             struct sockaddr_un *sa, int *alive,
                             char *const *env)
{
	int lfd, pair[2];
	char ready;
	pid_t pid;

	assert_non_null(mkdtemp(dir));
	snprintf(path, cap, "%s/s", dir);
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	strcpy(sa->sun_path, path);
	lfd = socket(AF_UNIX, listen_type, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)sa, sizeof *sa), 0);
	assert_int_equal(listen(lfd, 8), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		int fd;

		if (dup2(lfd, 11) == -1 || dup2(pair[1], 12) == -1)
			_exit(120);
		for (fd = 3; fd < 1024; fd++)
			if (fd != 11 && fd != 12)
				close(fd);
		setenv("FORKSERVER_FD", "11", 1);
		setenv("FORKSERVER_ALIVE", "12", 1);
		for (; env != NULL && *env != NULL; env++)
			putenv(*env);
		signal(SIGPIPE, SIG_DFL);
		execl(late_target, late_target, (char *)NULL);
		_exit(121);
	}
	close(lfd);
	close(pair[1]);
	assert_int_equal(read(pair[0], &ready, 1), 1);
	*alive = pair[0];
	return pid;
}

/* Ends a listening server: closes alive, checks that it exited 0. */
static void stop_listening(pid_t pid, int alive, const char *dir,
                           const char *path)
{
	int status;

	close(alive);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* A new client of the server at path gets a run served. */
static void assert_serves(const char *path)
{
	struct forkserver *fs = forkserver_connect(path);
	char out[16];
	int status;

	assert_non_null(fs);
	assert_int_equal(run_cmd(fs, "exit 7\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_int_equal(forkserver_close(fs), 0);
}

/* Listening mode: the server accepts on a socket of its own and stops when
 * the alive socket closes. Peers sending junk, lying about descriptors or
 * lengths, or leaving mid-frame, end only their own connection. */
static void test_listen_bad_peers(void **state)
{
	char dir[] = "/tmp/fs-listen-XXXXXX", path[64];
	unsigned char junk[256], hello[64];
	struct sockaddr_un sa;
	int alive, i, c;
	unsigned seed = 7;
	pid_t pid;

	(void)state;
	pid = start_listening(dir, path, sizeof path, &sa, &alive, NULL);

	for (i = 0; i < 300; i++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof junk), k;
		ssize_t got;

		c = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(c >= 0);
		assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
		got = read(c, hello, sizeof hello);
		assert_int_equal(got, FSP_HDR_SIZE + 20);
		for (k = 0; k < n; k++)
			junk[k] = (unsigned char)rand_r(&seed);
		if (i % 3 == 1) {
			/* A valid WANT first, then a frame header of random
			 * type and length. */
			struct fsp_want w = { FSP_MAGIC, FSP_VERSION, 0 };
			long wn = fsp_want_encode(&w, junk, sizeof junk);

			junk[wn] = (unsigned char)(1 + rand_r(&seed) % FSP_TYPE_LAST);
			junk[wn + 1] = (unsigned char)(rand_r(&seed) % 3);
			memset(junk + wn + 2, 0, 6);
			n = (size_t)wn + 12 + (size_t)(rand_r(&seed) % 40);
			if (n > sizeof junk)
				n = sizeof junk;
		}
		(void)send(c, junk, n, MSG_NOSIGNAL);
		close(c);
	}
	/* A peer that never sends anything stays; another still gets served. */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(c >= 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_serves(path);
	close(c);
	stop_listening(pid, alive, dir, path);
}

/* A client that stops reading and then asks for an answer: the server's
 * reply meets EPIPE, which must not raise SIGPIPE in the target, whose
 * disposition (the default here) the server leaves alone. */
static void test_listen_peer_stops_reading(void **state)
{
	char dir[] = "/tmp/fs-listen-XXXXXX", path[64];
	unsigned char hello[64], frame[FSP_HDR_SIZE];
	const struct fsp_header h = { FSP_RUN, 0, 0, 1, 0 };
	struct sockaddr_un sa;
	int alive, status, c;
	pid_t pid;

	(void)state;
	pid = start_listening(dir, path, sizeof path, &sa, &alive, NULL);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(c >= 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(read(c, hello, sizeof hello), FSP_HDR_SIZE + 20);
	assert_int_equal(shutdown(c, SHUT_RD), 0);
	/* A RUN before any WANT: the server answers with an ERROR. */
	fsp_header_encode(&h, frame);
	assert_int_equal(send(c, frame, sizeof frame, MSG_NOSIGNAL),
	                 (ssize_t)sizeof frame);
	sleep_ms(100);
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	assert_serves(path);
	close(c);
	stop_listening(pid, alive, dir, path);
}

struct impostor {
	char path[64];
	int ready;                      /* gets a byte once it listens */
};

/* As another user: listens at path and greets one client as a fork
 * server would, then reads whatever it is sent until the client leaves. */
static int impostor(void *arg)
{
	const struct fsp_hello h = { FSP_MAGIC, FSP_VERSION, FSP_VERSION, 0, 1,
	                             FSP_MAX_FDS };
	struct impostor *im = arg;
	struct sockaddr_un sa;
	unsigned char buf[256];
	long n;
	int l, c;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, im->path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(l >= 0);
	TU_CHECK(bind(l, (struct sockaddr *)&sa, sizeof sa) == 0);
	TU_CHECK(listen(l, 1) == 0);
	TU_CHECK(write(im->ready, "r", 1) == 1);
	c = accept(l, NULL, NULL);
	TU_CHECK(c >= 0);
	n = fsp_hello_encode(&h, buf, sizeof buf);
	(void)send(c, buf, (size_t)n, MSG_NOSIGNAL);
	while (read(c, buf, sizeof buf) > 0)
		;
	return 0;
}

/* Another user bound the path first, in a directory anyone may write
 * to: the client finds out before it hands anything over. */
static void test_impostor_server(void **state)
{
	const struct fs_user *u = fs_other_user();
	char dir[] = "/tmp/fs-impostor-XXXXXX", c;
	struct impostor im;
	int p[2], status;
	pid_t pid;

	(void)state;
	if (u == NULL)
		skip();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 01777), 0);
	snprintf(im.path, sizeof im.path, "%s/fs", dir);
	assert_int_equal(pipe(p), 0);
	im.ready = p[1];
	pid = fs_start_as_user(u, impostor, &im);
	assert_true(pid > 0);
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	errno = 0;
	assert_null(forkserver_connect(im.path));
	assert_int_equal(errno, EPERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(unlink(im.path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Whether process pid catches SIGCHLD, or -1 (no /proc). */
static int catches_sigchld(pid_t pid)
{
	long long mask = proc_status(pid, "SigCgt: %llx");

	return mask == -1 ? -1 : (int)((mask >> (SIGCHLD - 1)) & 1);
}

/* Starts "exit code" as a run's arguments, with no descriptor and the
 * server's directory: 0 and its id in *id, or -1 and errno. */
static int run_exit_start(struct forkserver *fs, int code, int *id)
{
	char num[16];
	const char *args[] = { "exit", num, NULL };

	snprintf(num, sizeof num, "%d", code);
	*id = forkserver_run_env(fs, NULL, NULL, 0, args, NULL,
	                         FORKSERVER_CWD_SERVER, 0, NULL);
	return *id == -1 ? -1 : 0;
}

/* The same, to its end: its raw status, or -1 and errno. */
static int run_exit(struct forkserver *fs, int code, int *status)
{
	int id;

	if (run_exit_start(fs, code, &id) == -1)
		return -1;
	return forkserver_wait(fs, id, status, 10000);
}

/* The lowest descriptor number free in process pid. */
static int lowest_free_fd(pid_t pid)
{
	char path[64];
	int fd;

	for (fd = 0; fd < 65536; fd++) {
		snprintf(path, sizeof path, "/proc/%ld/fd/%d", (long)pid, fd);
		if (access(path, F_OK) == -1)
			return fd;
	}
	return -1;
}

/* A child whose pidfd the server cannot open (it is at its descriptor
 * limit) is killed, and its run fails with that errno; its slot is free
 * again: with room for one child, the next run starts. */
static void test_unwatched_child(void **state)
{
	static char one[] = "FORKSERVER_MAX_CHILDREN=1";
	char *const env[] = { one, NULL };
	const char *hang[] = { "hang", NULL };
	char path[64];
	struct rlimit old, low;
	struct target t;
	int status, fds_before, hung, next;

	(void)state;
	start(&t, env);
	assert_int_equal(run_exit(t.fs, 3, &status), 0);
	assert_int_equal(WEXITSTATUS(status), 3);
	if (catches_sigchld(t.pid) != 0) {
		stop(&t, 0);
		fprintf(stderr, "skipped: this server learns of its children "
		        "from SIGCHLD, not pidfds\n");
		skip();
	}
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)t.pid);
	fds_before = count_dir(path);
	assert_int_equal(prlimit(t.pid, RLIMIT_NOFILE, NULL, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)lowest_free_fd(t.pid);
	assert_int_equal(prlimit(t.pid, RLIMIT_NOFILE, &low, NULL), 0);
	assert_int_equal(run_exit(t.fs, 4, &status), -1);
	assert_int_equal(errno, EMFILE);
	assert_non_null(strstr(forkserver_last_error(t.fs), "cannot watch"));
	assert_int_equal(prlimit(t.pid, RLIMIT_NOFILE, &old, NULL), 0);
	/* One child that hangs until its deadline, one run that waits for
	 * its slot and starts when the first is killed: the server counts
	 * no child too many. */
	hung = forkserver_run_env(t.fs, NULL, NULL, 0, hang, NULL,
	                          FORKSERVER_CWD_SERVER, 300, NULL);
	assert_true(hung > 0);
	assert_int_equal(run_exit_start(t.fs, 5, &next), 0);
	assert_int_equal(forkserver_wait(t.fs, hung, &status, 10000), 1);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(forkserver_wait(t.fs, next, &status, 10000), 0);
	assert_int_equal(WEXITSTATUS(status), 5);
	assert_int_equal(count_dir(path), fds_before);
	assert_true(child_count(t.pid) <= 0);
	stop(&t, 0);
}

/* A child the target started before its fork point is reaped by the
 * server too (nobody else would), and only the server's own children are
 * reported. */
static void test_target_own_child(void **state)
{
	static char own[] = "FS_TARGET_OWN_CHILD=1";
	char *const env[] = { own, NULL };
	struct target t;
	char out[16];
	int status, i;

	(void)state;
	start(&t, env);
	assert_int_equal(run_cmd(t.fs, "exit 3\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 3);
	/* A target with children of its own gets a SIGCHLD handler, pidfds
	 * or not: it may end after that run, and its end wakes the server. */
	assert_true(catches_sigchld(t.pid) != 0);
	for (i = 0; i < 500 && child_count(t.pid) > 0; i++)
		sleep_ms(10);
	assert_true(child_count(t.pid) <= 0);
	assert_int_equal(run_cmd(t.fs, "exit 4\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 4);
	stop(&t, 0);
}

/* Without pidfds (pidfd_open fails with ENOSYS in the target, as on a
 * kernel before 5.3 or another system) the server learns of its
 * children's ends from SIGCHLD: runs end with their status, and at their
 * deadline. With pidfds it leaves SIGCHLD at its default. */
static void test_without_pidfds(void **state)
{
#ifdef HAVE_SECCOMP
	struct target t;
	char cmd[16], out[16];
	const char *backend;
	int status, code;
	pid_t probe;

	(void)state;
	backend = getenv("GIVEFD_BACKEND");
	if (backend != NULL && strcmp(backend, "pidfd") == 0) {
		fprintf(stderr, "skipped: the pidfd backend needs pidfd_open\n");
		skip();
	}
	probe = fork();
	assert_true(probe != -1);
	if (probe == 0)
		_exit(deny_pidfd_open() == 0 ? 0 : 1);
	assert_int_equal(waitpid(probe, &status, 0), probe);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "skipped: seccomp cannot be loaded here\n");
		skip();
	}
	spawn_without_pidfd = 1;
	start(&t, NULL);
	spawn_without_pidfd = 0;
	assert_int_equal(catches_sigchld(t.pid), 1);
	for (code = 1; code <= 3; code++) {
		snprintf(cmd, sizeof cmd, "exit %d\n", code);
		assert_int_equal(run_cmd(t.fs, cmd, 0, &status, out, sizeof out, NULL), 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), code);
	}
	assert_int_equal(run_cmd(t.fs, "hang\n", 200, &status, out, sizeof out, NULL), 1);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	stop(&t, 0);
#ifdef HAVE_PIDFD_SYSCALLS
	code = (int)syscall(SYS_pidfd_open, getpid(), 0u);
	if (code != -1) {
		close(code);
		start(&t, NULL);
		assert_int_equal(catches_sigchld(t.pid), 0);
		assert_int_equal(run_cmd(t.fs, "exit 5\n", 0, &status, out, sizeof out, NULL), 0);
		assert_int_equal(WEXITSTATUS(status), 5);
		stop(&t, 0);
	}
#endif
#else
	(void)state;
	fprintf(stderr, "skipped: built without libseccomp (--with-seccomp)\n");
	skip();
#endif
}

/* n raw connections to sa, each greeted with HELLO, in conns. */
static void connect_greeted(const struct sockaddr_un *sa, int *conns, int n)
{
	unsigned char buf[64];
	struct fsp_header h;
	int i;

	for (i = 0; i < n; i++) {
		conns[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(conns[i] >= 0);
		assert_int_equal(connect(conns[i], (const struct sockaddr *)sa,
		                         sizeof *sa), 0);
		read_frame(conns[i], &h, buf, sizeof buf);
		assert_int_equal(h.type, FSP_HELLO);
	}
}

/* A listening server keeps 64 connections: the next client is told EBUSY
 * and closed, and once one leaves a new client gets its place. (All of
 * one user here, whose own limit is raised to all of them.) */
static void test_listen_full(void **state)
{
	static char limit[] = "FORKSERVER_USER_CONNECTIONS=64";
	char *const env[] = { limit, NULL };
	char dir[] = "/tmp/fs-full-XXXXXX", path[64], out[16];
	struct sockaddr_un sa;
	struct forkserver *fs;
	int alive, status, conns[64], i, tries;
	pid_t pid;

	(void)state;
	pid = start_listening(dir, path, sizeof path, &sa, &alive, env);
	connect_greeted(&sa, conns, 64);
	errno = 0;
	assert_null(forkserver_connect(path));
	assert_int_equal(errno, EBUSY);

	close(conns[0]);
	/* The server frees the slot when it sees the end of file. */
	for (tries = 0; (fs = forkserver_connect(path)) == NULL && tries < 200; tries++) {
		assert_int_equal(errno, EBUSY);
		sleep_ms(10);
	}
	assert_non_null(fs);
	assert_int_equal(run_cmd(fs, "exit 7\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_int_equal(forkserver_close(fs), 0);
	for (i = 1; i < 64; i++)
		close(conns[i]);
	stop_listening(pid, alive, dir, path);
}

/* As another user: connects to the server at arg and runs "exit 7", with
 * no descriptor at all, not even its directory (a handle backend does
 * not pass descriptors between users). */
static int run_exit_7(void *arg)
{
	static const char *const args[] = { "exit", "7", NULL };
	struct forkserver *fs = forkserver_connect(arg);
	int id, status;

	TU_CHECK(fs != NULL);
	id = forkserver_run_env(fs, NULL, NULL, 0, args, NULL,
	                        FORKSERVER_CWD_SERVER, 0, NULL);
	TU_CHECK(id > 0);
	TU_CHECK(forkserver_wait(fs, id, &status, -1) == 0);
	TU_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	TU_CHECK(forkserver_close(fs) == 0);
	return 0;
}

/* One user at its limit of connections (2 here) is told EBUSY for one
 * more; another user is still served. */
static void test_listen_user_limit(void **state)
{
	static char limit[] = "FORKSERVER_USER_CONNECTIONS=2";
	char *const env[] = { limit, NULL };
	char dir[] = "/tmp/fs-users-XXXXXX", path[64];
	const struct fs_user *u = fs_other_user();
	struct sockaddr_un sa;
	int alive, conns[2], i;
	pid_t pid;

	(void)state;
	if (u == NULL)
		skip();
	pid = start_listening(dir, path, sizeof path, &sa, &alive, env);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chmod(path, 0777), 0);
	connect_greeted(&sa, conns, 2);
	errno = 0;
	assert_null(forkserver_connect(path));
	assert_int_equal(errno, EBUSY);
	assert_int_equal(fs_as_user(u, run_exit_7, path), 0);
	for (i = 0; i < 2; i++)
		close(conns[i]);
	stop_listening(pid, alive, dir, path);
}

/* A connection that never answers the greeting is told ETIMEDOUT and
 * closed after FORKSERVER_HANDSHAKE_MS; one that answered stays. */
static void test_listen_handshake_deadline(void **state)
{
	static char deadline[] = "FORKSERVER_HANDSHAKE_MS=100";
	char *const env[] = { deadline, NULL };
	char dir[] = "/tmp/fs-greet-XXXXXX", path[64], out[16];
	unsigned char buf[64];
	struct sockaddr_un sa;
	struct forkserver *fs;
	struct fsp_header h;
	struct fsp_error e;
	struct pollfd p;
	int alive, c, status;
	pid_t pid;

	(void)state;
	pid = start_listening(dir, path, sizeof path, &sa, &alive, env);
	fs = forkserver_connect(path);
	assert_non_null(fs);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(c >= 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
	read_frame(c, &h, buf, sizeof buf);
	assert_int_equal(h.type, FSP_HELLO);
	/* Generous: only a server that never closes it fails. */
	p.fd = c;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 30000), 1);
	read_frame(c, &h, buf, sizeof buf);
	assert_int_equal(h.type, FSP_ERROR);
	assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &e), 0);
	assert_int_equal(e.err, ETIMEDOUT);
	assert_int_equal(read(c, buf, sizeof buf), 0);
	close(c);
	/* The greeted connection, older than the deadline, still serves. */
	assert_int_equal(run_cmd(fs, "exit 7\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_int_equal(forkserver_close(fs), 0);
	stop_listening(pid, alive, dir, path);
}

/* One frame from the server: on a message socket a message is a frame. */
static void recv_frame(int fd, int type, struct fsp_header *h,
                       unsigned char *buf, size_t cap)
{
	ssize_t n;

	if (type == SOCK_STREAM) {
		read_frame(fd, h, buf, cap);
		return;
	}
	n = recv(fd, buf, cap, 0);
	assert_true(n >= FSP_HDR_SIZE);
	assert_int_equal(fsp_header_decode(buf, (size_t)n, h), 0);
	assert_int_equal((size_t)n, FSP_HDR_SIZE + h->len);
}

/* A client of the given type that is greeted, says WANT, and stops in
 * the middle of a handle message: after its magic and part of the
 * header on a stream, after the magic's own message on a message socket. */
static int staller(const struct sockaddr_un *sa, int type)
{
	static const unsigned char part[] = { 0xc7, 'G', 'F', 'H', 2, 1, 0, 0, 0, 0 };
	struct fsp_want w = { FSP_MAGIC, FSP_VERSION, 0 };
	unsigned char buf[256];
	struct fsp_header h;
	size_t len = type == SOCK_STREAM ? sizeof part : 4;
	long n;
	int c = socket(AF_UNIX, type, 0);

	assert_true(c >= 0);
	assert_int_equal(connect(c, (const struct sockaddr *)sa, sizeof *sa), 0);
	recv_frame(c, type, &h, buf, sizeof buf);
	assert_int_equal(h.type, FSP_HELLO);
	n = fsp_want_encode(&w, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(write(c, buf, (size_t)n), n);
	assert_int_equal(write(c, part, len), (ssize_t)len);
	return c;
}

/* A peer that stops in the middle of a frame's first libgivefd message (a
 * handle message, which the receive must have whole) holds nobody else
 * up, on a stream or a message socket: another client is served while it
 * waits, and it is still connected then (the time it has,
 * FORKSERVER_FRAME_MS, is far longer here). */
static void test_listen_partial_frame(void **state)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET };
	static char frame_ms[] = "FORKSERVER_FRAME_MS=600000";
	char *const env[] = { frame_ms, NULL };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char dir[] = "/tmp/fs-partial-XXXXXX", path[64], out[16];
		struct sockaddr_un sa;
		struct forkserver *fs;
		struct pollfd p;
		int alive, status, c, o;
		pid_t pid;

		listen_type = types[i];
		pid = start_listening(dir, path, sizeof path, &sa, &alive, env);
		listen_type = SOCK_STREAM;
		c = staller(&sa, types[i]);
		o = socket(AF_UNIX, types[i], 0);
		assert_true(o >= 0);
		assert_int_equal(connect(o, (struct sockaddr *)&sa, sizeof sa), 0);
		fs = forkserver_fdopen(o);
		assert_non_null(fs);
		alarm(120);     /* a server waiting on the staller never answers */
		assert_int_equal(run_cmd(fs, "exit 7\n", 0, &status, out, sizeof out,
		                         NULL), 0);
		alarm(0);
		assert_int_equal(WEXITSTATUS(status), 7);
		assert_int_equal(forkserver_close(fs), 0);
		/* Nothing for the waiting peer yet: no error, no end of file. */
		p.fd = c;
		p.events = POLLIN;
		assert_int_equal(poll(&p, 1, 0), 0);
		close(c);
		stop_listening(pid, alive, dir, path);
	}
}

/* With a short FORKSERVER_FRAME_MS the server tells a staller ETIMEDOUT
 * and hangs up, on a stream and on a message socket. */
static void test_listen_partial_frame_deadline(void **state)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET };
	static char frame_ms[] = "FORKSERVER_FRAME_MS=50";
	char *const env[] = { frame_ms, NULL };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char dir[] = "/tmp/fs-partial-XXXXXX", path[64], tail;
		unsigned char buf[256];
		struct sockaddr_un sa;
		struct fsp_header h;
		struct fsp_error e;
		int alive, c;
		pid_t pid;

		listen_type = types[i];
		pid = start_listening(dir, path, sizeof path, &sa, &alive, env);
		listen_type = SOCK_STREAM;
		c = staller(&sa, types[i]);
		recv_frame(c, types[i], &h, buf, sizeof buf);
		assert_int_equal(h.type, FSP_ERROR);
		assert_int_equal(fsp_error_decode(buf + FSP_HDR_SIZE, h.len, &e), 0);
		assert_int_equal(e.err, ETIMEDOUT);
		assert_int_equal(read(c, &tail, 1), 0);
		close(c);
		stop_listening(pid, alive, dir, path);
	}
}

static void test_threads(void **state)
{
	static char *refuse[] = { "FS_TARGET_THREAD=1", "FORKSERVER_THREADS=refuse", NULL };
	static char *warn[] = { "FS_TARGET_THREAD=1", NULL };
	struct forkserver *fs;
	struct target t;
	char out[16];
	int chan, status;
	pid_t pid;

	(void)state;
	if (count_dir("/proc/self/task") < 1) {
		fprintf(stderr, "# no /proc/self/task: thread detection not checked\n");
		return;
	}
	pid = spawn(late_target, &chan, refuse);
	fs = forkserver_fdopen(chan);
	assert_null(fs);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);

	start(&t, warn); /* serves, with a warning */
	assert_int_equal(run_cmd(t.fs, "exit 5\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 5);
	stop(&t, 0);
}

static void test_crash_before_ready(void **state)
{
	static char *crash[] = { "FS_TARGET_CRASH=1", NULL };
	int chan, status;
	pid_t pid;

	(void)state;
	pid = spawn(late_target, &chan, crash);
	assert_null(forkserver_fdopen(chan));
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* The plain target with the preload module: started from the
 * constructor, before main. */
static void test_early_start(void **state)
{
	char env[4200];
	char *envs[] = { env, NULL };
	struct target t;
	char out[64];
	int status, chan;

	(void)state;
#ifdef GIVEFD_SANITIZED
	fprintf(stderr, "skipped: the preload module of a sanitized build cannot "
	        "load into a plain program (the runtime must come first)\n");
	skip();
#endif
#ifndef FORKSERVER_PRELOAD_BUILT
	fprintf(stderr, "skipped: no preload module in a static-only build\n");
	skip();
#endif
	snprintf(env, sizeof env, "LD_PRELOAD=%s", preload_lib);
	t.pid = spawn(plain_target, &chan, envs);
	t.fs = forkserver_fdopen(chan);
	if (t.fs == NULL) {
		fprintf(stderr, "# the preload module did not start (%s)\n", strerror(errno));
		fail();
	}
	assert_int_equal(run_cmd(t.fs, "echo\nearly\n", 0, &status, out, sizeof out, NULL), 0);
	assert_string_equal(out, "early\n");
	assert_int_equal(run_cmd(t.fs, "exit 77\n", 0, &status, out, sizeof out, NULL), 0);
	assert_int_equal(WEXITSTATUS(status), 77);
	stop(&t, 0);
}

/* A target driven as Centipede drives it: its two FIFOs in dir, and this
 * test's ends of them. */
struct centipede {
	char dir[32], f0[64], f1[64];
	int w, r;
	pid_t pid;
};

static void centipede_dir(struct centipede *c)
{
	snprintf(c->dir, sizeof c->dir, "/tmp/fs-cent-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	snprintf(c->f0, sizeof c->f0, "%s/fifo0", c->dir);
	snprintf(c->f1, sizeof c->f1, "%s/fifo1", c->dir);
	assert_int_equal(mkfifo(c->f0, 0600), 0);
	assert_int_equal(mkfifo(c->f1, 0600), 0);
}

/* Starts the late-start target, which runs "print-exit 3", with stdout
 * and stderr at out and err, and SIGCHLD ignored when asked. */
static void centipede_start(struct centipede *c, int out, int err,
                            int ignore_sigchld)
{
	char e0[100], e1[100];
	char *env[] = { e0, e1, "FS_TARGET_CMD=print-exit 3", NULL };

	snprintf(e0, sizeof e0, "CENTIPEDE_FORK_SERVER_FIFO0=%s", c->f0);
	snprintf(e1, sizeof e1, "CENTIPEDE_FORK_SERVER_FIFO1=%s", c->f1);
	c->pid = fork();
	assert_true(c->pid != -1);
	if (c->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		char **ep;

		if (null == -1 || dup2(null, 0) == -1 || dup2(out, 1) == -1 ||
		    dup2(err, 2) == -1)
			_exit(120);
		for (ep = env; *ep != NULL; ep++)
			putenv(*ep);
		if (ignore_sigchld)
			signal(SIGCHLD, SIG_IGN);  /* exec keeps it ignored */
		execl(late_target, late_target, (char *)NULL);
		_exit(121);
	}
	c->w = open(c->f0, O_WRONLY);
	assert_true(c->w >= 0);
	c->r = open(c->f1, O_RDONLY);
	assert_true(c->r >= 0);
}

/* n runs, each of which must have exited 3. */
static void centipede_runs(struct centipede *c, int n)
{
	int i, status;

	for (i = 0; i < n; i++) {
		assert_int_equal(write(c->w, "x", 1), 1);
		assert_int_equal(read(c->r, &status, sizeof status), (ssize_t)sizeof status);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 3);
	}
}

/* End of file on FIFO0: the server exits 0. Removes the FIFOs and dir
 * (the caller has removed what else it put there). */
static void centipede_stop(struct centipede *c)
{
	int status;

	close(c->w);
	close(c->r);
	assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	unlink(c->f0);
	unlink(c->f1);
	assert_int_equal(rmdir(c->dir), 0);
}

static void test_centipede(void **state)
{
	struct centipede c;
	char outp[64], errp[64], buf[256];
	int outfd, errfd;
	ssize_t n;

	(void)state;
	centipede_dir(&c);
	snprintf(outp, sizeof outp, "%s/out", c.dir);
	snprintf(errp, sizeof errp, "%s/err", c.dir);
	/* Both files: the server truncates them, which must not reach this
	 * test's own log. */
	outfd = open(outp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(outfd >= 0);
	errfd = open(errp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(errfd >= 0);
	centipede_start(&c, outfd, errfd, 0);
	centipede_runs(&c, 3);
	/* stdout was a file: it holds only the last run's line. */
	n = pread(outfd, buf, sizeof buf - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "run of pid"));
	assert_non_null(strchr(buf, '\n'));
	assert_string_equal(strchr(buf, '\n'), "\n");
	n = pread(errfd, buf, sizeof buf - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(strchr(buf, '\n'), "\n");
	close(outfd);
	close(errfd);
	unlink(outp);
	unlink(errp);
	centipede_stop(&c);
}

/* A target started with SIGCHLD ignored still learns its children's
 * statuses in the Centipede mode: with SIGCHLD ignored the kernel would
 * reap them, and waitpid find none. */
static void test_centipede_sigchld_ignored(void **state)
{
	struct centipede c;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	(void)state;
	assert_true(null >= 0);
	centipede_dir(&c);
	centipede_start(&c, null, null, 1);
	close(null);
	centipede_runs(&c, 2);
	centipede_stop(&c);
}

int main(void)
{
	const char *b = getenv("top_builddir");
	const struct CMUnitTest tests[] = {
		TU_TEST(test_exit_codes),
		TU_TEST(test_signals),
		TU_TEST(test_stdin_to_stdout),
		TU_TEST(test_fds_at_numbers),
		TU_TEST(test_setup_failure),
		TU_TEST(test_signal_reset),
		TU_TEST(test_seqpacket),
		TU_TEST(test_bad_requests),
		TU_TEST(test_args),
		TU_TEST(test_env_and_dir),
		TU_TEST(test_deadline),
		TU_TEST(test_grandchildren),
		TU_TEST(test_signal_and_kill),
		TU_TEST(test_controller_leaves),
		TU_TEST(test_server_killed),
		TU_TEST(test_concurrent),
		TU_TEST(test_many_runs),
		TU_TEST(test_bad_frames),
		TU_TEST(test_quiet_raw),
		TU_TEST(test_keep_cwd_server),
		TU_TEST(test_keep_cwd_client),
		TU_TEST(test_keep_cwd_persistent),
		TU_TEST(test_persistent_fresh_stdin),
		TU_TEST(test_many_at_once),
		TU_TEST(test_fds_beside_others),
		TU_TEST(test_unwatched_child),
		TU_TEST(test_quiet_failure),
		TU_TEST(test_listen_bad_peers),
		TU_TEST(test_listen_peer_stops_reading),
		TU_TEST(test_impostor_server),
		TU_TEST(test_target_own_child),
		TU_TEST(test_without_pidfds),
		TU_TEST(test_listen_full),
		TU_TEST(test_listen_partial_frame),
		TU_TEST(test_listen_partial_frame_deadline),
		TU_TEST(test_listen_user_limit),
		TU_TEST(test_listen_handshake_deadline),
		TU_TEST(test_threads),
		TU_TEST(test_crash_before_ready),
		TU_TEST(test_early_start),
		TU_TEST(test_centipede),
		TU_TEST(test_centipede_sigchld_ignored),
	};

	if (b == NULL)
		b = ".";
	snprintf(late_target, sizeof late_target, "%s/tests/forkserver/fs_target_late", b);
	snprintf(plain_target, sizeof plain_target, "%s/tests/forkserver/fs_target_plain", b);
	snprintf(persist_target, sizeof persist_target, "%s/tests/forkserver/fs_persist", b);
	snprintf(preload_lib, sizeof preload_lib, "%s/.libs/forkserver-preload.so", b);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

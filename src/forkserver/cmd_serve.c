/* SPDX-License-Identifier: ISC */
/*
 * cmd_serve.c: forkserver serve. Creates the listening socket, starts the
 * target with the fork server in it (the target's server accepts on the
 * socket itself; this process only watches), waits until it is ready,
 * and until a signal or the target's end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "environ.h"
#include "monoclock.h"
#include "unixsock.h"

#ifndef FORKSERVER_PRELOAD_PATH
#define FORKSERVER_PRELOAD_PATH "forkserver-preload.so"
#endif

#define READY_SECONDS 60        /* default of --ready-timeout */
#define FIRST_READ_SOON_MS 20   /* a first read this soon: little saved */
#define STOP_GRACE_MS 5000      /* from SIGTERM to SIGKILL for a target not ready */

const char serve_usage[] =
"usage: forkserver serve --socket PATH [--max-children N] [--no-preload]\n"
"                        [--lazy-binding] [--ready-timeout SECONDS]\n"
"                        [--handshake-timeout SECONDS]\n"
"                        [--max-user-connections N] [--first-read]\n"
"                        [--persistent] [--no-gc-freeze]\n"
"                        -- TARGET [ARGS...]\n";

const char serve_help[] =
"Starts TARGET once with a fork server in it, listening at PATH (mode\n"
"0600), which forks a copy of it for every run.\n"
"  -s, --socket PATH       the Unix socket to listen on (in a directory only\n"
"                          you can write to: $XDG_RUNTIME_DIR, not /tmp)\n"
"  -m, --max-children N    children running at once (default 16)\n"
"      --no-preload        the target calls forkserver_start() itself\n"
"      --lazy-binding      do not set LD_BIND_NOW=1 for the target (set by\n"
"                          default, so that symbols are bound once and not\n"
"                          in every child; the children do not inherit it)\n"
"  -r, --ready-timeout SECONDS\n"
"                          stop the target if its fork server is not ready\n"
"                          after this (default 60; 0: wait for ever)\n"
"      --handshake-timeout SECONDS\n"
"                          close a connection that has not answered the\n"
"                          greeting after this (default 5)\n"
"      --max-user-connections N\n"
"                          connections one user may have at once, 1 to 64\n"
"                          (default 16)\n"
"      --first-read        fork at the target's first read of its standard\n"
"                          input, not as it starts (with the preload module)\n"
"      --persistent        children may serve several runs each\n"
"                          (forkserver_loop(); else it serves one)\n"
"      --no-gc-freeze      with --first-read, leave a Python target's\n"
"                          collector alone (default: gc.freeze() at the\n"
"                          fork point, so children do not copy its heap)\n"
"  -h, --help              this text\n"
"Environment: FORKSERVER_PRELOAD (the preload module, default the\n"
"installed one), FORKSERVER_THREADS=warn|refuse|ignore (in the target).\n";

struct serve_opts {
	const char *path;
	int max_children;       /* 0: the server's default */
	int preload, bind_now;
	unsigned ready_ms;
	unsigned handshake_ms;  /* 0: the server's default */
	int user_conns;         /* 0: the server's default */
	int first_read;         /* fork at the first read of stdin */
	int gc_freeze;          /* gc.freeze() a Python target there */
	int persistent;         /* children may loop */
	char **target;
};

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct serve_opts *o)
{
	enum { NO_PRELOAD = 256, LAZY, HANDSHAKE, USER_CONNS, FIRST_READ,
	       PERSISTENT, NO_GC_FREEZE };
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "max-children", required_argument, NULL, 'm' },
		{ "ready-timeout", required_argument, NULL, 'r' },
		{ "no-preload", no_argument, NULL, NO_PRELOAD },
		{ "lazy-binding", no_argument, NULL, LAZY },
		{ "handshake-timeout", required_argument, NULL, HANDSHAKE },
		{ "max-user-connections", required_argument, NULL, USER_CONNS },
		{ "first-read", no_argument, NULL, FIRST_READ },
		{ "persistent", no_argument, NULL, PERSISTENT },
		{ "no-gc-freeze", no_argument, NULL, NO_GC_FREEZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct fs_setting_def *kids = &fs_settings[FS_SET_MAX_CHILDREN];
	const struct fs_setting_def *conns = &fs_settings[FS_SET_USER_CONNS];
	int c;

	memset(o, 0, sizeof *o);
	o->preload = o->bind_now = o->gc_freeze = 1;
	o->ready_ms = READY_SECONDS * 1000;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+s:m:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->path = optarg;
			break;
		case 'm':
			if (cmd_parse_int(optarg, (int)kids->min, (int)kids->max,
			                  &o->max_children) == -1)
				return cmd_bad_value("--max-children", optarg);
			break;
		case 'r':
			if (cmd_parse_seconds(optarg, &o->ready_ms) == -1)
				return cmd_bad_value("--ready-timeout", optarg);
			break;
		case NO_PRELOAD:
			o->preload = 0;
			break;
		case LAZY:
			o->bind_now = 0;
			break;
		case HANDSHAKE:
			if (cmd_parse_seconds(optarg, &o->handshake_ms) == -1 ||
			    o->handshake_ms == 0 || o->handshake_ms > INT_MAX)
				return cmd_bad_value("--handshake-timeout", optarg);
			break;
		case USER_CONNS:
			if (cmd_parse_int(optarg, (int)conns->min, (int)conns->max,
			                  &o->user_conns) == -1)
				return cmd_bad_value("--max-user-connections", optarg);
			break;
		case FIRST_READ:
#ifndef __linux__
			fprintf(stderr, "forkserver: --first-read works on Linux"
			        " only\n");
			return EXIT_USAGE;
#endif
			o->first_read = 1;
			break;
		case PERSISTENT:
			o->persistent = 1;
			break;
		case NO_GC_FREEZE:
			o->gc_freeze = 0;
			break;
		case 'h':
			fputs(serve_usage, stdout);
			fputs(serve_help, stdout);
			return 0;
		default:
			return cmd_bad_option("serve", argv, serve_usage);
		}
	}
	if (o->path == NULL || optind >= argc) {
		fprintf(stderr, "forkserver: serve needs --socket PATH and a"
		        " target\n%s", serve_usage);
		return EXIT_USAGE;
	}
	o->target = argv + optind;
	if (o->first_read && !o->preload) {
		fprintf(stderr, "forkserver: --first-read needs the preload"
		        " module: it cannot go with --no-preload\n");
		return EXIT_USAGE;
	}
	return -1;
}

/* A listening socket at path, mode 0600; one left over from a server
 * that is gone is replaced. Inherited by the target, so not
 * close-on-exec. -1 and errno on failure. */
static int listen_at(const char *path)
{
	int fd = util_bind_unix(path, 0);

	if (fd != -1 && listen(fd, 64) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Says where a build tree keeps the module, if argv0 is in one (libtool
 * runs the program itself from .libs, beside the module). */
static void hint_build_tree(const char *argv0)
{
	static const char *const where[] = { "/.libs/", "/" };
	const char *slash = strrchr(argv0, '/');
	char here[4096];
	size_t i;

	for (i = 0; slash != NULL && i < sizeof where / sizeof where[0]; i++) {
		int n = snprintf(here, sizeof here, "%.*s%sforkserver-preload.so",
		                 (int)(slash - argv0), argv0, where[i]);

		if (n > 0 && (size_t)n < sizeof here && access(here, R_OK) == 0) {
			fprintf(stderr, "forkserver: (this build's module: "
			        "FORKSERVER_PRELOAD=%s)\n", here);
			return;
		}
	}
}

/* The preload module to put in the target, or NULL for none. */
static const char *find_preload(const struct serve_opts *o, const char *argv0)
{
	const char *preload = getenv("FORKSERVER_PRELOAD");
	int set = preload != NULL && *preload != '\0';

	if (!o->preload)
		return NULL;
	if (!set)
		preload = FORKSERVER_PRELOAD_PATH;
	if (access(preload, R_OK) == -1) {
		fprintf(stderr, "forkserver: warning: no preload module at %s%s;"
		        " set FORKSERVER_PRELOAD to its path, or the target must"
		        " call forkserver_start() (--no-preload)\n", preload,
		        set ? " (FORKSERVER_PRELOAD)" : "");
		if (!set)
			hint_build_tree(argv0);
		return NULL;
	}
	return preload;
}

/* LD_PRELOAD with the module first: 0, or -1 and errno. */
static int lend_preload(const char *preload)
{
	const char *old = getenv("LD_PRELOAD");
	size_t len = strlen(preload) + (old != NULL ? strlen(old) : 0) + 2;
	char *both = malloc(len);
	int r;

	if (both == NULL)
		return -1;
	snprintf(both, len, "%s%s%s", preload,
	         old != NULL && *old != '\0' ? " " : "", old != NULL ? old : "");
	r = fs_env_lend("LD_PRELOAD", both);
	free(both);
	return r;
}

/* In the child of serve: the target, with its settings, and what serve
 * lends it alone (the fork server gives the caller's values back). */
static void start_target(const struct serve_opts *o, int lfd, int alive,
                         const char *preload, const sigset_t *mask)
{
	int ok = fs_setting_put(FS_SET_FD, lfd) == 0 &&
	         fs_setting_put(FS_SET_ALIVE, alive) == 0 &&
	         (o->max_children == 0 ||
	          fs_setting_put(FS_SET_MAX_CHILDREN, o->max_children) == 0) &&
	         (o->handshake_ms == 0 ||
	          fs_setting_put(FS_SET_HANDSHAKE_MS, (long)o->handshake_ms) == 0) &&
	         (o->user_conns == 0 ||
	          fs_setting_put(FS_SET_USER_CONNS, o->user_conns) == 0);

	if (ok && o->first_read)
		ok = fs_setting_put(FS_SET_FIRST_READ, (long)getpid()) == 0;
	if (ok && o->persistent)
		ok = fs_setting_put(FS_SET_LOOP, 1) == 0;
	if (ok && !o->gc_freeze)
		ok = fs_setting_put(FS_SET_GC_FREEZE, 0) == 0;
	if (ok && o->bind_now && getenv("LD_BIND_NOW") == NULL)
		ok = fs_env_lend("LD_BIND_NOW", "1") == 0;
	if (ok && preload != NULL)
		ok = lend_preload(preload) == 0;
	/* A stop signal that came since the fork was held: it ends us now. */
	cmd_catch(SIGINT, SIG_DFL);
	cmd_catch(SIGTERM, SIG_DFL);
	cmd_catch(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (ok)
		execvp(o->target[0], o->target);
	fprintf(stderr, "forkserver: cannot run %s: %s\n", o->target[0],
	        strerror(errno));
	_exit(127);
}

static void describe(const char *what, const char *target, int status)
{
	if (WIFEXITED(status))
		fprintf(stderr, "forkserver: %s %s exited with status %d\n",
		        target, what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "forkserver: %s %s was killed by signal %d%s\n",
		        target, what, WTERMSIG(status),
		        WCOREDUMP(status) ? " (core dumped)" : "");
}

/* Waits for the target's ready byte on fd, at most timeout_ms (0: no
 * limit). Returns 1 when it came, 0 when the target closed its end (it
 * ended), -1 on a signal of ours (or poll failing), -2 at the deadline. */
static int wait_ready(int fd, unsigned timeout_ms)
{
	long long deadline = util_now_ms() + timeout_ms;
	char ready;

	for (;;) {
		struct pollfd p[2];
		long long left = deadline - util_now_ms();
		int r;

		if (cmd_got_signal != 0)
			return -1;
		if (timeout_ms > 0 && left <= 0)
			return -2;
		p[0].fd = fd;
		p[0].events = POLLIN;
		p[1].fd = cmd_sig_pipe[0];
		p[1].events = POLLIN;
		r = poll(p, 2, timeout_ms == 0 ? -1 : left > INT_MAX ? INT_MAX : (int)left);
		if (r == -1 && errno != EINTR)
			return -1;
		if (r > 0 && p[0].revents != 0) {
			ssize_t n = read(fd, &ready, 1);

			if (n == -1 && errno == EINTR)
				continue;
			return n == 1;
		}
	}
}

/* Stopped by a signal before the target was ready: SIGTERM, and SIGKILL
 * if it has not ended STOP_GRACE_MS later (it may catch SIGTERM before it
 * reaches forkserver_start()). Reaps it into *status. */
static void stop_target(pid_t pid, int *status)
{
	long long deadline = util_now_ms() + STOP_GRACE_MS;

	kill(pid, SIGTERM);
	while (util_now_ms() < deadline) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r == -1 && errno != EINTR))
			return;
		poll(NULL, 0, 10);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
}

/* The target did not become ready (wait_ready's r): stops it, says why,
 * and returns serve's exit status. */
static int not_ready(const struct serve_opts *o, pid_t pid, int r)
{
	int status;

	if (r == -1) {
		stop_target(pid, &status);
		unlink(o->path);
		return 1;
	}
	if (r == -2) {
		if (o->first_read)
			fprintf(stderr, "forkserver: %s did not read its standard"
			        " input within %.3g seconds; stopping it (a slower"
			        " start needs a longer --ready-timeout)\n",
			        o->target[0], o->ready_ms / 1000.0);
		else
			fprintf(stderr, "forkserver: %s was not ready after %.3g"
			        " seconds; stopping it (does it reach"
			        " forkserver_start()? a slower start needs a longer"
			        " --ready-timeout)\n", o->target[0],
			        o->ready_ms / 1000.0);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	unlink(o->path);
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		/* start_target said why it could not run it. */
	} else if (r == 0 && o->first_read) {
		describe("before it read its standard input:", o->target[0],
		         status);
		fprintf(stderr, "forkserver: (with --first-read the fork server"
		        " starts at the target's first read of standard input;"
		        " this target never read it, or read it another way than"
		        " read, readv, pread, stdio, poll or select)\n");
	} else if (r == 0) {
		describe("before the fork server was ready:", o->target[0], status);
		fprintf(stderr, "forkserver: (does it call forkserver_start(),"
		        " or is it linked dynamically for the preload"
		        " library?)\n");
	}
	return 1;
}

/* With --first-read: how long the target took to its first read of
 * standard input, which is what each run saves; a target that reads at
 * once probably does its expensive work after that read. */
static void say_fork_point(const char *target, long long ms)
{
	fprintf(stderr, "forkserver: %s first read its standard input after"
	        " %lld ms: the fork point\n", target, ms);
	if (ms < FIRST_READ_SOON_MS)
		fprintf(stderr, "forkserver: warning: that is almost at once: if"
		        " %s does its expensive work after it reads its input,"
		        " --first-read saves little\n", target);
}

/* Ready: until a signal or the target's end. Then the target's server
 * sees our end of the alive socket close, kills its children and exits. */
static int watch(const struct serve_opts *o, pid_t pid, int alive)
{
	int status;

	for (;;) {
		struct pollfd p[2];

		p[0].fd = alive;
		p[0].events = POLLIN;
		p[1].fd = cmd_sig_pipe[0];
		p[1].events = POLLIN;
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			break;
		if (cmd_got_signal != 0 || p[0].revents != 0)
			break;
	}
	close(alive);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	unlink(o->path);
	if (cmd_got_signal != 0)
		return 0;
	describe("ended:", o->target[0], status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int serve_main(int argc, char **argv)
{
	struct serve_opts o;
	char program[4096];
	const char *preload;
	long long started;
	int lfd, pair[2], r;
	sigset_t stops, mask;
	pid_t pid;

	r = parse(argc, argv, &o);
	if (r >= 0)
		return r;
	if (cmd_find_program(o.target[0], program, sizeof program) == -1) {
		fprintf(stderr, "forkserver: cannot run %s: %s\n", o.target[0],
		        errno == ENOENT ? "no such program" : strerror(errno));
		return 127;
	}
	if (o.preload)          /* else the server starts where it is called */
		(void)cmd_check_script(program, o.first_read);
	preload = find_preload(&o, cmd_argv0);
	if (o.first_read && preload == NULL)
		return 1;       /* find_preload said why */
	lfd = listen_at(o.path);
	if (lfd == -1) {
		fprintf(stderr, "forkserver: cannot listen at %s: %s\n", o.path,
		        strerror(errno));
		return 1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1 ||
	    pipe(cmd_sig_pipe) == -1) {
		perror("forkserver");
		unlink(o.path);
		return 1;
	}
	fcntl(pair[0], F_SETFD, FD_CLOEXEC);
	fcntl(cmd_sig_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(cmd_sig_pipe[1], F_SETFD, FD_CLOEXEC);
	fcntl(cmd_sig_pipe[1], F_SETFL, O_NONBLOCK);
	cmd_catch(SIGINT, cmd_on_signal);
	cmd_catch(SIGTERM, cmd_on_signal);
	cmd_catch(SIGHUP, cmd_on_signal);
	/* Until the child has put back the default actions, a stop signal
	 * sent to it would only reach our handler's copy and be lost. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &mask);
	fflush(NULL);
	started = util_now_ms();
	pid = fork();
	if (pid == 0) {
		close(pair[0]);
		start_target(&o, lfd, pair[1], preload, &mask);
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (pid == -1) {
		perror("forkserver: fork");
		unlink(o.path);
		return 1;
	}
	close(lfd);
	close(pair[1]);
	r = wait_ready(pair[0], o.ready_ms);
	if (r != 1)
		return not_ready(&o, pid, r);
	if (o.first_read)
		say_fork_point(o.target[0], util_now_ms() - started);
	return watch(&o, pid, pair[0]);
}

/* SPDX-License-Identifier: ISC */
/*
 * cmd_run.c: forkserver run. Asks the server at a socket for one child
 * with the caller's descriptors, passes on the caller's terminating
 * signals, and exits as the child did.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "forkserver.h"

#define EXIT_OWN_FAILURE 125
#define EXIT_TIMEDOUT 124       /* as timeout(1) */
#define MAX_FD_ARGS 64
#define MAX_ENV_ARGS 256

const char run_usage[] =
"usage: forkserver run --socket PATH [--timeout SECONDS] [--fd N=M ...]\n"
"                      [-e NAME=VALUE ...] [--server-dir] [-- ARG...]\n";

const char run_help[] =
"Runs one child of the fork server at PATH with the caller's stdin, stdout\n"
"and stderr, and exits as it did: same code, same signal; 125 when it\n"
"could not run it, 124 when --timeout killed it. SIGINT, SIGTERM, SIGHUP\n"
"and SIGQUIT go to the child, which starts in the caller's directory.\n"
"  -s, --socket PATH       the server's socket (a server of another user\n"
"                          than the caller, root excepted, is refused)\n"
"  -t, --timeout SECONDS   the server kills the child's group after this\n"
"      --fd N=M            the caller's descriptor N becomes M in the child\n"
"                          (repeatable; stdin, stdout, stderr by default)\n"
"  -e, --env NAME=VALUE    sets NAME in the child's environment (repeatable;\n"
"                          the rest is the server's)\n"
"      --server-dir        the child starts in the server's working directory\n"
"  -h, --help              this text\n"
"  -- ARG...               per-run arguments, for a late-start target\n";

struct run_opts {
	const char *path;
	unsigned timeout_ms;
	int fds[MAX_FD_ARGS], targets[MAX_FD_ARGS];
	size_t n;
	const char *const *args;
	const char *env[MAX_ENV_ARGS + 1];
	size_t nenv;
	int server_dir;
};

/* Exits the way the child did: same code, or death by the same signal
 * (without a core file of our own). */
static void exit_like(int status)
{
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	if (WIFSIGNALED(status)) {
		struct rlimit none = { 0, 0 };
		int sig = WTERMSIG(status);
		sigset_t set;

		fflush(NULL);
		(void)setrlimit(RLIMIT_CORE, &none);
		cmd_catch(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	exit(EXIT_OWN_FAILURE);
}

/* --fd N=M: N, open here, becomes M in the child, in place of what M
 * was to be. 0, or -1 after saying why. */
static int add_fd(struct run_opts *o, const char *v)
{
	const char *eq = strchr(v, '=');
	char from[16];
	int a, b;
	size_t j;

	if (eq == NULL || (size_t)(eq - v) >= sizeof from) {
		fprintf(stderr, "forkserver: --fd wants N=M, got %s\n", v);
		return -1;
	}
	memcpy(from, v, (size_t)(eq - v));
	from[eq - v] = '\0';
	if (cmd_parse_int(from, 0, INT_MAX, &a) == -1 ||
	    cmd_parse_int(eq + 1, 0, INT_MAX, &b) == -1 ||
	    fcntl(a, F_GETFD) == -1) {
		fprintf(stderr, "forkserver: --fd %s: not an open descriptor N"
		        " and a number M\n", v);
		return -1;
	}
	for (j = 0; j < o->n && o->targets[j] != b; j++)
		;
	if (j == o->n && o->n == MAX_FD_ARGS) {
		fprintf(stderr, "forkserver: too many --fd\n");
		return -1;
	}
	o->fds[j] = a;
	o->targets[j] = b;
	if (j == o->n)
		o->n++;
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fd", required_argument, NULL, 'f' },
		{ "env", required_argument, NULL, 'e' },
		{ "server-dir", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, fd;

	memset(o, 0, sizeof *o);
	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1) {
			o->fds[o->n] = fd;
			o->targets[o->n++] = fd;
		}
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+s:t:e:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->path = optarg;
			break;
		case 't':
			if (cmd_parse_seconds(optarg, &o->timeout_ms) == -1)
				return cmd_bad_value("--timeout", optarg);
			break;
		case 'f':
			if (add_fd(o, optarg) == -1)
				return EXIT_USAGE;
			break;
		case 'e':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=') {
				fprintf(stderr, "forkserver: --env wants NAME=VALUE,"
				        " got %s\n", optarg);
				return EXIT_USAGE;
			}
			if (o->nenv == MAX_ENV_ARGS) {
				fprintf(stderr, "forkserver: too many --env\n");
				return EXIT_USAGE;
			}
			o->env[o->nenv++] = optarg;
			break;
		case 'D':
			o->server_dir = 1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			fputs(run_help, stdout);
			return 0;
		default:
			return cmd_bad_option("run", argv, run_usage);
		}
	}
	/* What follows "--" travels with the run. */
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "forkserver: run: unknown argument %s\n%s",
		        argv[optind], run_usage);
		return EXIT_USAGE;
	}
	if (optind < argc)
		o->args = (const char *const *)argv + optind;
	if (o->path == NULL) {
		fprintf(stderr, "forkserver: run needs --socket PATH\n%s", run_usage);
		return EXIT_USAGE;
	}
	return -1;
}

/* forkserver_connect refused a server of another user. */
static void refuse_owner(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		fprintf(stderr, "forkserver: %s belongs to uid %ld, not to you"
		        " (uid %ld) or root: nothing was handed to it\n", path,
		        (long)st.st_uid, (long)geteuid());
	else
		fprintf(stderr, "forkserver: the fork server at %s runs as"
		        " another user: nothing was handed to it\n", path);
}

static void connect_failed(const char *path)
{
	int err = errno;

	if (err == ENOENT || err == ECONNREFUSED)
		fprintf(stderr, "forkserver: no fork server at %s (%s);"
		        " start one with 'forkserver serve'\n", path, strerror(err));
	else if (err == ECONNRESET || err == EPIPE)
		fprintf(stderr, "forkserver: the fork server at %s closed the"
		        " connection before greeting: its target died before it"
		        " was ready?\n", path);
	else if (err == EPERM)
		refuse_owner(path);
	else if (err == EBUSY)
		fprintf(stderr, "forkserver: the fork server at %s has as many"
		        " connections as it takes; try again\n", path);
	else
		fprintf(stderr, "forkserver: %s: %s\n", path, strerror(err));
}

/* Says why a run failed, in the server's words when it gave some, and
 * closes the connection. */
static void run_failed(struct forkserver *fs)
{
	int err = errno;
	const char *why = forkserver_last_error(fs);

	if (*why != '\0')
		fprintf(stderr, "forkserver: run: %s: %s\n", why, strerror(err));
	else if (err == EPROTONOSUPPORT)
		fprintf(stderr, "forkserver: run: the fork server speaks protocol"
		        " version 1 only, which carries no --env\n");
	else
		fprintf(stderr, "forkserver: lost the fork server: %s\n",
		        strerror(err));
	forkserver_close(fs);
}

int run_main(int argc, char **argv)
{
	struct forkserver *fs;
	struct run_opts o;
	int id, status, r, dir;

	r = parse(argc, argv, &o);
	if (r >= 0)
		return r;
	/* Our signals of termination go to the child, also those that come
	 * before it exists. */
	cmd_catch(SIGINT, cmd_on_signal);
	cmd_catch(SIGTERM, cmd_on_signal);
	cmd_catch(SIGHUP, cmd_on_signal);
	cmd_catch(SIGQUIT, cmd_on_signal);
	/* The child's directory is ours, unless told otherwise; the library
	 * opens it (and leaves it out for a server of version 1): tried here
	 * first, to say what is wrong with it. */
	dir = FORKSERVER_CWD_SERVER;
	if (!o.server_dir) {
		dir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir == -1) {
			fprintf(stderr, "forkserver: run: cannot open the working"
			        " directory for the child: %s (--server-dir runs"
			        " it in the server's)\n", strerror(errno));
			return EXIT_OWN_FAILURE;
		}
		close(dir);
		dir = FORKSERVER_CWD_CALLER;
	}
	fs = forkserver_connect(o.path);
	if (fs == NULL) {
		connect_failed(o.path);
		return EXIT_OWN_FAILURE;
	}
	id = forkserver_run_env(fs, o.fds, o.targets, o.n, o.args,
	                        o.nenv > 0 ? o.env : NULL, dir, o.timeout_ms,
	                        NULL);
	if (id == -1) {
		run_failed(fs);
		return EXIT_OWN_FAILURE;
	}
	while ((r = forkserver_wait(fs, id, &status, 100)) == -1) {
		if (errno != ETIMEDOUT && errno != EINTR) {
			run_failed(fs);
			return EXIT_OWN_FAILURE;
		}
		if (cmd_got_signal != 0) {
			(void)forkserver_signal(fs, id, cmd_got_signal);
			cmd_got_signal = 0;
		}
	}
	forkserver_close(fs);
	/* Killed at its deadline: 124, as timeout(1) says, whatever the
	 * signal (a child that ended by itself in time is not affected). */
	if (r == 1) {
		fprintf(stderr, "forkserver: the child timed out and was killed\n");
		exit(EXIT_TIMEDOUT);
	}
	exit_like(status);
	return EXIT_OWN_FAILURE;
}

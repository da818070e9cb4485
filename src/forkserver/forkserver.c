/*
 * forkserver.c: the forkserver command. "serve" starts a target under the
 * fork server on a listening Unix socket it creates (the target's own
 * server accepts on it; this process only watches); "run" asks that
 * server for one child with the caller's descriptors and exits as the
 * child did.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "environ.h"
#include "forkserver.h"

#ifndef FORKSERVER_PRELOAD_PATH
#define FORKSERVER_PRELOAD_PATH "forkserver-preload.so"
#endif

#define EXIT_OWN_FAILURE 125
#define MAX_FD_ARGS 64
#define READY_SECONDS 60        /* default of serve --ready-timeout */

static const char usage[] =
"usage: forkserver serve --socket PATH [--max-children N] [--no-preload]\n"
"                        [--lazy-binding] [--ready-timeout SECONDS]\n"
"                        -- TARGET [ARGS...]\n"
"       forkserver run --socket PATH [--timeout SECONDS] [--fd N=M ...]\n"
"                      [-- ARG...]\n"
"       forkserver --help | --version\n";

static const char help[] =
"Starts TARGET once and forks a copy of it for every run.\n"
"serve:\n"
"  -s, --socket PATH       the Unix socket to listen on\n"
"  -m, --max-children N    children running at once (default 16)\n"
"      --no-preload        the target calls forkserver_start() itself\n"
"      --lazy-binding      do not set LD_BIND_NOW=1 for the target (set by\n"
"                          default, so that symbols are bound once and not\n"
"                          in every child; the children do not inherit it)\n"
"  -r, --ready-timeout SECONDS\n"
"                          stop the target if its fork server is not ready\n"
"                          after this (default 60; 0: wait for ever)\n"
"run (exits as the child did: same code, same signal; 125 on own errors):\n"
"  -s, --socket PATH       the server's socket\n"
"  -t, --timeout SECONDS   the server kills the child's group after this\n"
"      --fd N=M            the caller's descriptor N becomes M in the child\n"
"                          (repeatable; stdin, stdout, stderr by default)\n"
"  -- ARG...               per-run arguments, for a late-start target\n"
"Environment: FORKSERVER_PRELOAD (the preload module, default the\n"
"installed one), FORKSERVER_THREADS=warn|refuse|ignore (in the target).\n"
"See forkserver(1).\n";

static volatile sig_atomic_t got_signal;
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	char b = (char)sig;

	got_signal = sig;
	if (sig_pipe[1] != -1)
		(void)write(sig_pipe[1], &b, 1);
	errno = saved;
}

static void catch(int sig, void (*fn)(int))
{
	struct sigaction sa;

	sa.sa_handler = fn;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

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
		catch(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	exit(EXIT_OWN_FAILURE);
}

static int parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* Decimal seconds, 0 to 4000000, as milliseconds (at least 1 when not 0). */
static int parse_seconds(const char *v, unsigned *ms)
{
	char *end;
	double s = strtod(v, &end);

	if (end == v || *end != '\0' || !(s >= 0) || s > 4000000)
		return -1;
	*ms = (unsigned)(s * 1000 + 0.5);
	if (*ms == 0 && s > 0)
		*ms = 1;
	return 0;
}

/* --name VALUE or --name=VALUE; returns VALUE and moves *i on. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             const char *shortname)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, name) == 0 || (shortname != NULL && strcmp(a, shortname) == 0)) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "forkserver: %s needs a value\n", name);
			exit(2);
		}
		return argv[++*i];
	}
	return NULL;
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

/* Says why a run failed, in the server's words when it gave some, and
 * closes the connection. */
static void run_failed(struct forkserver *fs)
{
	int err = errno;
	const char *why = forkserver_last_error(fs);

	if (*why != '\0')
		fprintf(stderr, "forkserver: run: %s: %s\n", why, strerror(err));
	else
		fprintf(stderr, "forkserver: lost the fork server: %s\n",
		        strerror(err));
	forkserver_close(fs);
}

static int run_cmd(int argc, char **argv)
{
	const char *const *args = NULL;
	const char *path = NULL, *v;
	int fds[MAX_FD_ARGS], targets[MAX_FD_ARGS];
	size_t n = 0, j;
	unsigned timeout_ms = 0;
	struct forkserver *fs;
	int i, id, status, r;

	for (i = 0; i < 3; i++) {
		if (fcntl(i, F_GETFD) != -1) {
			fds[n] = i;
			targets[n++] = i;
		}
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			args = (const char *const *)argv + i + 1;
			break;
		}
		if ((v = opt_value(argc, argv, &i, "--socket", "-s")) != NULL) {
			path = v;
		} else if ((v = opt_value(argc, argv, &i, "--timeout", "-t")) != NULL) {
			if (parse_seconds(v, &timeout_ms) == -1) {
				fprintf(stderr, "forkserver: bad --timeout %s\n", v);
				return 2;
			}
		} else if ((v = opt_value(argc, argv, &i, "--fd", NULL)) != NULL) {
			const char *eq = strchr(v, '=');
			char from[16];
			int a, b;

			if (eq == NULL || (size_t)(eq - v) >= sizeof from) {
				fprintf(stderr, "forkserver: --fd wants N=M, got %s\n", v);
				return 2;
			}
			memcpy(from, v, (size_t)(eq - v));
			from[eq - v] = '\0';
			if (parse_int(from, 0, INT_MAX, &a) == -1 ||
			    parse_int(eq + 1, 0, INT_MAX, &b) == -1 ||
			    fcntl(a, F_GETFD) == -1) {
				fprintf(stderr, "forkserver: --fd %s: not an open"
				        " descriptor N and a number M\n", v);
				return 2;
			}
			for (j = 0; j < n && targets[j] != b; j++)
				;
			if (j == n && n == MAX_FD_ARGS) {
				fprintf(stderr, "forkserver: too many --fd\n");
				return 2;
			}
			fds[j] = a;
			targets[j] = b;
			if (j == n)
				n++;
		} else {
			fprintf(stderr, "forkserver: run: unknown argument %s\n%s",
			        argv[i], usage);
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "forkserver: run needs --socket PATH\n%s", usage);
		return 2;
	}
	/* Our signals of termination go to the child, also those that come
	 * before it exists. */
	catch(SIGINT, on_signal);
	catch(SIGTERM, on_signal);
	catch(SIGHUP, on_signal);
	catch(SIGQUIT, on_signal);
	fs = forkserver_connect(path);
	if (fs == NULL) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			fprintf(stderr, "forkserver: no fork server at %s (%s);"
			        " start one with 'forkserver serve'\n", path,
			        strerror(errno));
		else if (errno == ECONNRESET || errno == EPIPE)
			fprintf(stderr, "forkserver: the fork server at %s closed"
			        " the connection before greeting: its target"
			        " died before it was ready?\n", path);
		else if (errno == EPERM)
			refuse_owner(path);
		else if (errno == EBUSY)
			fprintf(stderr, "forkserver: the fork server at %s has as"
			        " many connections as it takes; try again\n", path);
		else
			fprintf(stderr, "forkserver: %s: %s\n", path, strerror(errno));
		return EXIT_OWN_FAILURE;
	}
	id = forkserver_run_args(fs, fds, targets, n, args, timeout_ms, NULL);
	if (id == -1) {
		run_failed(fs);
		return EXIT_OWN_FAILURE;
	}
	for (;;) {
		r = forkserver_wait(fs, id, &status, 100);
		if (r >= 0)
			break;
		if (errno != ETIMEDOUT && errno != EINTR) {
			run_failed(fs);
			return EXIT_OWN_FAILURE;
		}
		if (got_signal != 0) {
			(void)forkserver_signal(fs, id, got_signal);
			got_signal = 0;
		}
	}
	forkserver_close(fs);
	if (r == 1)
		fprintf(stderr, "forkserver: the child timed out and was killed\n");
	exit_like(status);
	return EXIT_OWN_FAILURE;
}

static int listen_at(const char *path)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, r;

	if (strlen(path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd == -1)
		return -1;
	/* A socket nobody listens on is left over from an earlier server. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		close(fd);
		errno = EADDRINUSE;
		return -1;
	}
	if (errno == ECONNREFUSED) {
		struct stat st;

		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(path);
	}
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd == -1)
		return -1;
	old = umask(0177);             /* 0600, whatever the caller's umask */
	r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (r == -1 || listen(fd, 64) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* In the child of serve: the target, with its settings, and what serve
 * lends it alone (the fork server gives the caller's values back). */
static void start_target(char **argv, int lfd, int alive, int max_children,
                         const char *preload, int bind_now)
{
	int ok = fs_setting_put(FS_SET_FD, lfd) == 0 &&
	         fs_setting_put(FS_SET_ALIVE, alive) == 0 &&
	         (max_children == 0 ||
	          fs_setting_put(FS_SET_MAX_CHILDREN, max_children) == 0);

	if (ok && bind_now && getenv("LD_BIND_NOW") == NULL)
		ok = fs_env_lend("LD_BIND_NOW", "1") == 0;
	if (ok && preload != NULL) {
		const char *old = getenv("LD_PRELOAD");
		size_t len = strlen(preload) + (old != NULL ? strlen(old) : 0) + 2;
		char *both = malloc(len);

		ok = both != NULL;
		if (ok) {
			snprintf(both, len, "%s%s%s", preload,
			         old != NULL && *old != '\0' ? " " : "",
			         old != NULL ? old : "");
			ok = fs_env_lend("LD_PRELOAD", both) == 0;
		}
	}
	if (ok)
		execvp(argv[0], argv);
	fprintf(stderr, "forkserver: cannot run %s: %s\n", argv[0], strerror(errno));
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

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the target's ready byte on fd, at most timeout_ms (0: no
 * limit). Returns 1 when it came, 0 when the target closed its end (it
 * ended), -1 on a signal of ours (or poll failing), -2 at the deadline. */
static int wait_ready(int fd, unsigned timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char ready;

	for (;;) {
		struct pollfd p[2];
		long long left = deadline - now_ms();
		int r;

		if (got_signal != 0)
			return -1;
		if (timeout_ms > 0 && left <= 0)
			return -2;
		p[0].fd = fd;
		p[0].events = POLLIN;
		p[1].fd = sig_pipe[0];
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

static int serve_cmd(int argc, char **argv)
{
	const char *path = NULL, *v, *preload;
	int i, max_children = 0, use_preload = 1, bind_now = 1, lfd, pair[2];
	int status, r;
	unsigned ready_ms = READY_SECONDS * 1000;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((v = opt_value(argc, argv, &i, "--socket", "-s")) != NULL) {
			path = v;
		} else if ((v = opt_value(argc, argv, &i, "--max-children", "-m")) != NULL) {
			if (parse_int(v, 1, (int)fs_settings[FS_SET_MAX_CHILDREN].max,
			              &max_children) == -1) {
				fprintf(stderr, "forkserver: bad --max-children %s\n", v);
				return 2;
			}
		} else if ((v = opt_value(argc, argv, &i, "--ready-timeout", "-r")) != NULL) {
			if (parse_seconds(v, &ready_ms) == -1) {
				fprintf(stderr, "forkserver: bad --ready-timeout %s\n", v);
				return 2;
			}
		} else if (strcmp(argv[i], "--no-preload") == 0) {
			use_preload = 0;
		} else if (strcmp(argv[i], "--lazy-binding") == 0) {
			bind_now = 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "forkserver: serve: unknown option %s\n%s",
			        argv[i], usage);
			return 2;
		} else {
			break;
		}
	}
	if (path == NULL || i >= argc) {
		fprintf(stderr, "forkserver: serve needs --socket PATH and a"
		        " target\n%s", usage);
		return 2;
	}
	preload = getenv("FORKSERVER_PRELOAD");
	if (preload == NULL || *preload == '\0')
		preload = FORKSERVER_PRELOAD_PATH;
	if (!use_preload) {
		preload = NULL;
	} else if (access(preload, R_OK) == -1) {
		fprintf(stderr, "forkserver: warning: no preload library at %s;"
		        " the target must call forkserver_start()\n", preload);
		preload = NULL;
	}
	lfd = listen_at(path);
	if (lfd == -1) {
		fprintf(stderr, "forkserver: cannot listen at %s: %s\n", path,
		        strerror(errno));
		return 1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1 || pipe(sig_pipe) == -1) {
		perror("forkserver");
		unlink(path);
		return 1;
	}
	fcntl(pair[0], F_SETFD, FD_CLOEXEC);
	fcntl(sig_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(sig_pipe[1], F_SETFD, FD_CLOEXEC);
	fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
	catch(SIGINT, on_signal);
	catch(SIGTERM, on_signal);
	catch(SIGHUP, on_signal);
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		perror("forkserver: fork");
		unlink(path);
		return 1;
	}
	if (pid == 0) {
		catch(SIGINT, SIG_DFL);
		catch(SIGTERM, SIG_DFL);
		catch(SIGHUP, SIG_DFL);
		close(pair[0]);
		start_target(argv + i, lfd, pair[1], max_children, preload,
		             bind_now);
	}
	close(lfd);
	close(pair[1]);
	r = wait_ready(pair[0], ready_ms);
	if (r != 1) {
		if (r == -1)
			kill(pid, SIGTERM);
		if (r == -2) {
			fprintf(stderr, "forkserver: %s was not ready after %.3g"
			        " seconds; stopping it (does it reach"
			        " forkserver_start()? a slower start needs a"
			        " longer --ready-timeout)\n", argv[i],
			        ready_ms / 1000.0);
			kill(pid, SIGKILL);
		}
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		unlink(path);
		if (r == 0) {
			describe("before the fork server was ready:", argv[i], status);
			fprintf(stderr, "forkserver: (does it call forkserver_start(),"
			        " or is it linked dynamically for the preload"
			        " library?)\n");
		}
		return 1;
	}
	/* Ready. Until a signal or the target's end: then the target's server
	 * sees our end of the pair close, kills its children and exits. */
	for (;;) {
		struct pollfd p[2];

		p[0].fd = pair[0];
		p[0].events = POLLIN;
		p[1].fd = sig_pipe[0];
		p[1].events = POLLIN;
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			break;
		if (got_signal != 0 || p[0].revents != 0)
			break;
	}
	close(pair[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	unlink(path);
	if (got_signal != 0)
		return 0;
	describe("ended:", argv[i], status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		fputs(help, stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("forkserver (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return serve_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run_cmd(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}

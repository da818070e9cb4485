/* SPDX-License-Identifier: ISC */
/*
 * stress_forkserver.c: `forkserver serve` under 200 concurrent clients
 * (STRESS_SCALE scales clients and rounds), in waves. Each client, in each
 * round, connects (again when the server is full: it keeps 64
 * connections), runs children with its pipes as their standard
 * descriptors and checks each: echo through stdin and stdout, an exit
 * code, a deadline the server enforces, a signal and a kill sent through
 * the server, a child that kills itself. Every tenth client starts a
 * child, then writes part of a frame and dies of SIGKILL. After each
 * wave the server is alive and serves, and its descriptors, children and
 * memory are back where they started (stress.h says how memory is
 * judged). Needs the build tree: $top_builddir (default .).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forkserver.h"
#include "protocol.h"
#include "stress.h"

#define WHO "forkserver client"
#define WAIT_MS 120000          /* a stuck server fails a client, no hang */
/* Growth of the server's VmRSS allowed (see stress.h): 2 MiB for what
 * 64 connections at once may leave with the allocator (measured: 12
 * KiB), then 512 KiB over that after the first wave (measured: no
 * change at all). The two waves after the first make 10800 runs and
 * 2160 connections at full scale, so a leak of 50 bytes a run or 250
 * bytes a connection exceeds it. */
#define RSS_FIRST_KIB 2048
#define RSS_LATER_KIB 512

struct fs_stress {
	char dir[64], sock[128];
	int rounds;
	pid_t serve, server;
};

static const char *builddir(void)
{
	const char *b = getenv("top_builddir");

	return b != NULL && *b != '\0' ? b : ".";
}

/* Connects, again while the server answers EBUSY (full). */
static struct forkserver *connect_retry(const char *path, int index, int *fdp)
{
	unsigned seed = (unsigned)index * 2654435761u;
	struct sockaddr_un sa;
	double deadline = st_now() + WAIT_MS / 1000.0;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		struct forkserver *fs;
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		if (fd == -1)
			return NULL;
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
			close(fd);
			return NULL;
		}
		fs = forkserver_fdopen(fd); /* owns fd, also on failure */
		if (fs != NULL) {
			if (fdp != NULL)
				*fdp = fd;
			return fs;
		}
		if (errno != EBUSY || st_now() > deadline)
			return NULL;
		st_sleep_ms(2 + (long)(rand_r(&seed) % 20));
	}
}

/* Starts one child with input on its stdin and a pipe for its stdout and
 * stderr, whose read end goes to *out. The request id, or -1. */
static int run1(struct forkserver *fs, const char *input, unsigned timeout_ms,
                int *out)
{
	int in[2], res[2], fds[3], targets[3] = { 0, 1, 2 }, id, saved;
	size_t len = strlen(input);

	if (pipe(in) == -1)
		return -1;
	if (pipe(res) == -1) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	/* Short: the pipe holds it all. */
	if (write(in[1], input, len) != (ssize_t)len) {
		id = -1;
		saved = errno;
	} else {
		fds[0] = in[0];
		fds[1] = res[1];
		fds[2] = res[1];
		id = forkserver_run(fs, fds, targets, 3, timeout_ms, NULL);
		saved = errno;
	}
	close(in[0]);
	close(in[1]);
	close(res[1]);
	if (id < 0)
		close(res[0]);
	else
		*out = res[0];
	errno = saved;
	return id;
}

/* Reads fd to its end (or cap - 1 bytes) into buf, terminated. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t k = read(fd, buf + n, cap - 1 - n);

		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0) {
			buf[n] = '\0';
			return k < 0 ? -1 : (ssize_t)n;
		}
		n += (size_t)k;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

/* Reads "ready\n" from a hanging child's output. */
static int wait_ready(int fd)
{
	char buf[8];
	size_t n = 0;

	while (n < 6) {
		ssize_t k = read(fd, buf + n, 6 - n);

		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		n += (size_t)k;
	}
	return memcmp(buf, "ready\n", 6) == 0 ? 0 : -1;
}

static int expect_signal(struct forkserver *fs, int id, int sig, int want_r,
                         int index, const char *what)
{
	int status, r = forkserver_wait(fs, id, &status, WAIT_MS);

	if (r != want_r)
		return st_fail(WHO, index, "%s: wait gave %d (%s), not %d", what, r,
		               r == -1 ? strerror(errno) : "-", want_r);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		return st_fail(WHO, index, "%s: status 0x%x, not signal %d", what,
		               (unsigned)status, sig);
	return 0;
}

static int one_round(struct forkserver *fs, int index, int round)
{
	char text[128], input[160], got[256];
	int id_t, id_e, id_x, id_s, id_k, out_t, out_e, out_x, out_s, out_k;
	int status, code = (index * 7 + round) % 256, sig;

	/* A child the server kills at its deadline, pending meanwhile. */
	id_t = run1(fs, "hang\n", 150, &out_t);
	if (id_t < 0)
		return st_fail(WHO, index, "run hang: %s", strerror(errno));

	snprintf(text, sizeof text, "client %d round %d says hello\n", index, round);
	snprintf(input, sizeof input, "echo\n%s", text);
	id_e = run1(fs, input, 0, &out_e);
	if (id_e < 0)
		return st_fail(WHO, index, "run echo: %s", strerror(errno));
	if (read_all(out_e, got, sizeof got) < 0 || strcmp(got, text) != 0)
		return st_fail(WHO, index, "echo gave \"%s\"", got);
	close(out_e);
	if (forkserver_wait(fs, id_e, &status, WAIT_MS) != 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return st_fail(WHO, index, "echo ended with 0x%x", (unsigned)status);

	snprintf(input, sizeof input, "exit %d\n", code);
	id_x = run1(fs, input, 0, &out_x);
	if (id_x < 0)
		return st_fail(WHO, index, "run exit: %s", strerror(errno));
	close(out_x);
	if (forkserver_wait(fs, id_x, &status, WAIT_MS) != 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != code)
		return st_fail(WHO, index, "exit %d ended with 0x%x", code,
		               (unsigned)status);

	/* A signal through the server, once the child is in main. */
	id_s = run1(fs, "hang\n", 0, &out_s);
	if (id_s < 0 || wait_ready(out_s) == -1)
		return st_fail(WHO, index, "hang for a signal did not start");
	close(out_s);
	sig = round % 2 == 0 ? SIGUSR1 : SIGKILL;
	if ((sig == SIGKILL ? forkserver_kill(fs, id_s)
	                    : forkserver_signal(fs, id_s, sig)) == -1)
		return st_fail(WHO, index, "signal: %s", strerror(errno));
	if (expect_signal(fs, id_s, sig, 0, index, "signalled child") != 0)
		return 1;

	id_k = run1(fs, "kill 15\n", 0, &out_k);
	if (id_k < 0)
		return st_fail(WHO, index, "run kill: %s", strerror(errno));
	close(out_k);
	if (expect_signal(fs, id_k, SIGTERM, 0, index, "kill 15") != 0)
		return 1;

	if (expect_signal(fs, id_t, SIGKILL, 1, index, "deadline") != 0)
		return 1;
	close(out_t);
	return 0;
}

/* Starts a child, then sends part of a RUN frame and dies. */
static int killer(const struct fs_stress *s, int index)
{
	static const char *const args[] = { "exit", "1" };
	static struct fsp_run run;
	unsigned char frame[256];
	struct forkserver *fs;
	int fd, out, id;
	long n;

	fs = connect_retry(s->sock, index, &fd);
	if (fs == NULL)
		return st_fail(WHO, index, "killer: connect: %s", strerror(errno));
	id = run1(fs, "hang\n", 0, &out);
	if (id < 0 || wait_ready(out) == -1)
		return st_fail(WHO, index, "killer: hang did not start");
	run.nargs = 2;
	run.args[0] = args[0];
	run.arglen[0] = 4;
	run.args[1] = args[1];
	run.arglen[1] = 1;
	n = fsp_run_encode(1000, FSP_VERSION, &run, frame, sizeof frame);
	return st_die_mid_frame(WHO, index, fd, frame, n);
}

static int client(int index, int is_killer, void *arg)
{
	const struct fs_stress *s = arg;
	int round, fds = st_own_fds();

	alarm(600); /* a client stuck for good dies and is reported */
	if (is_killer)
		return killer(s, index);
	for (round = 0; round < s->rounds; round++) {
		struct forkserver *fs = connect_retry(s->sock, index, NULL);

		if (fs == NULL)
			return st_fail(WHO, index, "connect: %s", strerror(errno));
		if (one_round(fs, index, round) != 0)
			return 1;
		if (forkserver_close(fs) == -1)
			return st_fail(WHO, index, "close: %s", strerror(errno));
	}
	if (st_own_fds() != fds)
		return st_fail(WHO, index, "%d descriptors open, %d before",
		               st_own_fds(), fds);
	return 0;
}

/* forkserver serve with the preload module, for st_target. */
static pid_t start_serve(struct fs_stress *s)
{
	char prog[512], preload[600], target[512];
	pid_t pid;

	snprintf(prog, sizeof prog, "%s/forkserver", builddir());
	snprintf(preload, sizeof preload, "%s/.libs/forkserver-preload.so", builddir());
	snprintf(target, sizeof target, "%s/tests/stress/st_target", builddir());
	pid = fork();
	if (pid == 0) {
		st_die_with_parent();
		setenv("FORKSERVER_PRELOAD", preload, 1);
		execl(prog, prog, "serve", "--socket", s->sock, "--max-children", "16",
		      "--", target, (char *)NULL);
		perror(prog);
		_exit(127);
	}
	return pid;
}

/* The server: the only child of serve, once a client gets served. */
static pid_t find_server(pid_t serve, const char *sock)
{
	int i;

	for (i = 0; i < 3000; i++) {
		struct forkserver *fs = connect_retry(sock, 0, NULL);

		if (fs != NULL) {
			char path[64];
			long child = -1;
			FILE *f;
			int out, status, id = run1(fs, "exit 0\n", 0, &out);

			if (id > 0) {
				close(out);
				forkserver_wait(fs, id, &status, WAIT_MS);
			}
			forkserver_close(fs);
			snprintf(path, sizeof path, "/proc/%ld/task/%ld/children",
			         (long)serve, (long)serve);
			f = fopen(path, "r");
			if (f == NULL || fscanf(f, "%ld", &child) != 1)
				child = -1;
			if (f != NULL)
				fclose(f);
			return id > 0 ? (pid_t)child : -1;
		}
		if (!st_alive(serve))
			return -1;
		st_sleep_ms(20);
	}
	return -1;
}

/* st_waves' measure: checks that serve is alive and the server serves,
 * then, holding that connection (so that descriptors are counted in the
 * same state each time, after the server has been round its loop),
 * waits until its children are reaped and its descriptors are base's
 * again (connections close a moment after the clients' end). */
static int measure_server(void *arg, const struct st_usage *base,
                          struct st_usage *u)
{
	struct fs_stress *s = arg;
	struct forkserver *fs;
	int out, status, id, i, rc = 0;

	if (!st_alive(s->serve)) {
		fprintf(stderr, "stress_forkserver: serve died\n");
		return -1;
	}
	fs = connect_retry(s->sock, 0, NULL);
	id = fs != NULL ? run1(fs, "exit 7\n", 0, &out) : -1;
	if (id > 0)
		close(out);
	if (id <= 0 || forkserver_wait(fs, id, &status, WAIT_MS) != 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 7) {
		fprintf(stderr, "stress_forkserver: not served\n");
		if (fs != NULL)
			forkserver_close(fs);
		return -1;
	}
	if (base != NULL) {
		st_settle(s->server, base, 30, u); /* st_run_waves compares */
	} else {
		for (i = 0; i < 1500; i++) {
			if ((rc = st_usage(s->server, u)) == -1 || u->children == 0)
				break;
			st_sleep_ms(20);
		}
	}
	forkserver_close(fs);
	if (rc == -1 || u->fds < 0 || u->children < 0 || u->rss_kib < 0) {
		fprintf(stderr, "stress_forkserver: the server is gone\n");
		return -1;
	}
	return 0;
}

int main(void)
{
	struct fs_stress s;
	struct st_waves w;
	int own = st_own_fds(), bad = 0, status;
	double t0 = st_now();

	/* The environment is checked before anything starts. */
	s.rounds = st_scaled(6, 1);
	w.waves = st_wave_count();
	signal(SIGPIPE, SIG_IGN);
	snprintf(s.dir, sizeof s.dir, "/tmp/stress-fs-XXXXXX");
	if (mkdtemp(s.dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(s.sock, sizeof s.sock, "%s/sock", s.dir);
	s.serve = start_serve(&s);
	s.server = s.serve > 0 ? find_server(s.serve, s.sock) : -1;
	if (s.server <= 0) {
		fprintf(stderr, "stress_forkserver: the server did not start\n");
		if (s.serve > 0) {
			kill(s.serve, SIGTERM);
			waitpid(s.serve, NULL, 0);
		}
		rmdir(s.dir);
		return 1;
	}
	w.name = "stress_forkserver";
	w.who = WHO;
	w.pid = s.server;
	w.nclients = st_scaled(200, 10);
	w.client = client;
	w.arg = &s;
	w.measure = measure_server;
	w.first_kib = RSS_FIRST_KIB;
	w.later_kib = RSS_LATER_KIB;
	printf("stress_forkserver: %d waves of %d clients (%d of them killed"
	       " mid-frame), %d rounds of 5 runs each; server pid %ld\n",
	       w.waves, w.nclients, (w.nclients + 4) / 10, s.rounds,
	       (long)s.server);
	bad += st_run_waves(&w);

	kill(s.serve, SIGTERM);
	if (waitpid(s.serve, &status, 0) != s.serve || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "stress_forkserver: serve ended with 0x%x\n",
		        (unsigned)status);
		bad++;
	}
	if (st_alive(s.server)) {
		fprintf(stderr, "stress_forkserver: the server outlived serve\n");
		bad++;
	}
	unlink(s.sock);
	rmdir(s.dir);
	if (st_own_fds() != own) {
		fprintf(stderr, "stress_forkserver: %d descriptors open, %d before\n",
		        st_own_fds(), own);
		bad++;
	}
	printf("stress_forkserver: %s in %.1f s\n", bad == 0 ? "passed" : "FAILED",
	       st_now() - t0);
	return bad == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: ISC */
/*
 * bench_firstread.c: what forkserver serve --first-read and persistent
 * runs (forkserver_loop) save, against running the program afresh each
 * time, all measured in the same run: a C target with a 100 ms
 * initialisation that then reads its standard input, a Python script with
 * heavy imports that reads JSON on its standard input (unchanged, with
 * and without the server's gc.freeze() at the fork point; ending with
 * os._exit), and a
 * persistent C target (loops of 1000 runs) against the same target
 * started late with one run a process. Each run gets a fresh input file
 * as its standard input and /dev/null as its output, and must exit 0.
 * Two rows pass no descriptors, as AFL++ and Centipede do not: the late
 * start through the C API with no descriptors (the child keeps the
 * server's /dev/null), and the same target driven as Centipede drives it
 * (CENTIPEDE_FORK_SERVER_FIFO0/1: a byte a run, its wait status back).
 * Where the static libraries were built, the late start and Centipede
 * rows are measured again with libforkserver linked into the target, as
 * AFL++ links its runtime into its own.
 * Where afl-fuzz and afl-cc are installed, AFL++'s own fork server runs
 * the same C target (deferred: __AFL_INIT() after the initialisation;
 * persistent: __AFL_LOOP(1000)) under afl-fuzz -V for as long, and its
 * execs_per_sec is printed beside: not the same work per run (AFL++
 * mutates the input and reads a coverage map; it passes no descriptor).
 * Then AFL++'s deferred row, the C API's with no descriptors, the
 * Centipede row and (with the static libraries) the C API's linked with
 * libforkserver.a are measured in turn five times, and each turn's
 * ratios to AFL++ printed with their medians.
 * Usage: bench_firstread [seconds per measurement]
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchrate.h"
#include "forkserver.h"

#ifndef BENCH_CC
#define BENCH_CC "cc"
#endif

static double budget = 2;
static char dir[] = "/tmp/bench-fr-XXXXXX";
static char input[4200];

static int sh(const char *cmd)
{
	int r = system(cmd);

	if (r != 0)
		fprintf(stderr, "bench_firstread: failed: %s\n", cmd);
	return r;
}

static int write_file(const char *name, const char *text)
{
	char path[4300];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static const char c_target[] =
"#include <stdio.h>\n#include <stdlib.h>\n#include <time.h>\n"
"int forkserver_start(void); int forkserver_loop(unsigned);\n"
"int main(int argc, char **argv) {\n"
"  struct timespec t = { 0, 100000000L }; char buf[4096]; size_t n;\n"
"  nanosleep(&t, NULL);               /* the initialisation: 100 ms */\n"
"  if (argc > 1) {                    /* late start, runs per process */\n"
"    unsigned loops = (unsigned)atoi(argv[1]);\n"
"    if (forkserver_start() == -1) return 9;\n"
"    while (forkserver_loop(loops)) {\n"
"      n = fread(buf, 1, sizeof buf, stdin); clearerr(stdin);\n"
"      printf(\"%zu\\n\", n); fflush(stdout); }\n"
"    return 0; }\n"
"  n = fread(buf, 1, sizeof buf, stdin);\n"
"  printf(\"%zu\\n\", n); return 0; }\n";

static const char py_imports[] =
"import argparse, asyncio, csv, decimal, difflib, email.parser, http.client\n"
"import json, logging, sqlite3, ssl, sys, tarfile, unittest, urllib.request\n"
"import xml.dom.minidom, zipfile\n";

static int generate(void)
{
	char cmd[8800], text[2048];

	if (write_file("t.c", c_target) != 0 ||
	    write_file("in.json", "{\"n\": 21, \"items\": [1, 2, 3]}\n") != 0)
		return -1;
	snprintf(text, sizeof text, "%s"
	         "d = json.load(sys.stdin)\nprint(json.dumps({\"n\": d[\"n\"] * 2}))\n",
	         py_imports);
	if (write_file("plain.py", text) != 0)
		return -1;
	snprintf(text, sizeof text, "%simport os\n"
	         "d = json.load(sys.stdin)\nprint(json.dumps({\"n\": d[\"n\"] * 2}))\n"
	         "sys.stdout.flush()\nos._exit(0)\n", py_imports);
	if (write_file("osexit.py", text) != 0)
		return -1;
	snprintf(input, sizeof input, "%s/in.json", dir);
	snprintf(cmd, sizeof cmd, "cd %s && %s -O1 -o t t.c -L%s/.libs"
	         " -Wl,-rpath,%s/.libs -lforkserver", dir, BENCH_CC,
	         BENCH_BUILDDIR, BENCH_BUILDDIR);
	return sh(cmd);
}

/* The same target with libforkserver linked in (as AFL++ links its
 * runtime into its targets), libforkserver.a alone, as libforkserver.3
 * tells users: 0, or -1 without the static library. */
static int generate_static(void)
{
	char cmd[8800];
	const char *b = BENCH_BUILDDIR "/.libs";

	snprintf(cmd, sizeof cmd, "cd %s && %s -O1 -o t_static t.c"
	         " %s/libforkserver.a >/dev/null 2>&1", dir, BENCH_CC, b);
	return system(cmd) == 0 ? 0 : -1;
}

/* The command line of a run, NULL-terminated. */
struct cmdline {
	char *argv[4];
};

static int direct(void *arg)
{
	struct cmdline *c = arg;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int in = open(input, O_RDONLY), out = open("/dev/null", O_WRONLY);

		if (in == -1 || out == -1 || dup2(in, 0) == -1 || dup2(out, 1) == -1)
			_exit(126);
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	return pid == -1 || waitpid(pid, &status, 0) != pid || status != 0;
}

static int served_once(void *arg)
{
	struct forkserver *fs = arg;
	int fds[2], targets[2] = { 0, 1 }, status, id, r;

	fds[0] = open(input, O_RDONLY);
	fds[1] = open("/dev/null", O_WRONLY);
	if (fds[0] == -1 || fds[1] == -1)
		return 1;
	id = forkserver_run(fs, fds, targets, 2, 0, NULL);
	close(fds[0]);
	close(fds[1]);
	r = id == -1 || forkserver_wait(fs, id, &status, -1) != 0 || status != 0;
	return r;
}

/* A run with no descriptors: the child's standard input and output are
 * the server's (/dev/null). */
static int served_bare(void *arg)
{
	struct forkserver *fs = arg;
	int status, id = forkserver_run(fs, NULL, NULL, 0, 0, NULL);

	return id == -1 || forkserver_wait(fs, id, &status, -1) != 0 || status != 0;
}

/* Runs per second through a fork server in c's program: first_read, or
 * a late start (the target calls forkserver_start); bare: runs with no
 * descriptors. */
static double served(struct cmdline *c, int first_read, int bare)
{
	struct forkserver *fs;
	int sv[2], status;
	double r;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		char v[32], preload[4200];
		int null = open("/dev/null", O_RDWR);

		close(sv[0]);
		if (null != -1)
			dup2(null, 0);  /* the server's stdin: read by bare runs only */
		if (null != -1 && bare)
			dup2(null, 1);  /* and their output */
		snprintf(v, sizeof v, "%d", sv[1]);
		setenv("FORKSERVER_FD", v, 1);
		setenv("LD_BIND_NOW", "1", 1);  /* as forkserver serve does */
		if (c->argv[1] != NULL && strcmp(c->argv[1], "1") != 0)
			setenv("FORKSERVER_LOOP", "1", 1);  /* serve --persistent */
		if (first_read) {
			snprintf(v, sizeof v, "%ld", (long)getpid());
			setenv("FORKSERVER_FIRST_READ", v, 1);
			snprintf(preload, sizeof preload,
			         "%s/.libs/forkserver-preload.so", BENCH_BUILDDIR);
			setenv("LD_PRELOAD", preload, 1);
		}
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	close(sv[1]);
	fs = forkserver_fdopen(sv[0]);
	r = fs == NULL ? -1 : bench_rate(bare ? served_bare : served_once, fs,
	                                 budget);
	if (fs != NULL)
		forkserver_close(fs);
	waitpid(pid, &status, 0);
	return r;
}

/* Centipede's end of its two FIFOs: requests, replies. */
struct fifos {
	int req, rep;
};

static int centipede_once(void *arg)
{
	struct fifos *f = arg;
	int status;

	return write(f->req, "r", 1) != 1 ||
	       read(f->rep, &status, sizeof status) != (ssize_t)sizeof status ||
	       status != 0;
}

static void on_alarm(int sig)
{
	(void)sig;      /* only interrupts an open that waits */
}

/* Runs per second of c's program (a late start) driven through the
 * Centipede FIFOs, as Centipede does. */
static double centipede(struct cmdline *c)
{
	char f0[4300], f1[4300];
	struct fifos f = { -1, -1 };
	struct sigaction sa;
	double r = -1;
	int status;
	pid_t pid;

	snprintf(f0, sizeof f0, "%s/fifo0", dir);
	snprintf(f1, sizeof f1, "%s/fifo1", dir);
	if (mkfifo(f0, 0600) == -1 || mkfifo(f1, 0600) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Standard error too: the server truncates it per run
		 * when it is a file, as this benchmark's log may be. */
		if (null == -1 || dup2(null, 0) == -1 || dup2(null, 1) == -1 ||
		    dup2(null, 2) == -1)
			_exit(126);
		setenv("CENTIPEDE_FORK_SERVER_FIFO0", f0, 1);
		setenv("CENTIPEDE_FORK_SERVER_FIFO1", f1, 1);
		setenv("LD_BIND_NOW", "1", 1);
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	/* Each open waits for the target's: an alarm ends a wait for a
	 * target that never opens. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(30);
	if (pid > 0)
		f.req = open(f0, O_WRONLY);
	if (f.req != -1)
		f.rep = open(f1, O_RDONLY);
	alarm(0);
	if (f.rep != -1)
		r = bench_rate(centipede_once, &f, budget);
	else if (pid > 0)
		kill(pid, SIGKILL);
	if (f.req != -1)
		close(f.req);   /* end of file: the server exits */
	if (f.rep != -1)
		close(f.rep);
	if (pid > 0)
		waitpid(pid, &status, 0);
	unlink(f0);
	unlink(f1);
	return r;
}

static void row(const char *what, double base, double fast)
{
	printf("  %-44s %8.1f runs/s  %6.1fx\n", what, fast, fast / base);
	fflush(stdout);
}

static const char afl_target[] =
"#include <stdio.h>\n#include <time.h>\n#include <unistd.h>\n"
"int main(void) {\n"
"  struct timespec t = { 0, 100000000L }; char buf[4096]; size_t n;\n"
"  nanosleep(&t, NULL);\n"
"  __AFL_INIT();\n"
"#ifdef PERSIST\n"
"  while (__AFL_LOOP(1000)) { ssize_t r = read(0, buf, sizeof buf);"
" if (r > 3 && buf[0] == '{') puts(\"x\"); }\n"
"  return 0;\n"
"#endif\n"
"  n = fread(buf, 1, sizeof buf, stdin);\n"
"  if (n > 3 && buf[0] == '{') printf(\"%zu\\n\", n); else puts(\"short\");\n"
"  return 0; }\n";

/* afl-fuzz's execs_per_sec for the AFL++ build of the C target (persist:
 * __AFL_LOOP), fuzzed for seconds; -1 when it did not run. */
static double afl_rate(int persist, double seconds)
{
	char cmd[9000], path[4300];
	double r = -1;
	FILE *f;

	snprintf(cmd, sizeof cmd, "cd %s && mkdir -p afl-in && cp in.json afl-in/"
	         " && AFL_QUIET=1 afl-cc -O1 %s -o t_afl%d t_afl.c >/dev/null 2>&1"
	         " && AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1"
	         " AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 afl-fuzz -V %.0f"
	         " -i afl-in -o afl-out%d -- ./t_afl%d >afl%d.log 2>&1", dir,
	         persist ? "-DPERSIST" : "", persist, seconds < 1 ? 1 : seconds,
	         persist, persist, persist);
	if (system(cmd) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/afl-out%d/default/fuzzer_stats", dir,
	         persist);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(cmd, sizeof cmd, f) != NULL)
		if (sscanf(cmd, "execs_per_sec : %lf", &r) == 1)
			break;
	fclose(f);
	return r;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof v[0], by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Rows measured one after another meet different neighbours on a shared
 * machine: AFL++'s deferred fork server, the C API with no descriptors
 * and the Centipede mode (c: the late-start target), and where it was
 * built the C API again with libforkserver linked into the target as
 * AFL++ links its runtime (linked: its path, or NULL), measured in turn,
 * pairs times; each one's rate over AFL++'s of the same turn. */
static void afl_alternate(struct cmdline *c, char *linked, int pairs)
{
	double capi[16], cent[16], capi_linked[16];
	char *shared = c->argv[0];
	int i, n = 0;

	printf("\nThe same measured in turn, %d times (each over the AFL++"
	       " rate of its turn):\n", pairs);
	for (i = 0; i < pairs && i < 16; i++) {
		double afl = afl_rate(0, budget * 3);
		double a = served(c, 0, 1), b = centipede(c), l = 0;

		if (linked != NULL) {
			c->argv[0] = linked;
			l = served(c, 0, 1);
			c->argv[0] = shared;
		}
		if (afl <= 0 || a <= 0 || b <= 0 || (linked != NULL && l <= 0))
			continue;
		capi[n] = a / afl;
		cent[n] = b / afl;
		capi_linked[n] = l / afl;
		printf("  AFL++ %7.1f  C API %7.1f (%.2f)  Centipede %7.1f (%.2f)",
		       afl, a, capi[n], b, cent[n]);
		if (linked != NULL)
			printf("  C API, .a %7.1f (%.2f)", l, capi_linked[n]);
		printf(" runs/s\n");
		fflush(stdout);
		n++;
	}
	if (n == 0)
		return;
	printf("  medians over AFL++: C API, no descriptors %.2f;"
	       " Centipede FIFOs %.2f", median(capi, n), median(cent, n));
	if (linked != NULL)
		printf("; C API, libforkserver.a %.2f", median(capi_linked, n));
	printf("\n");
}

static void afl_compare(double base, struct cmdline *late, char *linked)
{
	if (system("command -v afl-fuzz >/dev/null 2>&1 &&"
	           " command -v afl-cc >/dev/null 2>&1") != 0) {
		printf("\nAFL++: skipped (afl-fuzz or afl-cc is not installed)\n");
		return;
	}
	if (write_file("t_afl.c", afl_target) != 0)
		return;
	printf("\nAFL++'s fork server, the same C target under afl-fuzz -V"
	       " (its execs_per_sec; other work per run, see the top):\n");
	row("AFL++ deferred, __AFL_INIT() after the init", base,
	    afl_rate(0, budget * 3));
	row("AFL++ persistent, __AFL_LOOP(1000)", base, afl_rate(1, budget * 3));
	afl_alternate(late, linked, 5);
}

static const char *python(void)
{
	/* The interpreter itself, not a wrapper (a pyenv shim) in front. */
	if (access("/usr/bin/python3", X_OK) == 0)
		return "/usr/bin/python3";
	return NULL;
}

int main(int argc, char **argv)
{
	char t[4300], t_static[4300], script[4300], n1[] = "1", n1000[] = "1000";
	char *linked = NULL;
	struct cmdline c;
	const char *py = python();
	double base;
	const char *const variants[] = { "plain", "plain", "osexit" };
	const char *const about[] = {
		"first-read, script unchanged",
		"first-read, unchanged, no gc.freeze()",
		"first-read, script ends with os._exit",
	};
	size_t v;

	if (argc > 1)
		budget = atof(argv[1]);
	if (mkdtemp(dir) == NULL || generate() != 0)
		return 1;
	snprintf(t, sizeof t, "%s/t", dir);

	printf("C target, 100 ms initialisation, then fread(stdin):\n");
	memset(&c, 0, sizeof c);
	c.argv[0] = t;
	base = bench_rate(direct, &c, budget);
	printf("  %-44s %8.1f runs/s\n", "run directly (fork+exec)", base);
	row("first-read fork server", base, served(&c, 1, 0));
	c.argv[1] = n1;
	row("late start, one run a process", base, served(&c, 0, 0));
	row("late start, no descriptors", base, served(&c, 0, 1));
	row("late start, Centipede FIFOs", base, centipede(&c));
	if (generate_static() == 0) {
		snprintf(t_static, sizeof t_static, "%s/t_static", dir);
		linked = t_static;
		c.argv[0] = t_static;
		row("late start, as above, libforkserver.a", base,
		    served(&c, 0, 0));
		row("late start, Centipede, libforkserver.a", base,
		    centipede(&c));
		c.argv[0] = t;
	} else {
		printf("  (libforkserver.a rows skipped: no static libraries)\n");
	}
	c.argv[1] = n1000;
	row("late start, forkserver_loop(1000)", base, served(&c, 0, 0));
	c.argv[1] = n1;
	afl_compare(base, &c, linked);

	if (py == NULL) {
		printf("\nPython: skipped (no /usr/bin/python3)\n");
	} else {
		printf("\n%s, 16 standard modules imported, then"
		       " json.load(sys.stdin):\n", py);
		for (v = 0; v < sizeof variants / sizeof variants[0]; v++) {
			memset(&c, 0, sizeof c);
			c.argv[0] = (char *)py;
			snprintf(script, sizeof script, "%s/%s.py", dir, variants[v]);
			c.argv[1] = script;
			if (v == 0) {
				base = bench_rate(direct, &c, budget);
				printf("  %-44s %8.1f runs/s\n",
				       "run directly (unchanged script)", base);
			}
			/* The second row: serve --no-gc-freeze. */
			if (v == 1)
				setenv("FORKSERVER_GC_FREEZE", "0", 1);
			row(about[v], base, served(&c, 1, 0));
			unsetenv("FORKSERVER_GC_FREEZE");
		}
	}
	snprintf(t, sizeof t, "rm -rf %s", dir);
	sh(t);
	return 0;
}

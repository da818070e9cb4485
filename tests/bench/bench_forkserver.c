/* SPDX-License-Identifier: ISC */
/*
 * bench_forkserver.c: runs per second of one target started by fork+exec,
 * by posix_spawn, by a fork server started early (the preload module's
 * constructor) and by one started late (forkserver_start() after the
 * target's initialisation), all measured in the same run, with a bare
 * fork()+waitpid() as the floor. The targets are generated and compiled
 * here, linked against 0, 10, 50 and 100 generated shared libraries; a
 * second table gives them an initialisation of 50 ms.
 *
 * A third measure separates the fork server's own cost from its children's:
 * "self-fork", a preloaded constructor that makes the target fork itself
 * at the early-start point, the child going on to main and exit() as a
 * served child does, the parent waiting, with no server and no requests.
 * The target runs with LD_BIND_NOW=1 whenever it forks (served, floor,
 * self-fork), as forkserver serve starts it.
 * Usage: bench_forkserver [seconds per measurement]
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
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

extern char **environ;

static double budget = 0.5;
static char dir[] = "/tmp/bench-fs-XXXXXX";
static char preload[4096];

static int sh(const char *cmd)
{
	int r = system(cmd);

	if (r != 0)
		fprintf(stderr, "bench_forkserver: failed: %s\n", cmd);
	return r;
}

/* 100 libraries of 50 functions each, and a target per library count. */
static int generate(void)
{
	static const int counts[] = { 0, 10, 50, 100 };
	char path[4200], cmd[16384];
	size_t c;
	int i, f;
	FILE *out;

	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof path, "%s/g%d.c", dir, i);
		out = fopen(path, "w");
		if (out == NULL)
			return -1;
		for (f = 0; f < 50; f++)
			fprintf(out, "int g%d_%d(int x);\nint g%d_%d(int x) { return x * %d + %d; }\n",
			        i, f, i, f, f + 1, i);
		fprintf(out, "const char *g%d_name = \"g%d\";\n", i, i);
		fclose(out);
		snprintf(cmd, sizeof cmd, "cd %s && %s -shared -fPIC -O1 -o libg%d.so g%d.c",
		         dir, BENCH_CC, i, i);
		if (sh(cmd) != 0)
			return -1;
	}
	snprintf(path, sizeof path, "%s/selffork.c", dir);
	out = fopen(path, "w");
	if (out == NULL)
		return -1;
	fprintf(out, "#include <stdio.h>\n#include <stdlib.h>\n#include <time.h>\n"
	        "#include <sys/wait.h>\n#include <unistd.h>\n"
	        "static double now(void) { struct timespec t;"
	        " clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }\n"
	        "/* With BENCH_SELF set: forks here, as the preload module would,\n"
	        " * and waits; each child returns and goes on to main. */\n"
	        "__attribute__((constructor)) static void self_fork(void) {\n"
	        "  const char *b = getenv(\"BENCH_SELF\"); double budget, best = 0; int r;\n"
	        "  if (b == NULL) return;\n"
	        "  budget = atof(b);\n"
	        "  for (r = 0; r < 3; r++) { double s = now(), t; long n = 0; int st;\n"
	        "    do { pid_t p = fork(); if (p == 0) return;"
	        " if (p < 0 || waitpid(p, &st, 0) != p || st != 0) _exit(1); n++; t = now() - s; }"
	        " while (t < budget / 3 || n < 3);\n"
	        "    if (n / t > best) best = n / t; }\n"
	        "  printf(\"%%.0f\\n\", best); fflush(stdout); _exit(0); }\n");
	fclose(out);
	snprintf(cmd, sizeof cmd, "cd %s && %s -shared -fPIC -O1 -o selffork.so selffork.c",
	         dir, BENCH_CC);
	if (sh(cmd) != 0)
		return -1;
	for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		int n = counts[c];
		size_t len;

		snprintf(path, sizeof path, "%s/t%d.c", dir, n);
		out = fopen(path, "w");
		if (out == NULL)
			return -1;
		fprintf(out, "#include <stdio.h>\n#include <stdlib.h>\n#include <time.h>\n"
		        "#include <sys/wait.h>\n#include <unistd.h>\n"
		        "int forkserver_start(void);\n"
		        "static double now(void) { struct timespec t;"
		        " clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }\n"
		        "/* The floor from inside the target: bare fork+waitpid. */\n"
		        "static int floor_rate(double budget) { double best = 0; int r;\n"
		        "  for (r = 0; r < 3; r++) { double s = now(), t; long n = 0; int st;\n"
		        "    do { pid_t p = fork(); if (p == 0) _exit(0);"
		        " if (p < 0 || waitpid(p, &st, 0) != p) return 1; n++; t = now() - s; }"
		        " while (t < budget / 3 || n < 3);\n"
		        "    if (n / t > best) best = n / t; }\n"
		        "  printf(\"%%.0f\\n\", best); return 0; }\n");
		for (i = 0; i < n; i++)
			fprintf(out, "int g%d_0(int);\n", i);
		fprintf(out, "int main(void) {\n  int s = 0;\n"
		        "  if (getenv(\"BENCH_FLOOR\") != NULL)"
		        " return floor_rate(atof(getenv(\"BENCH_FLOOR\")));\n"
		        "  const char *ms = getenv(\"BENCH_INIT_MS\");\n"
		        "  if (ms != NULL) { struct timespec t = { 0, atol(ms) * 1000000L };"
		        " nanosleep(&t, NULL); }\n"
		        "  if (getenv(\"BENCH_LATE\") != NULL && forkserver_start() == -1) return 9;\n");
		for (i = 0; i < n; i++)
			fprintf(out, "  s += g%d_0(%d);\n", i, i);
		fprintf(out, "  return s == -1;\n}\n");
		fclose(out);
		len = (size_t)snprintf(cmd, sizeof cmd,
		        "cd %s && %s -O1 -o t%d t%d.c -Wl,--no-as-needed -L. -Wl,-rpath,%s",
		        dir, BENCH_CC, n, n, dir);
		for (i = 0; i < n && len < sizeof cmd - 64; i++)
			len += (size_t)snprintf(cmd + len, sizeof cmd - len, " -lg%d", i);
		snprintf(cmd + len, sizeof cmd - len,
		         " -L%s/.libs -Wl,-rpath,%s/.libs -lforkserver",
		         BENCH_BUILDDIR, BENCH_BUILDDIR);
		if (sh(cmd) != 0)
			return -1;
	}
	return 0;
}

static int bare_fork(void *arg)
{
	int status;
	pid_t pid = fork();

	(void)arg;
	if (pid == 0)
		_exit(0);
	return pid == -1 || waitpid(pid, &status, 0) != pid || status != 0;
}

static int fork_exec(void *arg)
{
	char *argv[] = { arg, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid == -1 || waitpid(pid, &status, 0) != pid || status != 0;
}

static int spawn(void *arg)
{
	char *argv[] = { arg, NULL };
	int status;
	pid_t pid;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return 1;
	return waitpid(pid, &status, 0) != pid || status != 0;
}

static int fs_once(void *arg)
{
	struct forkserver *fs = arg;
	int status, id = forkserver_run(fs, NULL, NULL, 0, 0, NULL);

	return id == -1 || forkserver_wait(fs, id, &status, -1) != 0 || status != 0;
}

/* A rate the target measures itself and prints: its bare fork+waitpid
 * (self 0) or its self-fork (self 1). */
static double target_rate(const char *target, int self)
{
	char cmd[8400];
	double r = -1;
	FILE *p;

	if (self)
		snprintf(cmd, sizeof cmd, "BENCH_SELF=%g LD_BIND_NOW=1"
		         " LD_PRELOAD=%s/selffork.so %s", budget, dir, target);
	else
		snprintf(cmd, sizeof cmd, "BENCH_FLOOR=%g LD_BIND_NOW=1 %s",
		         budget, target);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	if (fscanf(p, "%lf", &r) != 1)
		r = -1;
	pclose(p);
	return r;
}

/* Starts target under a fork server (late: it calls forkserver_start;
 * early: the preload module) and measures runs through it. */
static double served(const char *target, int late)
{
	struct forkserver *fs;
	int sv[2], status;
	double r;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		char fd[16];

		close(sv[0]);
		snprintf(fd, sizeof fd, "%d", sv[1]);
		setenv("FORKSERVER_FD", fd, 1);
		setenv("LD_BIND_NOW", "1", 1);          /* as forkserver serve does */
		if (late)
			setenv("BENCH_LATE", "1", 1);
		else
			setenv("LD_PRELOAD", preload, 1);
		execl(target, target, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	fs = forkserver_fdopen(sv[0]);
	r = fs == NULL ? -1 : bench_rate(fs_once, fs, budget);
	if (fs != NULL)
		forkserver_close(fs);
	waitpid(pid, &status, 0);
	return r;
}

int main(int argc, char **argv)
{
	static const int counts[] = { 0, 10, 50, 100 };
	char target[4200];
	double floor, self, fe, sp, early, late;
	size_t c;

	if (argc > 1)
		budget = atof(argv[1]);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(preload, sizeof preload, "%s/.libs/forkserver-preload.so", BENCH_BUILDDIR);
	printf("generating 100 libraries and 4 targets in %s ...\n", dir);
	fflush(stdout);
	if (generate() != 0)
		return 1;
	floor = bench_rate(bare_fork, NULL, budget);
	printf("bare fork+waitpid in this benchmark: %.0f runs/s\n\n", floor);
	printf("%-5s %9s %9s %9s %9s %9s %9s  %8s %8s %8s %8s\n", "libs",
	       "fork+exec", "spawn", "fs early", "fs late", "floor(t)", "self(t)",
	       "early/fe", "late/fe", "floor/fs", "self/fs");
	for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		snprintf(target, sizeof target, "%s/t%d", dir, counts[c]);
		fe = bench_rate(fork_exec, target, budget);
		sp = bench_rate(spawn, target, budget);
		early = served(target, 0);
		late = served(target, 1);
		floor = target_rate(target, 0);
		self = target_rate(target, 1);
		printf("%-5d %9.0f %9.0f %9.0f %9.0f %9.0f %9.0f  %7.1fx %7.1fx %7.2fx %7.2fx\n",
		       counts[c], fe, sp, early, late, floor, self, early / fe,
		       late / fe, floor / early, self / early);
		fflush(stdout);
	}
	printf("\nfloor(t): bare fork+waitpid inside the target itself (same mappings);\n"
	       "floor/fs: the cost of an early-start run over that bare fork\n"
	       "(goal: at most 1.3x); self(t): the target forking itself where the\n"
	       "server would, its children running main and exit() with no server;\n"
	       "self/fs: the server's own cost over that; x/fe: runs per second\n"
	       "over fork+exec.\n");

	printf("\nwith an initialisation of 50 ms (target with 0 libraries):\n");
	printf("%-5s %10s %10s %10s %10s  %9s %9s\n", "libs", "fork+exec", "spawn",
	       "fs early", "fs late", "early/fe", "late/fe");
	setenv("BENCH_INIT_MS", "50", 1);
	snprintf(target, sizeof target, "%s/t0", dir);
	fe = bench_rate(fork_exec, target, budget);
	sp = bench_rate(spawn, target, budget);
	early = served(target, 0);
	late = served(target, 1);
	unsetenv("BENCH_INIT_MS");
	printf("%-5s %10.1f %10.1f %10.1f %10.0f  %8.1fx %8.0fx\n", "0", fe, sp,
	       early, late, early / fe, late / fe);

	snprintf(target, sizeof target, "rm -rf %s", dir);
	sh(target);
	return 0;
}

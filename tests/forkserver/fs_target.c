/* SPDX-License-Identifier: ISC */
/*
 * fs_target.c: the target the fork-server tests run. Each child reads one
 * command line from its stdin (or takes FS_TARGET_CMD when stdin is
 * empty) and does it: exit N, kill SIG, core (abort with core files on),
 * echo (copies the rest of stdin to stdout), hang, grandchild (forks one
 * that prints its pid and sleeps, then hangs or exits), waiteof N (exits N
 * at the end of stdin), mark PATH (creates PATH, then hangs), sigs (reports dispositions and mask that are not
 * the default), fds (lists its
 * open descriptors on stdout), write N TEXT, print-exit N, env NAME (the
 * child's NAME, or "unset"), bindnow (LD_BIND_NOW as the target saw it at
 * the start of main), exec PROG (runs PROG, found in PATH, with the
 * child's environment).
 *
 * Built twice: linked with libforkserver, calling forkserver_start() after
 * its initialisation (FS_LATE_START), and plain, for the preload module.
 * Before the fork point it opens /dev/null (a descriptor of its own that
 * children keep); FS_TARGET_CRASH=1 makes it die before it is ready,
 * FS_TARGET_THREAD=1 starts a thread first and FS_TARGET_OWN_CHILD=1 a
 * child that exits at once.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef FS_LATE_START
#include "forkserver.h"
#endif

#ifdef FS_LATE_START
static void on_int(int sig)
{
	(void)sig;
}
#endif

static char bind_now_at_start[64] = "unset";

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void hang(void)
{
	for (;;)
		pause();
}

static void list_fds(void)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			printf("%d ", fd);
	printf("\n");
}

static int do_command(char *line)
{
	char word[32], text[256];
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%31s", word) != 1)
		return 0;
	if (strcmp(word, "exit") == 0 && sscanf(line, "%*s %d", &n) == 1)
		return n;
	if (strcmp(word, "print-exit") == 0 && sscanf(line, "%*s %d", &n) == 1) {
		printf("run of pid %ld\n", (long)getpid());
		fprintf(stderr, "err of pid %ld\n", (long)getpid());
		return n;
	}
	if (strcmp(word, "kill") == 0 && sscanf(line, "%*s %d", &n) == 1) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		fflush(NULL);
		raise(n);
		return 100;
	}
	if (strcmp(word, "core") == 0) {
		struct rlimit all = { RLIM_INFINITY, RLIM_INFINITY };

		setrlimit(RLIMIT_CORE, &all);
		if (sscanf(line, "%*s %255s", text) == 1 && chdir(text) != 0)
			return 101;
		abort();
	}
	if (strcmp(word, "echo") == 0) {
		int c;

		while ((c = getchar()) != EOF)
			putchar(c);
		return 0;
	}
	if (strcmp(word, "hang") == 0)
		hang();
	if (strcmp(word, "mark") == 0 && sscanf(line, "%*s %255s", text) == 1) {
		int fd = open(text, O_WRONLY | O_CREAT, 0600);

		if (fd == -1)
			return 104;
		close(fd);
		hang();
	}
	if (strcmp(word, "waiteof") == 0 && sscanf(line, "%*s %d", &n) == 1) {
		while (getchar() != EOF)
			;
		return n;
	}
	if (strcmp(word, "grandchild") == 0) {
		pid_t g = fork();

		if (g == 0)
			hang();
		printf("%ld\n", (long)g);
		fflush(stdout);
		if (sscanf(line, "%*s %255s", text) == 1 && strcmp(text, "exit") == 0)
			return 0;
		hang();
	}
	if (strcmp(word, "sigs") == 0) {
		static const int sigs[] = { SIGINT, SIGUSR2, SIGCHLD, SIGPIPE, SIGTERM };
		struct sigaction sa;
		sigset_t mask;
		size_t i;

		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			if (sigaction(sigs[i], NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
				printf("changed %d ", sigs[i]);
		sigprocmask(SIG_SETMASK, NULL, &mask);
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			if (sigismember(&mask, sigs[i]))
				printf("blocked %d ", sigs[i]);
		printf("done\n");
		return 0;
	}
	if (strcmp(word, "fds") == 0) {
		list_fds();
		return 0;
	}
	if (strcmp(word, "env") == 0 && sscanf(line, "%*s %255s", text) == 1) {
		const char *v = getenv(text);

		printf("%s\n", v != NULL ? v : "unset");
		return 0;
	}
	if (strcmp(word, "pwd") == 0) {
		printf("%s\n", getcwd(text, sizeof text) != NULL ? text : "?");
		return 0;
	}
	if (strcmp(word, "cwd-is") == 0 && sscanf(line, "%*s %255s", text) == 1) {
		char here[256];

		return getcwd(here, sizeof here) != NULL &&
		       strcmp(here, text) == 0 ? 0 : 1;
	}
	if (strcmp(word, "exec") == 0 && sscanf(line, "%*s %255s", text) == 1) {
		execlp(text, text, (char *)NULL);
		return 105;
	}
	if (strcmp(word, "bindnow") == 0) {
		printf("%s\n", bind_now_at_start);
		return 0;
	}
	if (strcmp(word, "write") == 0 && sscanf(line, "%*s %d", &n) == 1) {
		/* The rest of the line after "write N ". */
		const char *rest = strchr(line, ' ');
		size_t len;

		rest = rest != NULL ? strchr(rest + 1, ' ') : NULL;
		if (rest == NULL)
			return 102;
		len = strlen(rest + 1);
		return write(n, rest + 1, len) == (ssize_t)len ? 0 : 102;
	}
	return 103;
}

int main(void)
{
	char line[8192];
	const char *cmd;
#ifdef FS_LATE_START
	sigset_t mask;
#endif
	pthread_t t;

	if (getenv("LD_BIND_NOW") != NULL)
		snprintf(bind_now_at_start, sizeof bind_now_at_start, "%s",
		         getenv("LD_BIND_NOW"));
	if (open("/dev/null", O_RDONLY) == -1)
		return 90;
	if (getenv("FS_TARGET_CRASH") != NULL)
		abort();
	if (getenv("FS_TARGET_OWN_CHILD") != NULL && fork() == 0)
		_exit(0);
#ifdef FS_LATE_START
	/* Dispositions and a mask of its own, which no child keeps. (The
	 * plain target's children start before main, from the preload.) */
	signal(SIGUSR2, SIG_IGN);
	signal(SIGINT, on_int);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
#endif
	if (getenv("FS_TARGET_THREAD") != NULL && pthread_create(&t, NULL, idle, NULL) != 0)
		return 91;
#ifdef FS_LATE_START
	if (forkserver_start() == -1)
		return 3;
	{
		/* Arguments in the request make the command line. */
		int ac, i;
		char **av = forkserver_args(&ac);
		size_t at = 0;

		for (i = 0; i < ac && at < sizeof line - 1; i++)
			at += (size_t)snprintf(line + at, sizeof line - at, "%s%s",
			                       i > 0 ? " " : "", av[i]);
		if (ac > 0)
			return do_command(line);
	}
#endif
	if (fgets(line, sizeof line, stdin) != NULL)
		return do_command(line);
	cmd = getenv("FS_TARGET_CMD");
	if (cmd == NULL)
		return 0;
	snprintf(line, sizeof line, "%s", cmd);
	return do_command(line);
}

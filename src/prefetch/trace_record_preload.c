/* SPDX-License-Identifier: ISC */
/*
 * trace_record_preload.c: prefetchctl record without fanotify (not root,
 * or not Linux): the command runs with prefetch-record-preload.so
 * preloaded (record_preload.c), which writes the path of each file it
 * opens to a pipe; when the command has exited, each file's resident
 * pages become its ranges, as with fanotify. What the preload cannot see
 * (static or set-user-ID programs, raw system calls) is missing, and of
 * files the user cannot write mincore tells nothing true (every page
 * reads as resident), so they are recorded whole.
 * The module is $PREFETCHCTL_PRELOAD, or the one installed with
 * prefetchctl.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_run.h"

#ifndef PREFETCH_RECORD_PRELOAD
#define PREFETCH_RECORD_PRELOAD "prefetch-record-preload.so"
#endif

struct seen {
	char **paths;
	size_t n, cap;
	char buf[8192];
	size_t have;
};

static int seen_add(struct seen *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->paths[i], path) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **grown = realloc(s->paths, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		s->paths = grown;
		s->cap = cap;
	}
	s->paths[s->n] = strdup(path);
	if (s->paths[s->n] == NULL)
		return -1;
	s->n++;
	return 0;
}

/* Reads what reports there are, one path a line. */
static void seen_read(struct seen *s, int fd)
{
	for (;;) {
		ssize_t n = read(fd, s->buf + s->have, sizeof s->buf - 1 - s->have);
		char *line, *nl;

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s->have += (size_t)n;
		s->buf[s->have] = '\0';
		line = s->buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (line[0] == '/' && seen_add(s, line) == -1)
				return;
			line = nl + 1;
		}
		s->have -= (size_t)(line - s->buf);
		memmove(s->buf, line, s->have);
		if (s->have == sizeof s->buf - 1)
			s->have = 0;   /* no line is that long: drop it */
	}
}

static void child(char *const *argv, const struct rec_opts *o,
                  const char *module, int report)
{
	const char *old = getenv("LD_PRELOAD");
	char num[16], *pre;
	size_t len = strlen(module) + (old ? strlen(old) : 0) + 2;

	pre = malloc(len);
	if (pre == NULL)
		_exit(127);
	snprintf(pre, len, "%s%s%s", module, old && *old ? ":" : "", old && *old ? old : "");
	snprintf(num, sizeof num, "%d", report);
	if (fcntl(report, F_SETFD, 0) == -1 ||
	    setenv("PREFETCHCTL_RECORD_FD", num, 1) == -1 ||
	    setenv("PREFETCHCTL_RECORD_COLD", o->cold ? "1" : "0", 1) == -1 ||
	    setenv("LD_PRELOAD", pre, 1) == -1)
		_exit(127);
	execvp(argv[0], argv);
	fprintf(stderr, "prefetchctl: record: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int trace_record_preload(char *const *argv, const struct rec_opts *o,
                         struct pf_trace *t, int *status)
{
	const char *module = getenv("PREFETCHCTL_PRELOAD");
	struct seen s;
	int p[2], exited = 0, rc = 0, err;
	size_t i, blind = 0;
	pid_t pid;

	if (module == NULL)
		module = PREFETCH_RECORD_PRELOAD;
	if (module[0] != '/' || access(module, R_OK) == -1) {
		fprintf(stderr, "prefetchctl: record: not supported here: no "
		        "fanotify (it needs root) and no preload module at %s\n", module);
		errno = ENOTSUP;
		return -1;
	}
	if (pipe(p) == -1)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	pid = fork();
	if (pid == -1) {
		err = errno;
		close(p[0]);
		close(p[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(argv, o, module, p[1]);
	}
	close(p[1]);
	memset(&s, 0, sizeof s);
	while (!exited) {
		struct pollfd pfd;

		pfd.fd = p[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5) > 0)
			seen_read(&s, p[0]);
		if (waitpid(pid, status, WNOHANG) == pid)
			exited = 1;
	}
	seen_read(&s, p[0]);
	close(p[0]);
	if (t->page_size == 0)
		pf_trace_init(t, (uint32_t)sysconf(_SC_PAGESIZE));
	for (i = 0; i < s.n; i++) {
		int fd = open(s.paths[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		struct stat st;

		if (fd == -1)
			continue;
		if (strcmp(s.paths[i], module) == 0) {
			close(fd);
			continue;   /* our own reporter */
		}
		if (rc == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			/* mincore says "all resident" of a file the caller may
			 * not write (a side channel closed in Linux 5.2). */
			if (geteuid() != 0 && access(s.paths[i], W_OK) == -1)
				blind++;
			if (o->verbose)
				fprintf(stderr, "prefetchctl: record: %s\n", s.paths[i]);
			rc = trace_add_file_fd(t, s.paths[i], fd);
		}
		close(fd);
	}
	err = errno;
	if (blind > 0)
		fprintf(stderr, "prefetchctl: record: %zu files you cannot write: "
		        "the kernel does not tell which of their pages are cached, so "
		        "they are recorded whole (record as root for their pages)\n",
		        blind);
	for (i = 0; i < s.n; i++)
		free(s.paths[i]);
	free(s.paths);
	errno = err;
	return rc;
}

/* SPDX-License-Identifier: ISC */
/*
 * cmd_target.c: what forkserver serve checks of its target before it
 * starts it: that the program exists, and whether it is a script whose
 * interpreter would get the fork server in place of the program it runs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* A regular file that we may execute. */
static int runnable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

int cmd_find_program(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH"), *p;

	if (strchr(name, '/') != NULL) {
		if (strlen(name) >= cap) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(out, name);
		if (runnable(out))
			return 0;
		errno = access(out, F_OK) == 0 ? EACCES : ENOENT;
		return -1;
	}
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		int len = snprintf(out, cap, "%.*s%s%s", (int)n, p,
		                   n > 0 ? "/" : "", name);

		if (len > 0 && (size_t)len < cap && runnable(out))
			return 0;
		if (end == NULL)
			break;
		p = end;
	}
	errno = ENOENT;
	return -1;
}

/* The last part of a path. */
static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Interpreters that run another program rather than being the target. */
static int is_launcher(const char *name)
{
	static const char *const shells[] = {
		"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox",
		"env", NULL
	};
	size_t i;

	for (i = 0; shells[i] != NULL; i++)
		if (strcmp(name, shells[i]) == 0)
			return 1;
	return 0;
}

int cmd_check_script(const char *path, int first_read)
{
	char line[256], interp[PATH_MAX];
	ssize_t n;
	char *p, *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	n = read(fd, line, sizeof line - 1);
	close(fd);
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	line[n] = '\0';
	p = line + 2;
	p += strspn(p, " \t");
	end = p + strcspn(p, " \t\n");
	if ((size_t)(end - p) >= sizeof interp)
		return 0;
	memcpy(interp, p, (size_t)(end - p));
	interp[end - p] = '\0';
	if (!is_launcher(base(interp)) ||
	    (first_read && strcmp(base(interp), "env") == 0))
		return 0;       /* env execs the program before any read */
	fprintf(stderr, "forkserver: warning: %s is a script run by %s: ", path,
	        interp);
	if (first_read)
		fprintf(stderr, "the fork server starts in whichever process first"
		        " reads standard input: right if the script execs the"
		        " program before reading any, wrong if %s reads it.",
		        base(interp));
	else
		fprintf(stderr, "the fork server would start in %s, not in the"
		        " program the script runs.", base(interp));
	fprintf(stderr, " Name the real program as the target (for pyenv's"
	        " shim: forkserver serve ... -- \"$(pyenv which python3)\""
	        " script.py; for '#!/usr/bin/env python3': -- python3"
	        " script.py)\n");
	return 1;
}

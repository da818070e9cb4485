/* SPDX-License-Identifier: ISC */
/*
 * ctl_files.c: the files a command works on, as vmtouch takes them: a
 * directory stands for the regular files under it (walked without
 * following symbolic links, so nothing outside the tree is reached), and
 * "-" for the paths read from standard input, one a line, or separated by
 * NUL bytes after -0.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"

/* The list made: kept reachable until the program exits. */
static char **ctl_list;
static size_t ctl_nlist, ctl_cap;

static int ctl_add(const char *path)
{
	char *copy;

	if (ctl_nlist + 2 > ctl_cap) {
		size_t cap = ctl_cap ? ctl_cap * 2 : 64;
		char **list = realloc(ctl_list, cap * sizeof *list);

		if (list == NULL)
			return -1;
		ctl_list = list;
		ctl_cap = cap;
	}
	copy = strdup(path);
	if (copy == NULL)
		return -1;
	ctl_list[ctl_nlist++] = copy;
	ctl_list[ctl_nlist] = NULL;
	return 0;
}

static int ctl_walk_one(const char *path, const struct stat *sb, int type,
                        struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_DNR || type == FTW_NS)
		fprintf(stderr, "prefetchctl: %s: cannot be read\n", path);
	if (type == FTW_F && S_ISREG(sb->st_mode))
		return ctl_add(path) == -1 ? -1 : 0;
	return 0; /* symbolic links, devices, fifos under a directory: skipped */
}

/* A path given: a directory is walked, anything else is kept for the
 * command to open (and to say what is wrong with it). */
static int ctl_add_arg(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return nftw(path, ctl_walk_one, 16, FTW_PHYS);
	return ctl_add(path);
}

static int ctl_read_stdin(int nul)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while (rc == 0 && (n = getdelim(&line, &cap, nul ? '\0' : '\n', stdin)) != -1) {
		if (n > 0 && line[n - 1] == (nul ? '\0' : '\n'))
			line[--n] = '\0';
		if (n > 0)
			rc = ctl_add_arg(line);
	}
	free(line);
	return rc;
}

int ctl_expand(int *argc, char ***argv)
{
	int i, nul = 0;

	ctl_nlist = 0;
	/* The command's options stay first (those taking a value with it);
	 * -0 is this file's. "--" then ends them, whatever the names are. */
	for (i = 0; i < *argc; i++) {
		const char *a = (*argv)[i];

		if (strcmp(a, "-0") == 0) {
			nul = 1;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (ctl_add(a) == -1)
			return -1;
		if ((strcmp(a, "--kind") == 0 || strcmp(a, "--timeout") == 0 ||
		     strcmp(a, "--range") == 0) &&
		    i + 1 < *argc && ctl_add((*argv)[++i]) == -1)
			return -1;
	}
	if (ctl_add("--") == -1)
		return -1;
	for (; i < *argc; i++)
		if ((strcmp((*argv)[i], "-") == 0 ? ctl_read_stdin(nul) :
		     ctl_add_arg((*argv)[i])) == -1) {
			fprintf(stderr, "prefetchctl: %s: %s\n", (*argv)[i],
			        strerror(errno));
			return -1;
		}
	*argc = (int)ctl_nlist;
	*argv = ctl_list;
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * threads.c: notices a target that started threads before its fork point.
 * A child gets only the forking thread; locks the others held stay held.
 * Counted from /proc/self/task where the system has it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

int fs_thread_count(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n > 0 ? n : -1;
}

int fs_check_threads(void)
{
	const char *mode = getenv("FORKSERVER_THREADS");
	int n = fs_thread_count();

	if (n <= 1 || (mode != NULL && strcmp(mode, "ignore") == 0))
		return 0;
	if (mode != NULL && strcmp(mode, "refuse") == 0) {
		fprintf(stderr, "forkserver: %d threads run before the fork point;"
		        " refusing to serve (FORKSERVER_THREADS=refuse)\n", n);
		errno = EDEADLK;
		return -1;
	}
	fprintf(stderr, "forkserver: warning: %d threads run before the fork"
	        " point; each child gets only the forking thread\n", n);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * fs_persist.c: a persistent target (forkserver_loop). Starts its fork
 * server late, then serves up to argv[1] runs per process: each reads its
 * standard input and prints the run's number in this process, the pid,
 * $FS_V and what it read. Input "exit N" ends the run (and the process)
 * with N; "hang" never ends; "pwd" prints the working directory too.
 * Without argv[1], $FS_PERSIST_RUNS. With $FS_PERSIST_LINE set, a run
 * reads one line only (with fgets: stdio buffers the rest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkserver.h"

int main(int argc, char **argv)
{
	const char *runs = argc > 1 ? argv[1] : getenv("FS_PERSIST_RUNS");
	unsigned max = runs != NULL ? (unsigned)atoi(runs) : 1;
	char in[1024];
	int run = 0;

	if (forkserver_start() == -1) {
		perror("forkserver_start");
		return 1;
	}
	while (forkserver_loop(max)) {
		size_t n = 0;
		const char *v = getenv("FS_V");
		int code;

		if (getenv("FS_PERSIST_LINE") == NULL)
			n = fread(in, 1, sizeof in - 1, stdin);
		else if (fgets(in, sizeof in, stdin) != NULL)
			n = strlen(in);
		in[n] = '\0';
		run++;
		printf("run %d pid %ld v %s got:%s", run, (long)getpid(),
		       v != NULL ? v : "-", in);
		if (strncmp(in, "pwd", 3) == 0)
			printf("cwd:%s\n", getcwd(in, sizeof in) != NULL ? in : "?");
		if (sscanf(in, "exit %d", &code) == 1)
			exit(code);
		if (strncmp(in, "hang", 4) == 0) {
			fflush(stdout);
			for (;;)
				pause();
		}
	}
	return 0;
}

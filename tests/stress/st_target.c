/* SPDX-License-Identifier: ISC */
/*
 * st_target.c: the target stress_forkserver serves (plain: the preload
 * module makes it a fork server before main). Each child reads one
 * command line from its standard input and does it: "exit N"; "echo"
 * (copies the rest of its input to its output); "hang" (prints "ready"
 * and waits for a signal); "kill N" (raises signal N, no core).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	char line[256];
	int n, c;

	if (fgets(line, sizeof line, stdin) == NULL)
		return 90;
	if (sscanf(line, "exit %d", &n) == 1)
		return n;
	if (strcmp(line, "echo\n") == 0) {
		while ((c = getchar()) != EOF)
			putchar(c);
		return ferror(stdout) || fflush(stdout) != 0 ? 91 : 0;
	}
	if (strcmp(line, "hang\n") == 0) {
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (sscanf(line, "kill %d", &n) == 1) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		raise(n);
		return 92;
	}
	return 93;
}

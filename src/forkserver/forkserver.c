/* SPDX-License-Identifier: ISC */
/*
 * forkserver.c: the forkserver command. "serve" starts a target under the
 * fork server on a listening Unix socket (cmd_serve.c); "run" asks that
 * server for one child with the caller's descriptors and exits as the
 * child did (cmd_run.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void usage(FILE *f)
{
	/* run's usage without its "usage: ", under serve's. */
	fprintf(f, "%s       %s       forkserver --help | --version\n",
	        serve_usage, run_usage + strlen("usage: "));
}

int main(int argc, char **argv)
{
	if (argc > 0)
		cmd_argv0 = argv[0];
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return serve_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run_main(argc - 1, argv + 1);
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	                  strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		printf("\n%s\n%sSee forkserver(1).\n", serve_help,
		       run_help);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("forkserver (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	usage(stderr);
	return EXIT_USAGE;
}

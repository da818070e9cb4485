/* SPDX-License-Identifier: ISC */
/*
 * cmd_util.c: option values and signal handling for the forkserver
 * command's subcommands.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "parseint.h"

volatile sig_atomic_t cmd_got_signal;
int cmd_sig_pipe[2] = { -1, -1 };
const char *cmd_argv0 = "forkserver";

void cmd_on_signal(int sig)
{
	int saved = errno;
	char b = (char)sig;

	cmd_got_signal = sig;
	if (cmd_sig_pipe[1] != -1)
		(void)write(cmd_sig_pipe[1], &b, 1);
	errno = saved;
}

void cmd_catch(int sig, void (*fn)(int))
{
	struct sigaction sa;

	sa.sa_handler = fn;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

int cmd_parse_int(const char *s, int min, int max, int *out)
{
	long v;

	if (util_parse_long(s, min, max, &v) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= 0) || v > 4000000)
		return -1;
	*ms = (unsigned)(v * 1000 + 0.5);
	if (*ms == 0 && v > 0)
		*ms = 1;
	return 0;
}

int cmd_bad_option(const char *cmd, char *const *argv, const char *usage)
{
	fprintf(stderr, "forkserver: %s: unknown option or missing value: %s\n%s",
	        cmd, argv[optind - 1], usage);
	return EXIT_USAGE;
}

int cmd_bad_value(const char *option, const char *value)
{
	fprintf(stderr, "forkserver: bad %s %s\n", option, value);
	return EXIT_USAGE;
}

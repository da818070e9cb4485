/* SPDX-License-Identifier: ISC */
/*
 * cmd.h: what the subcommands of the forkserver command share: option
 * values, signals, and each subcommand's entry point and help.
 */
#ifndef FS_CMD_H
#define FS_CMD_H

#include <signal.h>
#include <stddef.h>

#define EXIT_USAGE 2

/* The last terminating signal caught; each one also writes a byte to
 * cmd_sig_pipe[1] when that is open, for poll. */
extern volatile sig_atomic_t cmd_got_signal;
extern int cmd_sig_pipe[2];

/* The command's argv[0]. */
extern const char *cmd_argv0;

/* Sets sig's handler (no flags, empty mask). */
void cmd_catch(int sig, void (*fn)(int));
/* The handler that records a signal in cmd_got_signal. */
void cmd_on_signal(int sig);

/* A decimal integer in min..max: 0, or -1. */
int cmd_parse_int(const char *s, int min, int max, int *out);
/* Decimal seconds, 0 to 4000000, as milliseconds (at least 1 when not
 * 0): 0, or -1. */
int cmd_parse_seconds(const char *s, unsigned *ms);
/* Says that option's value is bad, on stderr; returns EXIT_USAGE. */
int cmd_bad_value(const char *option, const char *value);
/* Says which option getopt_long refused, with the usage, on stderr;
 * returns EXIT_USAGE. */
int cmd_bad_option(const char *cmd, char *const *argv, const char *usage);

/* Looks for program name as execvp would (a name with a slash as it is),
 * into out (cap bytes): 0, or -1 and errno ENOENT or EACCES. */
int cmd_find_program(const char *name, char *out, size_t cap);
/* Warns on stderr when path is a script whose interpreter is a shell or
 * env(1), which would get the fork server in place of the program it
 * starts; first_read: serve --first-read. Returns 1 when it warned. */
int cmd_check_script(const char *path, int first_read);

/* The subcommands: argv[0] is the subcommand's name. */
int serve_main(int argc, char **argv);
int run_main(int argc, char **argv);
extern const char serve_usage[], serve_help[], run_usage[], run_help[];

#endif /* FS_CMD_H */

/* SPDX-License-Identifier: ISC */
/* Stand-in <getopt.h>: getopt_long, as the BSDs, macOS and illumos
 * declare it. */
#ifndef STANDIN_GETOPT_H
#define STANDIN_GETOPT_H
#include <unistd.h>
struct option {
	const char *name;
	int has_arg;
	int *flag;
	int val;
};
#define no_argument 0
#define required_argument 1
#define optional_argument 2
int getopt_long(int argc, char *const *argv, const char *optstring,
                const struct option *longopts, int *longindex);
#endif

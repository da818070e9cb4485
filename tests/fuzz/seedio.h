/* SPDX-License-Identifier: ISC */
/*
 * seedio.h: what the seed-corpus generators share: writing one seed file
 * into the directory named on their command line, and counting what they
 * wrote. A seed the encoder refuses (the format changed under it) is a
 * warning; none written at all, or a file not written, is a failure.
 */
#ifndef SEEDIO_H
#define SEEDIO_H

#include <stddef.h>

/* Takes the directory from argv[1] (created if missing): 0, or -1 after
 * printing a usage line. */
int seed_begin(int argc, char **argv);

/* Writes len bytes as file name in that directory. A negative len (an
 * encoder's failure) leaves the seed out, with a warning naming it. */
void seed_put(const char *name, const void *buf, long len);

/* Exit status for main: 0 when seeds were written and no write failed,
 * 1 otherwise. */
int seed_end(void);

#endif

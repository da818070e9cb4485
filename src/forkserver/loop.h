/* SPDX-License-Identifier: ISC */
/*
 * loop.h: persistent children (forkserver_loop): the loop socket between
 * the server and each child, and what travels on it. Private to the
 * in-target server.
 */
#ifndef FS_LOOP_H
#define FS_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

/* Server to child, with the run's descriptors: version (4), header
 * flags (4), body length (4), then the RUN body. */
#define FS_LOOP_HDR 12

/* Child to server, one message each. */
enum { FS_LOOP_SET = 1, FS_LOOP_DONE = 2 };
struct fs_loop_word {
	int what;       /* FS_LOOP_SET: a run in place (or not); DONE: ended */
	int err;        /* SET: 0, or why its set-up failed */
	long failed;    /* SET: the target it failed at, or < 0 */
};

/* What failed, other than a target, in a child's set-up report. */
#define FS_FAILED_CWD (-2)
#define FS_FAILED_ENV (-3)

void fs_loop_header(unsigned char *p, unsigned version, unsigned flags,
                    size_t len);

/* In a child just forked, before it sets run's variables: takes its end
 * of the loop socket (moved above every target), the first run's targets
 * and the values its variables replace. 0, or -1 and errno. */
int fs_loop_begin(int fd, const struct fsp_run *run);

#endif /* FS_LOOP_H */

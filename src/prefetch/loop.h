/* SPDX-License-Identifier: ISC */
/*
 * loop.h: prefetchd's event loop: the listening socket (if any), the
 * connections, and the signal that asks it to stop.
 */
#ifndef PF_LOOP_H
#define PF_LOOP_H

#include "session.h"

#define PF_MAX_CONNS 1024

struct pf_loop;

/* A loop over st; listen_fd is -1 in pipe mode. */
struct pf_loop *pf_loop_new(struct pf_state *st, int listen_fd);
/* The lock pool's notification descriptor: lock requests go to the pool
 * from now on, and it is stopped when the loop ends. */
void pf_loop_set_notify(struct pf_loop *lp, int fd);
/* Closes a socket connection that has not agreed on a version within
 * seconds of being accepted (0: never). */
void pf_loop_set_hello_timeout(struct pf_loop *lp, int seconds);
/* Adds the parent's connection (pipe mode): reading in and writing out,
 * which may be one socket. The loop owns both but never changes their
 * flags: the parent may share them. If last, the loop ends with it. */
int pf_loop_add(struct pf_loop *lp, int in, int out, int last);
/* Runs until EXIT, a stop signal, or the end of the last connection.
 * Returns 0, or -1 and errno (the listening socket failed). */
int pf_loop_run(struct pf_loop *lp);
/* The descriptor the signal handler writes to (once a loop was made). */
int pf_loop_signal_fd(void);
/* Closes every connection and frees the loop (not st, not listen_fd). */
void pf_loop_free(struct pf_loop *lp);

#endif /* PF_LOOP_H */

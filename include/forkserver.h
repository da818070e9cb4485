/* SPDX-License-Identifier: ISC */
/*
 * forkserver.h: fork a pre-initialised program once per request, handing
 * each child the caller's descriptors.
 *
 * In the target: forkserver_start() turns the calling process into a fork
 * server when its environment names a control channel, and returns in each
 * child. On the client side: connect, run, wait, signal, close. Every
 * function returns -1 and sets errno on failure; libforkserver(3) has the
 * details.
 */
#ifndef FORKSERVER_H
#define FORKSERVER_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Server side. Returns 0 in each child the server forks, 1 at once when
 * the environment names no fork server (the program then runs as usual),
 * or -1 and errno. The server process itself never returns: it exits when
 * its controller goes away.
 */
int forkserver_start(void);

/*
 * In a child: the arguments its request carried, as a NULL-terminated
 * array the library owns, their number in *argc (when argc is not NULL).
 * NULL and 0 when the request carried none, or outside a child.
 */
char **forkserver_args(int *argc);

/*
 * Persistent runs: in a child, while (forkserver_loop(max)) { one run }
 * serves up to max runs in one process, each with its own descriptors,
 * directory, variables, arguments and deadline. The first call returns 1
 * at once (the run the child was forked for); each later call ends the
 * last run (exit status 0; a run that calls exit() ends with its code,
 * and the process with it), gives back its descriptors and waits for the
 * next run: 1, or 0 after max runs or outside a fork server (the caller
 * then exits, which ends its last run).
 */
int forkserver_loop(unsigned max);

/* Client side: a connection to a fork server. */
struct forkserver;

/* Connects to the server listening on the Unix socket at path. */
struct forkserver *forkserver_connect(const char *path);

/* Speaks to a server over fd, an already connected socket; the
 * connection owns fd from then on, also on failure. */
struct forkserver *forkserver_fdopen(int fd);

/*
 * Starts one child: fds[i] becomes descriptor targets[i] in the child
 * (n pairs, n may be 0). timeout_ms > 0 is a deadline the server enforces
 * by killing the child's process group. Stores the child's pid in *pid
 * when pid is not NULL. Returns the request id (> 0) for forkserver_wait.
 */
int forkserver_run(struct forkserver *fs, const int *fds, const int *targets,
                   size_t n, unsigned timeout_ms, pid_t *pid);

/* The same, with arguments for the child (args: NULL-terminated, at most
 * 256, or NULL), which it reads with forkserver_args(). */
int forkserver_run_args(struct forkserver *fs, const int *fds,
                        const int *targets, size_t n,
                        const char *const *args, unsigned timeout_ms,
                        pid_t *pid);

/* Where forkserver_run_env's child starts: in the caller's working
 * directory (what forkserver_run and forkserver_run_args do), or in the
 * server's; any other value is a directory descriptor. */
#define FORKSERVER_CWD_CALLER (-1)
#define FORKSERVER_CWD_SERVER (-2)

/* The same, with variables for the child's environment (env:
 * NULL-terminated NAME=VALUE, at most 256, or NULL) and its working
 * directory (dirfd). A server that speaks protocol version 1 only takes
 * neither: EPROTONOSUPPORT (the default, FORKSERVER_CWD_CALLER, is then
 * left out). */
int forkserver_run_env(struct forkserver *fs, const int *fds,
                       const int *targets, size_t n,
                       const char *const *args, const char *const *env,
                       int dirfd, unsigned timeout_ms, pid_t *pid);

/*
 * Waits up to timeout_ms (-1: no limit) for request id to end and stores
 * its raw wait status in *status. Returns 0 when the child ended, 1 when
 * the server killed it at its deadline, or -1 and errno (ETIMEDOUT: still
 * running).
 */
int forkserver_wait(struct forkserver *fs, int id, int *status, int timeout_ms);

/* Sends sig to the child of request id. */
int forkserver_signal(struct forkserver *fs, int id, int sig);

/* Sends SIGKILL to the child of request id and its process group. */
int forkserver_kill(struct forkserver *fs, int id);

/* The server's own words for the last error it reported on this
 * connection (whose errno a call just returned), for people; "" when
 * none. Valid until the next call with fs. */
const char *forkserver_last_error(const struct forkserver *fs);

/* The most children the server runs at once. */
int forkserver_max_children(const struct forkserver *fs);

/* Closes the connection; the server kills the children still running
 * for it. */
int forkserver_close(struct forkserver *fs);

#ifdef __cplusplus
}
#endif

#endif /* FORKSERVER_H */

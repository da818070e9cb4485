/* SPDX-License-Identifier: ISC */
/*
 * server.h: the parts of the in-target fork server, shared between its
 * files; nothing here is exported from libforkserver.
 */
#ifndef FS_SERVER_H
#define FS_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "environ.h"
#include "monoclock.h"
#include "protocol.h"

/*
 * In a freshly forked child (the server's descriptors closed already,
 * fs_close_held): joins a process group of its own, puts fds[i] at
 * targets[i] (and closes the originals), resets every signal disposition
 * and the mask.
 * *keep, a descriptor the child still needs, is moved (close-on-exec)
 * when a target takes its number. Returns 0, or -1 and errno, with the
 * target that could not be placed in *failed (-1: none); the caller then
 * _exits.
 */
int fs_child_enter(const int *fds, const uint32_t *targets, size_t n,
                   int *keep, long *failed);

/* fs_child_enter's placing alone: fds[i] at targets[i], the originals
 * closed, *keep moved out of the way. */
int fs_child_place(const int *fds, const uint32_t *targets, size_t n,
                   int *keep, long *failed);

/* In a child: into the working directory dir (-1: stays where it is),
 * which is closed; the NAME=VALUE entries its request carried, into the
 * environment; its arguments, for forkserver_args() (a persistent child's
 * last ones freed). 0, or -1 and errno (for the last: none, it keeps what
 * it could). */
int fs_child_cwd(int dir);
int fs_child_env(const struct fsp_run *run);
void fs_child_args(const struct fsp_run *run);
/* 1 at a process's first call, 0 after. */
int fs_child_first_run(void);

/* In a child: dies with SIGKILL when server, its parent, dies, where the
 * system can say so (PR_SET_PDEATHSIG). 0, or -1 and errno. */
int fs_die_with(pid_t server);

/* Notes which signal dispositions differ from the default (in the
 * server, once it has set its own handlers, and before its first fork);
 * fs_reset_signals then sets those back to the default and empties the
 * mask (in a child). */
void fs_note_signals(void);
void fs_reset_signals(void);

/* Threads in this process, or -1 where the system does not say. */
int fs_thread_count(void);

/* 0 to go on, -1 (errno EDEADLK) when FORKSERVER_THREADS=refuse and the
 * process has more than one thread; warns on stderr otherwise. */
int fs_check_threads(void);

/* Centipede's two-FIFO protocol: returns 0 in each child, -1 and errno
 * on failure; the server itself exits when its controller goes. */
int fs_centipede_serve(const char *fifo0, const char *fifo1);

/* 1 for a SOCK_SEQPACKET socket (a frame a message), 0 for a stream. */
int fs_message_socket(int fd);


/* Adds fl to fd's status flags and fdfl to its descriptor flags. 0, or
 * -1 and errno. */
int fs_set_flags(int fd, int fl, int fdfl);

/* In a child: closes every descriptor the server holds but the ones
 * connection self brought with its frame and dir, the child's working
 * directory (or -1). It writes no memory: each page a child writes is one
 * more copy-on-write fault a run. */
void fs_close_held(size_t self, int dir);

#endif /* FS_SERVER_H */

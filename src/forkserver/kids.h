/* SPDX-License-Identifier: ISC */
/*
 * kids.h: the fork server's children: started per RUN, announced once
 * set up, signalled, reaped and reported, killed at their deadline or
 * with their connection. Private to the in-target server.
 */
#ifndef FS_KIDS_H
#define FS_KIDS_H

#include <poll.h>
#include <stddef.h>
#include <sys/types.h>

#include "protocol.h"

/* Room for max children of server (this process), and the pipe they tell
 * their set-up on. 0, or -1 and errno. */
int fs_kids_init(size_t max, pid_t server);

/* Undoes fs_kids_init. */
void fs_kids_fini(void);

/* 1 when each child's end is seen on a descriptor of its own (a pidfd),
 * polled with fs_kids_poll_fds; 0 when the server must reap on SIGCHLD:
 * without pidfds, or when the target has children of its own. */
int fs_kids_have_pidfds(void);

/* pidfd.c: a descriptor readable once child pid has ended, or -1 and
 * errno (ENOSYS where the system has none). */
int fs_pidfd_open(pid_t pid);

/* unshared.c: size zeroed bytes that a fork leaves out of the child
 * where the system can (MADV_DONTFORK), or NULL; and their end. */
void *fs_unshared_alloc(size_t size);
void fs_unshared_free(void *p, size_t size);

/* Children get a loop socket, for forkserver_loop (FORKSERVER_LOOP). */
void fs_kids_allow_loops(int yes);

/* That pipe's read end, to poll; fs_kids_heard reads it. */
int fs_kids_report_fd(void);
void fs_kids_heard(void);

/* The most children at once; whether that many run. */
size_t fs_kids_max(void);
int fs_kids_full(void);
/* The children alive (running a run, or between two). */
size_t fs_kids_running(void);

/* The RUN h (body) of connection ci, with the descriptors the connection
 * holds: 1 in the child, 0 in the server (answered with ERROR when no
 * child started), 2 when every slot is taken (nothing done). */
int fs_kids_run(size_t ci, const struct fsp_header *h,
                const unsigned char *body);

/* The children's descriptors to poll, into p (room for 2 * fs_kids_max()
 * of them): loop sockets and pidfds; the number put there.
 * fs_kids_polled deals with one that poll reported: reads what a child
 * said on its loop socket (a run in place, or a run done), or reaps the
 * children that ended. */
size_t fs_kids_poll_fds(struct pollfd *p);
void fs_kids_polled(int fd);

/* The SIGNAL h (body) of connection ci. */
void fs_kids_signal(size_t ci, const struct fsp_header *h,
                    const unsigned char *body);

/* Reaps the children that ended and reports them. */
void fs_kids_reap(void);

/* Kills the children past their deadline; the milliseconds to the next
 * deadline, or -1. */
int fs_kids_deadline(void);

/* Kills the children of connection ci, which nobody will hear of. */
void fs_kids_orphan(size_t ci);

/* Kills every child and its group, and reaps them. */
void fs_kids_end(void);

#endif /* FS_KIDS_H */

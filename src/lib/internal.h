/* SPDX-License-Identifier: ISC */
/*
 * internal.h: declarations shared inside libgivefd; never installed.
 */
#ifndef GFD_INTERNAL_H
#define GFD_INTERNAL_H

#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef HAVE_VISIBILITY
#define GFD_PUBLIC __attribute__((visibility("default")))
#else
#define GFD_PUBLIC
#endif

/* Most descriptors one receive can take; no backend promises more. */
#define GFD_FD_CAP 1024

/* recvmsg's flag not to wait where there is one (it is POSIX only since
 * 2024); else 0, and gfd_ready_now is asked first. */
#ifdef MSG_DONTWAIT
#define GFD_MSG_DONTWAIT MSG_DONTWAIT
#else
#define GFD_MSG_DONTWAIT 0
#endif

/* 0 when fd has something to read (or its end) now, else -1 and errno
 * (EAGAIN: nothing yet). */
int gfd_ready_now(int fd);

/* Closes fds[0..n), keeping errno as it was. */
void gfd_close_all(const int *fds, size_t n);

/* After a truncated control message: were descriptors lost because the
 * table is full (or a security module refused them), rather than because
 * the peer sent more than the buffer holds? any_open_fd is duplicated to
 * find out. */
int gfd_descriptor_table_full(int any_open_fd);

/* Marks each of fds[0..n) close-on-exec; -1 and errno if one fails. */
int gfd_set_cloexec_all(const int *fds, size_t n);

/* Blocks SIGPIPE for the calling thread around a write that may raise it,
 * and swallows a SIGPIPE that the write itself caused. */
struct gfd_sigpipe_guard {
	sigset_t old_mask;
	int was_pending;
};
void gfd_sigpipe_hold(struct gfd_sigpipe_guard *guard);
void gfd_sigpipe_release(struct gfd_sigpipe_guard *guard);

#endif /* GFD_INTERNAL_H */

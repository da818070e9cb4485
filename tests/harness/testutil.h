/* SPDX-License-Identifier: ISC */
/*
 * testutil.h: what every test program shares: the descriptor-leak and
 * zombie checks run around each test, and child processes for the other
 * end of a channel.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/types.h>
#include <cmocka.h>

#include "givefd.h"

/* cmocka setup and teardown: the teardown fails the test if a descriptor
 * opened during it is still open, or a child is left unreaped. */
int tu_snapshot(void **state);
int tu_check_clean(void **state);

#define TU_TEST(fn) cmocka_unit_test_setup_teardown(fn, tu_snapshot, tu_check_clean)

/* Runs body(chan, arg) in a child process that keeps only chan of the
 * pair made by socketpair(AF_UNIX, type); *parent_end gets the other end.
 * The child exits with body's return value (0 means all went well). */
pid_t tu_fork_peer(int type, int *parent_end,
                   int (*body)(int chan, void *arg), void *arg);

/* Same over a pipe: the child gets the end named by child_writes. */
pid_t tu_fork_pipe_peer(int child_writes, int *parent_end,
                        int (*body)(int chan, void *arg), void *arg);

/* Waits for pid and asserts that it exited with status 0. */
void tu_assert_child_ok(pid_t pid);

/* Number of descriptors open in this process. */
int tu_count_open_fds(void);

/* 1 if fd is open, 0 if not. */
int tu_fd_is_open(int fd);

/* 1 if a and b refer to the same file (device and inode). */
int tu_same_file(int a, int b);

/* givefd_recv and getfd on a channel this test made itself (a pipe, a
 * FIFO or a socket pair), whose writers it trusts: GIVEFD_TRUST_WRITERS. */
static inline ssize_t tu_recv_own(int chan, int *fds, size_t *nfds,
                                  void *buf, size_t len)
{
	return givefd_recv_flags(chan, fds, nfds, buf, len, GIVEFD_TRUST_WRITERS);
}

static inline int tu_getfd_own(int chan)
{
	return getfd_flags(chan, GIVEFD_TRUST_WRITERS);
}

/* Child-side checks: print where and why, and make the child fail. */
#define TU_CHECK(cond)                                                  \
	do {                                                            \
		if (!(cond)) {                                          \
			tu_child_failed(__FILE__, __LINE__, #cond);      \
			return 1;                                       \
		}                                                       \
	} while (0)
void tu_child_failed(const char *file, int line, const char *what);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * pidfd.c: a descriptor that poll reports readable once a child has
 * ended, where the system has one (Linux's pidfd_open). With it the fork
 * server waits for its children in poll alone, and no SIGCHLD handler
 * runs, with its signal frame and self-pipe, each time one ends.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#ifdef HAVE_PIDFD_SYSCALLS
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "kids.h"

int fs_pidfd_open(pid_t pid)
{
#ifdef HAVE_PIDFD_SYSCALLS
	/* Close-on-exec always. */
	return (int)syscall(SYS_pidfd_open, pid, 0u);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

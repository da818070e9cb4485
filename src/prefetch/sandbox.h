/* SPDX-License-Identifier: ISC */
/*
 * sandbox.h: how prefetchd confines itself once set up: another user, and
 * a seccomp filter allowing only the calls it makes while serving.
 */
#ifndef PF_SANDBOX_H
#define PF_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

/* What the filter must leave possible. */
struct pf_sandbox {
	/* Serving the parent through libgivefd, whose pipe backends take
	 * descriptors with pidfd_getfd or by reopening /proc/PID/fd/N and
	 * answer the sender (write, sendmsg). Otherwise pidfd_open and
	 * pidfd_getfd fail with EPERM, opens for writing with EACCES, and the
	 * daemon sends replies with send(2) and never sendmsg(2). */
	int pipe_mode;
	/* Logging to syslog, whose socket glibc may recreate: socket(2) and
	 * connect(2) then fail with EPERM instead of killing. */
	int syslog;
	/* Outside pipe mode, the only descriptors write(2) may use (stderr,
	 * the loop's own wake-up pipes). */
	const int *write_fds;
	size_t nwrite_fds;
};

/* Looks up a user name (or number) to drop to: 0, or -1 and errno. */
int pf_sandbox_lookup(const char *name, uid_t *uid, gid_t *gid);

/* Becomes uid/gid with no supplementary groups, for good. */
int pf_sandbox_drop(uid_t uid, gid_t gid);

/* Installs the filter, in every thread: a call it does not allow kills
 * the process, but for the few listed above that fail with an errno.
 * Opens are read-only (no O_CREAT, O_TRUNC, nor write access) outside
 * pipe mode; mmap and mprotect never grant PROT_EXEC. Returns 0, or -1
 * and errno (ENOTSUP when built without libseccomp). */
int pf_sandbox_seccomp(const struct pf_sandbox *sb);

#endif /* PF_SANDBOX_H */

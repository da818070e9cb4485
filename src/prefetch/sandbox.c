/* SPDX-License-Identifier: ISC */
/*
 * sandbox.c: privilege drop and the seccomp allow-list. The list is what
 * the event loop, the readahead kinds, residency and logging call, with
 * the arguments they use where the filter can tell; set-up (socket, bind,
 * listen, setuid, threads) is done before it is installed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif
#ifdef HAVE_CACHESTAT_SYSCALL
#include <sys/syscall.h>
#endif

#include "sandbox.h"

int pf_sandbox_lookup(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	char *end;
	unsigned long n;

	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL) {
		n = strtoul(name, &end, 10);
		if (*name == '\0' || *end != '\0') {
			errno = errno ? errno : ENOENT;
			return -1;
		}
		pw = getpwuid((uid_t)n);
		if (pw == NULL) {
			*uid = (uid_t)n;
			*gid = (gid_t)n;
			return 0;
		}
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int pf_sandbox_drop(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) == -1 && errno != EPERM)
		return -1;
	if (setgid(gid) == -1 || setuid(uid) == -1)
		return -1;
	/* Must not be able to come back. */
	if (uid != 0 && setuid(0) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

#ifdef HAVE_SECCOMP
/* Allowed with any arguments. */
static const char *const pf_allowed[] = {
	/* the event loop and logging */
	"read", "readv", "recvmsg", "recvfrom", "accept", "accept4", "poll",
	"ppoll", "ppoll_time64", "close", "fcntl", "fcntl64", "getsockopt",
	"getpid", "gettid", "gettimeofday", "clock_gettime", "clock_gettime64",
	"time", "rt_sigreturn", "sigreturn", "rt_sigprocmask",
	"restart_syscall", "exit", "exit_group", "futex", "futex_time64",
	"getrandom",
	/* registering files */
	"fstat", "fstat64", "newfstatat", "fstatat64", "statx", "stat", "stat64",
	"fstatfs", "fstatfs64", "lseek", "_llseek",
	/* the readahead kinds and residency */
	"fadvise64", "fadvise64_64", "arm_fadvise64_64", "readahead", "munmap",
	"mlock", "mincore", "cachestat",
	/* memory allocation */
	"brk", "mremap", "madvise",
	/* libgivefd's receive path checks the proof of an offer (addresses of
	 * the socket taken, a sealed file read through /proc) */
	"getsockname", "getpeername", "pread64",
	/* credentials the code asks for */
	"geteuid", "getegid", "getuid", "getgid", "geteuid32", "getegid32",
	"getuid32", "getgid32",
};

/* What libgivefd's pipe backends call to take descriptors. */
static const char *const pf_handoff[] = {
	"pidfd_open", "pidfd_getfd",
};

/* What they call to write to a pipe without dying of SIGPIPE. */
static const char *const pf_handoff_signals[] = {
	"rt_sigpending", "rt_sigtimedwait", "rt_sigtimedwait_time64",
};

/* The number of a call on this architecture, or -1 where it has none. */
static int pf_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	return nr == __NR_SCMP_ERROR ? -1 : nr;
}

static int pf_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
                   unsigned n, const struct scmp_arg_cmp *cmp)
{
	int nr = pf_nr(name);

#ifdef HAVE_CACHESTAT_SYSCALL
	/* Newer than some libseccomp releases, which cannot name it. */
	if (nr == -1 && strcmp(name, "cachestat") == 0)
		nr = SYS_cachestat;
#endif
	if (nr == -1)
		return 0;
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

static int pf_allow_all(scmp_filter_ctx ctx, uint32_t action,
                        const char *const *names, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = pf_rule(ctx, action, names[i], 0, NULL);
	return rc;
}

/* open (flags: argument 1) and openat (argument 2): read-only, or in pipe
 * mode any access mode; never creating or truncating. The rest fails with
 * EACCES: the receive path may try it on what a peer sent. */
static int pf_opens(scmp_filter_ctx ctx, int pipe_mode)
{
	static const char *const calls[] = { "open", "openat" };
	const scmp_datum_t creates = O_CREAT | O_TRUNC;
	size_t i;
	int rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		unsigned arg = i == 0 ? 1 : 2;
		struct scmp_arg_cmp ok = {
			arg, SCMP_CMP_MASKED_EQ,
			creates | (pipe_mode ? 0 : O_ACCMODE), O_RDONLY
		};
		struct scmp_arg_cmp bad[] = {
			{ arg, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT },
			{ arg, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC },
			{ arg, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY },
			{ arg, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR },
		};
		size_t j, nbad = pipe_mode ? 2 : 4;

		rc = pf_rule(ctx, SCMP_ACT_ALLOW, calls[i], 1, &ok);
		for (j = 0; j < nbad && rc == 0; j++)
			rc = pf_rule(ctx, SCMP_ACT_ERRNO(EACCES), calls[i], 1, &bad[j]);
	}
	return rc;
}

/* Mappings and protections that are never executable. */
static int pf_no_exec(scmp_filter_ctx ctx)
{
	static const char *const calls[] = { "mmap", "mmap2", "mprotect" };
	const struct scmp_arg_cmp cmp = { 2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < 3 && rc == 0; i++)
		rc = pf_rule(ctx, SCMP_ACT_ALLOW, calls[i], 1, &cmp);
	return rc;
}

/* Replies: send(2) on a connected socket, which cannot carry descriptors
 * (sendto with no address); write(2) on the listed descriptors only. In
 * pipe mode libgivefd writes to pipes it is handed, and answers on
 * sockets it takes with sendmsg. */
static int pf_output(scmp_filter_ctx ctx, const struct pf_sandbox *sb)
{
	const struct scmp_arg_cmp no_addr = { 4, SCMP_CMP_EQ, 0, 0 };
	size_t i;
	int rc = pf_rule(ctx, SCMP_ACT_ALLOW, "sendto", 1, &no_addr);

	/* Where socket calls go through socketcall(2) (older i386 and s390
	 * kernels), their arguments are out of the filter's sight. */
	if (rc != 0)
		rc = pf_rule(ctx, SCMP_ACT_ALLOW, "sendto", 0, NULL);

	if (sb->pipe_mode) {
		static const char *const any[] = { "write", "writev", "sendmsg" };

		return rc == 0 ? pf_allow_all(ctx, SCMP_ACT_ALLOW, any, 3) : rc;
	}
	for (i = 0; i < sb->nwrite_fds && rc == 0; i++) {
		const struct scmp_arg_cmp fd = {
			0, SCMP_CMP_EQ, (scmp_datum_t)sb->write_fds[i], 0
		};

		rc = pf_rule(ctx, SCMP_ACT_ALLOW, "write", 1, &fd);
	}
	return rc;
}

int pf_sandbox_seccomp(const struct pf_sandbox *sb)
{
	static const char *const syslog_calls[] = { "socket", "connect" };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc;

	if (ctx == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* Every thread, the lock workers too. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (rc == 0)
		rc = pf_allow_all(ctx, SCMP_ACT_ALLOW, pf_allowed,
		                  sizeof pf_allowed / sizeof pf_allowed[0]);
	if (rc == 0)
		rc = pf_allow_all(ctx, sb->pipe_mode ? SCMP_ACT_ALLOW :
		                  SCMP_ACT_ERRNO(EPERM), pf_handoff,
		                  sizeof pf_handoff / sizeof pf_handoff[0]);
	if (rc == 0 && sb->pipe_mode)
		rc = pf_allow_all(ctx, SCMP_ACT_ALLOW, pf_handoff_signals,
		                  sizeof pf_handoff_signals /
		                  sizeof pf_handoff_signals[0]);
	if (rc == 0 && sb->syslog)
		rc = pf_allow_all(ctx, SCMP_ACT_ERRNO(EPERM), syslog_calls, 2);
	if (rc == 0)
		rc = pf_opens(ctx, sb->pipe_mode);
	if (rc == 0)
		rc = pf_no_exec(ctx);
	if (rc == 0)
		rc = pf_output(ctx, sb);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}
#else
int pf_sandbox_seccomp(const struct pf_sandbox *sb)
{
	(void)sb;
	errno = ENOTSUP;
	return -1;
}
#endif

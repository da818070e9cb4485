/*
 * sandbox.c: privilege drop and the seccomp allow-list. The list is what
 * the event loop, the readahead kinds, residency and logging call; set-up
 * (socket, bind, listen, setuid) is done before it is installed.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
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
static const char *const pf_allowed[] = {
	/* the event loop and logging */
	"read", "write", "readv", "writev", "recvmsg", "sendmsg", "recvfrom",
	"sendto", "connect", "accept", "accept4", "poll", "ppoll", "shutdown",
	"close", "fcntl", "fcntl64", "getpid", "gettimeofday", "clock_gettime",
	"clock_gettime64", "time", "rt_sigreturn", "rt_sigprocmask",
	"restart_syscall", "exit", "exit_group", "futex", "getrandom",
	/* registering files */
	"open", "openat", "fstat", "fstat64", "newfstatat", "fstatat64", "statx",
	"fstatfs", "fstatfs64", "lseek", "_llseek",
	/* the readahead kinds and residency */
	"fadvise64", "fadvise64_64", "arm_fadvise64_64", "readahead", "mmap",
	"mmap2", "munmap", "mlock", "munlock", "mincore", "cachestat",
	/* memory allocation */
	"brk", "mremap", "madvise",
	/* libgivefd's pipe backends pin the process holding an offer, check
	 * its proof (peer credentials and addresses of the socket taken, or a
	 * sealed file through /proc), take the descriptors and answer */
	"pidfd_open", "pidfd_getfd", "getsockopt", "getsockname", "getpeername",
	"pread64", "stat", "stat64",
	/* credentials the code asks for */
	"geteuid", "getegid", "getuid", "getgid", "geteuid32", "getegid32",
};

int pf_sandbox_seccomp(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	size_t i;
	int rc = 0;

	if (ctx == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* Every thread, the lock workers too. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (i = 0; i < sizeof pf_allowed / sizeof pf_allowed[0] && rc == 0; i++) {
		int nr = seccomp_syscall_resolve_name(pf_allowed[i]);

		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
#ifdef HAVE_CACHESTAT_SYSCALL
	/* Newer than some libseccomp releases, which cannot name it. */
	if (rc == 0 && seccomp_syscall_resolve_name("cachestat") == __NR_SCMP_ERROR)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_cachestat, 0);
#endif
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
int pf_sandbox_seccomp(void)
{
	errno = ENOTSUP;
	return -1;
}
#endif

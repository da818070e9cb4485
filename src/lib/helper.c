/*
 * helper.c: the helper process of procfd (and of pidfd where the receiver
 * cannot take from the sender itself, see direct.c). A helper keeps
 * only the descriptors to give and the channel, names itself after the
 * transfer's nonce, writes the handle message and waits. The receiver
 * takes the descriptors and kills it (SIGKILL: taken; SIGTERM: refused);
 * if the receiver goes away or the deadline passes it exits by itself with
 * the errno as status. The sender blocks in waitpid until then, so givefd
 * returns only once the descriptors are taken, over one-way pipes too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "handoff.h"

struct helper_job {
	const struct gfd_outgoing *o;
	unsigned long long nonce;
};

static pthread_mutex_t nonce_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long nonce_state;

/* The nonce ties a handle to its helper; 48 bits, shown in the helper's
 * name. It need not be secret from the user (see doc/handle-message.md). */
static unsigned long long next_nonce(void)
{
	unsigned long long n;

	pthread_mutex_lock(&nonce_lock);
	if (nonce_state == 0) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		struct timespec ts;

		if (fd == -1 || read(fd, &nonce_state, sizeof nonce_state) !=
		                (ssize_t)sizeof nonce_state) {
			clock_gettime(CLOCK_REALTIME, &ts);
			nonce_state = (unsigned long long)ts.tv_nsec ^
			              ((unsigned long long)ts.tv_sec << 20) ^
			              (unsigned long long)getpid() << 40;
		}
		if (fd != -1)
			close(fd);
	}
	/* A 64-bit odd-step sequence mixed so successive nonces differ widely. */
	nonce_state += 0x9E3779B97F4A7C15ull;
	n = nonce_state;
	pthread_mutex_unlock(&nonce_lock);
	n ^= n >> 31;
	n *= 0xBF58476D1CE4E5B9ull;
	n ^= n >> 29;
	n &= 0xFFFFFFFFFFFFull;
	return n != 0 ? n : 1;
}

void gfd_helper_name(unsigned long long nonce, char name[16])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	memcpy(name, "gfd", 3);
	for (i = 0; i < 12; i++)
		name[3 + i] = hex[(nonce >> (44 - 4 * i)) & 0xF];
	name[15] = '\0';
}

static void close_range_of(int lo, int hi)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0)
		return;
#endif
	{
		long max = sysconf(_SC_OPEN_MAX);
		int fd;

		if (max < 0 || max > 65536)
			max = 65536;
		if (hi > max)
			hi = (int)max;
		for (fd = lo; fd <= hi; fd++)
			close(fd);
	}
}

/* In the helper: closes every descriptor but keep[0..n). */
static void keep_only(int *keep, size_t n)
{
	size_t i, j;
	int next = 0;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (keep[i] > next)
			close_range_of(next, keep[i] - 1);
		if (keep[i] + 1 > next)
			next = keep[i] + 1;
	}
	close_range_of(next, 0x7fffffff);
}

static int wait_for_receiver(int chan, int timeout_ms)
{
	struct pollfd pfd;
	int n;

	pfd.fd = chan;
	pfd.events = 0;
	do
		n = poll(&pfd, 1, timeout_ms);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		return ETIMEDOUT;
	return EPIPE;
}

/* A root sender whose socket peer is another user: the helper becomes
 * that user so that the peer may take from it. */
static int switches_uid(const struct gfd_outgoing *o)
{
	return geteuid() == 0 && o->peer_known && o->peer_uid != 0;
}

static void run_helper(const struct helper_job *job)
{
	const struct gfd_outgoing *o = job->o;
	int keep[GFD_HANDLE_MAX_FDS + 1];
	struct sigaction dfl;
	sigset_t none;
	char name[16];
	size_t i;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &dfl, NULL);
	dfl.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != o->sender)
		_exit(EPIPE);
	gfd_helper_name(job->nonce, name);
	prctl(PR_SET_NAME, name);
	for (i = 0; i < o->nfds; i++)
		keep[i] = o->fds[i];
	keep[o->nfds] = o->chan;
	keep_only(keep, o->nfds + 1);
	if (switches_uid(o)) {
		/* Raw calls: the libc wrappers would act on the sender's
		 * threads too, whose memory a clone helper shares. */
		if (syscall(SYS_setgroups, 0, NULL) == -1 ||
		    syscall(SYS_setgid, o->peer_gid) == -1 ||
		    syscall(SYS_setuid, o->peer_uid) == -1)
			_exit(EPERM);
		/* Changing uid made the helper undumpable: /proc/PID/fd and
		 * pidfd_getfd would then be root's only. */
		prctl(PR_SET_DUMPABLE, 1);
	}
#ifdef PR_SET_PTRACER
	/* Under Yama ptrace_scope 1 only a named process may take from us. */
	prctl(PR_SET_PTRACER, o->peer_known ? (unsigned long)o->peer_pid
	                                    : (unsigned long)PR_SET_PTRACER_ANY);
#endif
	if (gfd_handle_send(o, 0, getpid(), job->nonce, 0) == -1)
		_exit(errno != 0 && errno < 256 ? errno : EIO);
	_exit(wait_for_receiver(o->chan, o->timeout_ms));
}

#ifdef HAVE_CLONE_VFORK
static int helper_entry(void *arg)
{
	run_helper(arg);
	return 0;
}

/* The helper shares the sender's memory and the sender's thread sleeps
 * until the helper dies (it would wait for that anyway): no page tables to
 * copy, about three times cheaper than fork. The helper runs on a stack in
 * this frame, which stays put while the thread sleeps. A helper that
 * switches uid gets its own memory: being dumpable belongs to the memory,
 * and the sender's must not change. Either way its exit raises no SIGCHLD:
 * the caller's handler never hears of it, and a caller that ignores
 * SIGCHLD (which makes the kernel reap children at once) can still reap
 * it and learn how the transfer ended. */
static pid_t start_helper(struct helper_job *job)
{
	union {
		long double align;
		char bytes[65536];
	} stack;
	int flags = switches_uid(job->o) ? 0 : CLONE_VM | CLONE_VFORK;
	pid_t pid = clone(helper_entry, stack.bytes + sizeof stack.bytes, flags, job);

	/* Emulators such as qemu-user refuse a child without SIGCHLD. */
	if (pid == -1 && errno == EINVAL)
		pid = clone(helper_entry, stack.bytes + sizeof stack.bytes,
		            flags | SIGCHLD, job);
	return pid;
}

/* A child without an exit signal is reaped with __WALL. */
#define REAP_FLAGS __WALL
#else
static pid_t start_helper(struct helper_job *job)
{
	pid_t pid = fork();

	if (pid == 0)
		run_helper(job);
	return pid;
}

#define REAP_FLAGS 0
#endif

static int reap_helper(pid_t pid)
{
	int status;
	pid_t w;

	do
		w = waitpid(pid, &status, REAP_FLAGS);
	while (w == -1 && errno == EINTR);
	if (w == -1)
		return -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return 0;
	if (WIFSIGNALED(status))
		errno = ECONNABORTED;
	else
		errno = WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : EIO;
	return -1;
}

int gfd_helper_send(const struct gfd_outgoing *o)
{
	struct helper_job job;
	pid_t pid;

	job.o = o;
	job.nonce = next_nonce();
	pid = start_helper(&job);
	if (pid == -1)
		return -1;
	return reap_helper(pid);
}

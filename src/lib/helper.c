/*
 * helper.c: the sending side of procfd and pidfd. A forked helper keeps
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

#define DEFAULT_TIMEOUT_MS 30000

struct helper_job {
	unsigned backend;
	int chan;
	int message_socket;
	const int *fds;
	size_t nfds;
	const void *buf;
	size_t len;
	pid_t sender;
	pid_t peer_pid;         /* 0 if the channel does not tell */
	uid_t peer_uid;
	gid_t peer_gid;
	int peer_known;
	unsigned long long nonce;
	int timeout_ms;
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

static int send_message_parts(const struct helper_job *job,
                              const unsigned char *head, size_t size)
{
	const unsigned char *parts[3];
	size_t lens[3], i;

	parts[0] = head;
	lens[0] = GFD_HANDLE_MAGIC_LEN;
	parts[1] = head + GFD_HANDLE_MAGIC_LEN;
	lens[1] = size - GFD_HANDLE_MAGIC_LEN;
	parts[2] = job->buf;
	lens[2] = job->len;
	for (i = 0; i < 3 && lens[i] > 0; i++) {
		ssize_t n;

		do
			n = send(job->chan, parts[i], lens[i], MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)lens[i])
			return -1;
	}
	return 0;
}

/* Writes the handle message for job; helper_pid 0 means no helper. */
static int write_handle(const struct helper_job *job, pid_t helper)
{
	unsigned char head[GFD_HANDLE_MAX];
	struct gfd_handle h;
	ssize_t size;
	size_t i;

	memset(&h, 0, sizeof h);
	h.backend = job->backend;
	h.sender_pid = (uint32_t)job->sender;
	h.helper_pid = (uint32_t)helper;
	h.nonce = helper != 0 ? job->nonce : 0;
	h.payload_len = (uint32_t)job->len;
	h.nfds = job->nfds;
	for (i = 0; i < job->nfds; i++)
		h.fds[i] = job->fds[i];
	size = gfd_handle_encode(&h, head, sizeof head);
	if (size == -1)
		return -1;
	if (job->message_socket)
		return send_message_parts(job, head, (size_t)size);
	if (gfd_write_all(job->chan, head, (size_t)size) == -1)
		return -1;
	return job->len > 0 ? gfd_write_all(job->chan, job->buf, job->len) : 0;
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
static int switches_uid(const struct helper_job *job)
{
	return geteuid() == 0 && job->peer_known && job->peer_uid != 0;
}

static void run_helper(const struct helper_job *job)
{
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
	if (getppid() != job->sender)
		_exit(EPIPE);
	gfd_helper_name(job->nonce, name);
	prctl(PR_SET_NAME, name);
	for (i = 0; i < job->nfds; i++)
		keep[i] = job->fds[i];
	keep[job->nfds] = job->chan;
	keep_only(keep, job->nfds + 1);
	if (switches_uid(job)) {
		/* Raw calls: the libc wrappers would act on the sender's
		 * threads too, whose memory a clone helper shares. */
		if (syscall(SYS_setgroups, 0, NULL) == -1 ||
		    syscall(SYS_setgid, job->peer_gid) == -1 ||
		    syscall(SYS_setuid, job->peer_uid) == -1)
			_exit(EPERM);
		/* Changing uid made the helper undumpable: /proc/PID/fd and
		 * pidfd_getfd would then be root's only. */
		prctl(PR_SET_DUMPABLE, 1);
	}
#ifdef PR_SET_PTRACER
	/* Under Yama ptrace_scope 1 only a named process may take from us. */
	prctl(PR_SET_PTRACER, job->peer_pid > 0 ? (unsigned long)job->peer_pid
	                                        : (unsigned long)PR_SET_PTRACER_ANY);
#endif
	if (write_handle(job, getpid()) == -1)
		_exit(errno != 0 && errno < 256 ? errno : EIO);
	_exit(wait_for_receiver(job->chan, job->timeout_ms));
}

static pid_t fork_helper(const struct helper_job *job)
{
	pid_t pid = fork();

	if (pid == 0)
		run_helper(job);
	return pid;
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
 * and the sender's must not change. */
static pid_t start_helper(struct helper_job *job)
{
	union {
		long double align;
		char bytes[65536];
	} stack;

	if (switches_uid(job))
		return fork_helper(job);
	return clone(helper_entry, stack.bytes + sizeof stack.bytes,
	             CLONE_VM | CLONE_VFORK | SIGCHLD, job);
}
#else
static pid_t start_helper(struct helper_job *job)
{
	return fork_helper(job);
}
#endif

static int channel_kind(int chan, int *message_socket)
{
	struct stat st;
	int type;
	socklen_t size = sizeof type;

	*message_socket = 0;
	if (fstat(chan, &st) == -1)
		return -1;
	if (!S_ISSOCK(st.st_mode))
		return 0;
	if (getsockopt(chan, SOL_SOCKET, SO_TYPE, &type, &size) == -1)
		return -1;
	*message_socket = type != SOCK_STREAM;
	return 0;
}

static void learn_peer(struct helper_job *job)
{
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	if (getsockopt(job->chan, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 &&
	    cred.pid > 0 && cred.pid != job->sender) {
		job->peer_pid = cred.pid;
		job->peer_uid = cred.uid;
		job->peer_gid = cred.gid;
		job->peer_known = 1;
	}
#else
	(void)job;
#endif
}

static int timeout_ms(void)
{
	const char *s = getenv("GIVEFD_HANDOFF_TIMEOUT_MS");
	long v;
	char *end;

	if (s == NULL || *s == '\0')
		return DEFAULT_TIMEOUT_MS;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v < 86400000 ? (int)v : DEFAULT_TIMEOUT_MS;
}

static ssize_t reap_helper(pid_t pid, size_t len)
{
	int status;
	pid_t w;

	do
		w = waitpid(pid, &status, 0);
	while (w == -1 && errno == EINTR);
	if (w == -1)
		return -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return (ssize_t)len;
	if (WIFSIGNALED(status))
		errno = ECONNABORTED;
	else
		errno = WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : EIO;
	return -1;
}

ssize_t gfd_handoff_send(unsigned backend, int chan, const int *fds,
                         size_t nfds, const void *buf, size_t len)
{
	static const unsigned char nul = 0;
	size_t reported = len;
	struct helper_job job;
	pid_t pid;

	/* As with scm_rights, a message without payload carries one NUL
	 * byte, so receivers see the same whichever backend sent. */
	if (len == 0) {
		buf = &nul;
		len = 1;
	}
	if (len > GFD_HANDLE_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	if (nfds > GFD_HANDLE_MAX_FDS) {
		errno = E2BIG;
		return -1;
	}
	memset(&job, 0, sizeof job);
	job.backend = backend;
	job.chan = chan;
	job.fds = fds;
	job.nfds = nfds;
	job.buf = buf;
	job.len = len;
	job.sender = getpid();
	if (channel_kind(chan, &job.message_socket) == -1)
		return -1;
	if (nfds == 0) {
		if (write_handle(&job, 0) == -1)
			return -1;
		return (ssize_t)reported;
	}
	learn_peer(&job);
	job.nonce = next_nonce();
	job.timeout_ms = timeout_ms();
	pid = start_helper(&job);
	if (pid == -1)
		return -1;
	return reap_helper(pid, reported);
}

/*
 * test_pipes.c: the procfd and pidfd backends across processes over socket
 * pairs, pipes and FIFOs; one receiver for every sender; the trust check
 * refusing forged handles; no helper outliving its transfer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"

static const char *const backends[] = { "pidfd", "procfd" };

enum chan_kind { STREAM, SEQPACKET, DGRAM, PIPE, FIFO, NKINDS };
static const char *const kind_names[] = {
	"stream", "seqpacket", "dgram", "pipe", "fifo"
};

struct job {
	const char *backend;
	int (*body)(int chan, void *arg);
	void *arg;
};

static int run_job(int chan, void *arg)
{
	const struct job *job = arg;

	TU_CHECK(givefd_use_backend(job->backend) == 0);
	return job->body(chan, job->arg);
}

/* Forks a child that runs body on its end of a channel of the given kind;
 * the child writes (sends), the parent reads. */
static pid_t fork_sender(enum chan_kind kind, int *chan, struct job *job)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	char dir[] = "/tmp/givefd-fifo-XXXXXX", path[64];
	pid_t pid;

	if (kind < PIPE)
		return tu_fork_peer(types[kind], chan, run_job, job);
	if (kind == PIPE)
		return tu_fork_pipe_peer(1, chan, run_job, job);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int w = open(path, O_WRONLY);

		_exit(w == -1 ? 99 : run_job(w, job));
	}
	*chan = open(path, O_RDONLY);
	assert_true(*chan >= 0);
	unlink(path);
	rmdir(dir);
	return pid;
}

/* Child: sends a read-write temporary file holding "abc", offset 3. */
static int send_file(int chan, void *arg)
{
	char path[] = "/tmp/givefd-test-XXXXXX";
	int fd = mkstemp(path);

	(void)arg;
	TU_CHECK(fd >= 0);
	unlink(path);
	TU_CHECK(write(fd, "abc", 3) == 3);
	TU_CHECK(givefd_send(chan, &fd, 1, "hi", 2) == 2);
	close(fd);
	return 0;
}

static void test_file_over_every_channel(void **state)
{
	size_t b;
	int k;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (k = 0; k < NKINDS; k++) {
			struct job job = { backends[b], send_file, NULL };
			char buf[16], got[4] = { 0 };
			size_t nfds = 2;
			int fds[2], chan;
			pid_t pid = fork_sender((enum chan_kind)k, &chan, &job);

			fprintf(stderr, "  %s over %s\n", backends[b], kind_names[k]);
			assert_int_equal(givefd_recv(chan, fds, &nfds, buf, sizeof buf), 2);
			assert_memory_equal(buf, "hi", 2);
			assert_int_equal(nfds, 1);
			assert_int_equal(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
			assert_int_equal(fcntl(fds[0], F_GETFL) & O_ACCMODE, O_RDWR);
			/* pidfd: the same open file description; procfd: a new one. */
			assert_int_equal(lseek(fds[0], 0, SEEK_CUR), b == 0 ? 3 : 0);
			assert_int_equal(pread(fds[0], got, 3, 0), 3);
			assert_memory_equal(got, "abc", 3);
			close(fds[0]);
			close(chan);
			tu_assert_child_ok(pid);
		}
	}
}

/* Child: sends a read-only descriptor and the write end of a pipe. */
static int send_modes(int chan, void *arg)
{
	int p[2], fds[2];
	char c;

	(void)arg;
	TU_CHECK(pipe(p) == 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = p[1];
	TU_CHECK(fds[0] >= 0);
	TU_CHECK(givefd_send(chan, fds, 2, NULL, 0) == 0);
	close(fds[0]);
	close(p[1]);
	TU_CHECK(read(p[0], &c, 1) == 1 && c == 'w');
	close(p[0]);
	return 0;
}

static void test_access_modes_kept(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct job job = { backends[b], send_modes, NULL };
		size_t nfds = 2;
		int fds[2], chan;
		pid_t pid = fork_sender(PIPE, &chan, &job);

		assert_int_equal(givefd_recv(chan, fds, &nfds, NULL, 0), 0);
		assert_int_equal(nfds, 2);
		assert_int_equal(fcntl(fds[0], F_GETFL) & O_ACCMODE, O_RDONLY);
		assert_int_equal(write(fds[0], "x", 1), -1);
		assert_int_equal(fcntl(fds[1], F_GETFL) & O_ACCMODE, O_WRONLY);
		assert_int_equal(write(fds[1], "w", 1), 1);
		close(fds[0]);
		close(fds[1]);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Child: one message with many descriptors, then getfd-sized ones. */
static int send_many(int chan, void *arg)
{
	int fds[40], i;

	(void)arg;
	for (i = 0; i < 40; i++)
		fds[i] = 2;
	TU_CHECK(givefd_send(chan, fds, 40, "many", 4) == 4);
	TU_CHECK(givefd(chan, 1) == 0);
	TU_CHECK(givefd_send(chan, NULL, 0, "end", 3) == 3);
	return 0;
}

static void test_many_then_getfd(void **state)
{
	size_t b;
	int k;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (k = 0; k < NKINDS; k++) {
			struct job job = { backends[b], send_many, NULL };
			int fds[40], chan, fd, i;
			size_t nfds = 40;
			char buf[8];
			pid_t pid = fork_sender((enum chan_kind)k, &chan, &job);

			assert_int_equal(givefd_recv(chan, fds, &nfds, buf, sizeof buf), 4);
			assert_int_equal(nfds, 40);
			for (i = 0; i < 40; i++) {
				assert_true(tu_same_file(fds[i], 2));
				close(fds[i]);
			}
			fd = getfd(chan);
			assert_true(fd >= 0);
			assert_true(tu_same_file(fd, 1));
			close(fd);
			nfds = 1;
			assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), 3);
			assert_int_equal(nfds, 0);
			assert_memory_equal(buf, "end", 3);
			close(chan);
			tu_assert_child_ok(pid);
		}
	}
}

/* Child: the receiver refuses (no room, payload too big); the sender is
 * told and its helper is gone. Then a message that fits still arrives. */
static int send_refused(int chan, void *arg)
{
	int fds[2] = { 1, 2 };

	(void)arg;
	TU_CHECK(givefd_send(chan, fds, 2, NULL, 0) == -1);
	TU_CHECK(errno == ECONNABORTED);
	TU_CHECK(givefd_send(chan, fds, 1, "0123456789", 10) == -1);
	TU_CHECK(errno == ECONNABORTED);
	TU_CHECK(givefd_send(chan, fds, 1, "ok", 2) == 2);
	return 0;
}

static void test_refusals(void **state)
{
	size_t b;
	int k;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (k = 0; k < NKINDS; k++) {
			struct job job = { backends[b], send_refused, NULL };
			int fd = -1, chan;
			size_t nfds = 1;
			char buf[4];
			pid_t pid = fork_sender((enum chan_kind)k, &chan, &job);

			errno = 0;
			assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), -1);
			assert_int_equal(errno, EOVERFLOW);
			nfds = 1;
			assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), -1);
			assert_int_equal(errno, EMSGSIZE);
			nfds = 1;
			assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), 2);
			assert_int_equal(nfds, 1);
			close(fd);
			close(chan);
			tu_assert_child_ok(pid);
		}
	}
}

/* Child: sends while the receiver never reads; the helper notices the
 * receiver closing, or its deadline. */
static int send_unread(int chan, void *arg)
{
	int expect = *(int *)arg;

	TU_CHECK(givefd(chan, 1) == -1);
	TU_CHECK(errno == expect);
	return 0;
}

static void test_receiver_never_takes(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		int expect = EPIPE, chan;
		struct job job = { backends[b], send_unread, &expect };
		pid_t pid = fork_sender(PIPE, &chan, &job);

		close(chan);
		tu_assert_child_ok(pid);

		expect = ETIMEDOUT;
		setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "100", 1);
		pid = fork_sender(STREAM, &chan, &job);
		unsetenv("GIVEFD_HANDOFF_TIMEOUT_MS");
		tu_assert_child_ok(pid);
		close(chan);
	}
}

static int send_socket(int chan, void *arg)
{
	int sv[2];

	(void)arg;
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	if (strcmp(givefd_backend(), "procfd") == 0) {
		TU_CHECK(givefd(chan, sv[1]) == -1 && errno == ENXIO);
		TU_CHECK(givefd_send(chan, NULL, 0, "no", 2) == 2);
	} else {
		char c;

		TU_CHECK(givefd(chan, sv[1]) == 0);
		TU_CHECK(read(sv[0], &c, 1) == 1 && c == 's');
	}
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_sockets(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct job job = { backends[b], send_socket, NULL };
		int fd = -1, chan;
		size_t nfds = 1;
		char buf[4];
		pid_t pid = fork_sender(PIPE, &chan, &job);

		if (b == 0) {
			fd = getfd(chan);
			assert_true(fd >= 0);
			assert_int_equal(write(fd, "s", 1), 1);
			close(fd);
		} else {
			assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), 2);
			assert_int_equal(nfds, 0);
		}
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Child: waits for the go byte, then sends a file with a payload. */
static int send_after_go(int chan, void *arg)
{
	int *go = arg;
	char c;

	TU_CHECK(read(go[0], &c, 1) == 1);
	close(go[0]);
	return send_file(chan, NULL);
}

/* A non-blocking pipe: EAGAIN while empty, then the whole message. */
static void test_nonblocking_pipe(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		int go[2], chan, fd = -1;
		struct job job = { backends[b], send_after_go, go };
		size_t nfds = 1;
		ssize_t got;
		char buf[4];
		pid_t pid;

		assert_int_equal(pipe(go), 0);
		pid = fork_sender(PIPE, &chan, &job);
		close(go[0]);
		assert_int_equal(fcntl(chan, F_SETFL, O_NONBLOCK), 0);
		errno = 0;
		assert_int_equal(givefd_recv(chan, &fd, &nfds, buf, sizeof buf), -1);
		assert_int_equal(errno, EAGAIN);
		assert_int_equal(write(go[1], "g", 1), 1);
		close(go[1]);
		do {
			nfds = 1;
			got = givefd_recv(chan, &fd, &nfds, buf, sizeof buf);
		} while (got == -1 && errno == EAGAIN);
		assert_int_equal(got, 2);
		assert_int_equal(nfds, 1);
		assert_memory_equal(buf, "hi", 2);
		close(fd);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Child: switches backend between messages; the receiver does not care. */
static int send_mixed(int chan, void *arg)
{
	static const char *const order[] = { "scm_rights", "pidfd", "procfd", "scm_rights" };
	size_t i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		TU_CHECK(givefd_use_backend(order[i]) == 0);
		TU_CHECK(givefd_send(chan, (const int[]){ 2 }, 1, &i, sizeof i) ==
		         (ssize_t)sizeof i);
	}
	return 0;
}

static void test_one_receiver_for_every_sender(void **state)
{
	struct job job = { "scm_rights", send_mixed, NULL };
	size_t i, got, nfds;
	int fd, chan;
	pid_t pid = fork_sender(STREAM, &chan, &job);

	(void)state;
	for (i = 0; i < 4; i++) {
		nfds = 1;
		assert_int_equal(givefd_recv(chan, &fd, &nfds, &got, sizeof got), sizeof got);
		assert_int_equal(got, i);
		assert_int_equal(nfds, 1);
		assert_true(tu_same_file(fd, 2));
		close(fd);
	}
	close(chan);
	tu_assert_child_ok(pid);
}

/* Child: becomes nobody, makes a socket pair (so its peer credentials say
 * nobody), hands one end to the root parent and takes what comes back. */
static int receive_as_nobody(int chan, void *arg)
{
	int sv[2], fd;
	char c;

	(void)arg;
	TU_CHECK(setgid(65534) == 0 && setuid(65534) == 0);
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	TU_CHECK(givefd(chan, sv[1]) == 0);
	close(sv[1]);
	fd = getfd(sv[0]);
	TU_CHECK(fd >= 0);
	TU_CHECK(read(fd, &c, 1) == 1 && c == 'r');
	close(fd);
	close(sv[0]);
	return 0;
}

static void test_root_sender_switches_to_peer_uid(void **state)
{
	size_t b;

	(void)state;
	if (geteuid() != 0)
		skip();
	for (b = 0; b < 2; b++) {
		char path[] = "/tmp/givefd-root-XXXXXX";
		int chan, peer, file = mkstemp(path);
		pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, receive_as_nobody, NULL);

		assert_true(file >= 0);
		assert_int_equal(write(file, "r", 1), 1);
		assert_int_equal(fchmod(file, 0644), 0);
		/* procfd reopens with the receiver's rights: read-only here. */
		close(file);
		file = open(path, O_RDONLY);
		assert_true(file >= 0);
		peer = getfd(chan);
		assert_true(peer >= 0);
		assert_int_equal(givefd_use_backend(backends[b]), 0);
		assert_int_equal(givefd(peer, file), 0);
		givefd_use_backend("scm_rights");
		close(file);
		unlink(path);
		close(peer);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Whether the receiver may take straight from the sender here: no helper
 * asked for, and for pidfd no Yama restriction. */
static int direct_expected(const char *backend)
{
	const char *force = getenv("GIVEFD_HANDOFF_HELPER");
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = 0;

	if (f != NULL) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = 1;
		fclose(f);
	}
	if (force != NULL && *force != '\0' && *force != '0')
		return 0;
	return strcmp(backend, "procfd") == 0 || scope == 0;
}

/* --- a message begun and never finished ----------------------------------- */

/* Child: the first ten bytes of a handle message, then nothing until the
 * receiver gives up and closes. */
static int send_half(int chan, void *arg)
{
	static const unsigned char start[10] = { 0xC7, 'G', 'F', 'H', 1, 2 };
	struct pollfd pfd;

	(void)arg;
	TU_CHECK(write(chan, start, sizeof start) == sizeof start);
	pfd.fd = chan;
	pfd.events = 0;
	TU_CHECK(poll(&pfd, 1, 10000) == 1);
	return 0;
}

/* A receive that began a message gives up with ETIMEDOUT when the rest
 * does not come: on a blocking socket at its receive timeout, on a
 * non-blocking pipe at GIVEFD_HANDOFF_TIMEOUT_MS; it never waits for ever. */
static void test_stalled_message_times_out(void **state)
{
	struct timeval tv = { 0, 100000 };
	struct job job = { "pidfd", send_half, NULL };
	int chan, fd = -1;
	size_t nfds = 1;
	char c;
	pid_t pid;

	(void)state;
	pid = fork_sender(STREAM, &chan, &job);
	assert_int_equal(setsockopt(chan, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
	errno = 0;
	assert_int_equal(givefd_recv(chan, &fd, &nfds, &c, 1), -1);
	assert_int_equal(errno, ETIMEDOUT);
	close(chan);
	tu_assert_child_ok(pid);

	pid = fork_sender(PIPE, &chan, &job);
	assert_int_equal(fcntl(chan, F_SETFL, O_NONBLOCK), 0);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "100", 1);
	while (givefd_recv(chan, &fd, &nfds, &c, 1) == -1 && errno == EAGAIN)
		usleep(1000);
	unsetenv("GIVEFD_HANDOFF_TIMEOUT_MS");
	assert_int_equal(errno, ETIMEDOUT);
	close(chan);
	tu_assert_child_ok(pid);
}

/* --- how the sender waits ----------------------------------------------- */

static volatile sig_atomic_t sigchld_seen;

static void count_sigchld(int sig)
{
	(void)sig;
	sigchld_seen++;
}

#ifdef HAVE_CLONE_VFORK
static int no_op(void *arg)
{
	(void)arg;
	return 0;
}
#endif

/* Whether this system lets a child exit without raising SIGCHLD (qemu-user
 * does not), tried on a child of our own. */
static int quiet_children(void)
{
#ifdef HAVE_CLONE_VFORK
	static char stack[16384] __attribute__((aligned(16)));
	pid_t pid = clone(no_op, stack + sizeof stack, CLONE_VM | CLONE_VFORK, NULL);

	return pid != -1 && waitpid(pid, NULL, __WALL) == pid;
#else
	return 0;
#endif
}

/* Whether a helper raises SIGCHLD, and so is reaped by the kernel when
 * SIGCHLD is ignored: a fork child (configure --disable-clone-helper,
 * sanitizer builds), or where children cannot exit quietly. Direct
 * transfers make none. */
static int loud_helper(void)
{
	return !direct_expected(givefd_backend()) && !quiet_children();
}

/* Child: three transfers under a SIGCHLD handler, which must stay silent
 * (a helper raises none), then three with SIGCHLD ignored, which makes the
 * kernel reap children at once: the sender must still learn the outcome. */
static int send_quietly(int chan, void *arg)
{
	struct sigaction sa;
	int i;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_sigchld;
	TU_CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	for (i = 0; i < 3; i++)
		TU_CHECK(givefd(chan, 2) == 0);
	if (loud_helper()) {
		for (i = 0; i < 3; i++)
			TU_CHECK(givefd(chan, 2) == 0);
		return 0;
	}
	TU_CHECK(sigchld_seen == 0);
	sa.sa_handler = SIG_IGN;
	TU_CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	for (i = 0; i < 3; i++)
		TU_CHECK(givefd(chan, 2) == 0);
	return 0;
}

static void test_sender_sigchld_untouched(void **state)
{
	size_t b;
	int i;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct job job = { backends[b], send_quietly, NULL };
		int chan;
		pid_t pid = fork_sender(PIPE, &chan, &job);

		for (i = 0; i < 6; i++) {
			int fd = getfd(chan);

			assert_true(fd >= 0);
			assert_true(tu_same_file(fd, 2));
			close(fd);
		}
		close(chan);
		tu_assert_child_ok(pid);
	}
}

static int send_unanswered(int chan, void *arg)
{
	(void)arg;
	TU_CHECK(givefd(chan, 2) == -1 && errno == EPIPE);
	return 0;
}

/* The sender names itself (no helper, flag 1) where it may; a helper
 * otherwise. Read off the wire, then left unanswered. */
static void test_direct_unless_forced(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct job job = { backends[b], send_unanswered, NULL };
		unsigned char head[32];
		unsigned long helper;
		int chan;
		pid_t pid = fork_sender(PIPE, &chan, &job);

		assert_int_equal(read(chan, head, sizeof head), sizeof head);
		helper = (unsigned long)head[12] << 24 | (unsigned long)head[13] << 16 |
		         (unsigned long)head[14] << 8 | head[15];
		if (direct_expected(backends[b])) {
			assert_int_equal(head[6], 1);
			assert_int_equal(helper, 0);
		} else {
			assert_int_equal(head[6], 0);
			assert_true(helper > 0);
		}
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* --- forged handles --------------------------------------------------- */

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A handle message naming fd 0 of helper, said to be sender's. */
static void forge(unsigned char msg[36], int backend, pid_t sender,
                  pid_t helper, unsigned long long nonce)
{
	memset(msg, 0, 36);
	memcpy(msg, "\xC7GFH", 4);
	msg[4] = 1;
	msg[5] = (unsigned char)backend;
	put32(msg + 8, (unsigned long)sender);
	put32(msg + 12, (unsigned long)helper);
	put32(msg + 16, (unsigned long)(nonce >> 32));
	put32(msg + 20, (unsigned long)nonce);
	msg[29] = 1;
}

/* A process of this user that holds a descriptor worth stealing: a child
 * (the victim) with a grandchild named like a helper for nonce 0x42. */
static int victim(int chan, void *arg)
{
	pid_t grandchild;
	char c;

	(void)arg;
	grandchild = fork();
	if (grandchild == 0) {
		prctl(PR_SET_NAME, "gfd000000000042");
		pause();
		_exit(0);
	}
	TU_CHECK(write(chan, &grandchild, sizeof grandchild) == sizeof grandchild);
	TU_CHECK(read(chan, &c, 1) == 1);
	kill(grandchild, SIGKILL);
	waitpid(grandchild, NULL, 0);
	return 0;
}

static int write_forged(int chan, void *arg)
{
	TU_CHECK(write(chan, arg, 36) == 36);
	return 0;
}

static void expect_refused(const unsigned char msg[36], int err)
{
	struct job job = { "pidfd", write_forged, (void *)msg };
	int fd = -1, before = tu_count_open_fds(), chan;
	size_t nfds = 1;
	pid_t pid = fork_sender(PIPE, &chan, &job);

	errno = 0;
	assert_int_equal(givefd_recv(chan, &fd, &nfds, NULL, 0), -1);
	assert_int_equal(errno, err);
	assert_int_equal(tu_count_open_fds(), before + 1);
	close(chan);
	tu_assert_child_ok(pid);
}

static void test_forged_handles_refused(void **state)
{
	unsigned char msg[36];
	pid_t victim_pid, grandchild;
	int chan, backend;

	(void)state;
	victim_pid = tu_fork_peer(SOCK_STREAM, &chan, victim, NULL);
	assert_int_equal(read(chan, &grandchild, sizeof grandchild), sizeof grandchild);
	for (backend = 1; backend <= 2; backend++) {
		/* A pid with no process. */
		forge(msg, backend, victim_pid, 0x7ffffff0, 0x42);
		expect_refused(msg, EPERM);
		/* Another process of this user, named as its own helper. */
		forge(msg, backend, getppid(), victim_pid, 0x42);
		expect_refused(msg, EPERM);
		/* This process named as the sender. */
		forge(msg, backend, getpid(), victim_pid, 0x42);
		expect_refused(msg, EPERM);
		/* The victim's child, with the wrong nonce. */
		forge(msg, backend, victim_pid, grandchild, 0x43);
		expect_refused(msg, EPERM);
		/* Not a handle: version 2, then a reserved byte set. */
		forge(msg, backend, victim_pid, grandchild, 0x42);
		msg[4] = 2;
		expect_refused(msg, EPROTO);
		msg[4] = 1;
		msg[7] = 1;
		expect_refused(msg, EPROTO);
	}
	/* The victims were neither robbed nor killed. */
	assert_int_equal(kill(grandchild, 0), 0);
	assert_int_equal(write(chan, "x", 1), 1);
	close(chan);
	tu_assert_child_ok(victim_pid);
}

/* Direct handles naming the wrong process, or the right one wrongly. The
 * victim holds an answer channel of each kind (a socket pair for pidfd, a
 * pipe for procfd) whose inodes and numbers the forger knows, but not the
 * receiver's channel. */
struct forgery {
	int backend;            /* byte 5: 1 procfd, 2 pidfd */
	pid_t sender;           /* 0: the forger itself */
	unsigned long long nonce; /* 0: the inode of the forger's far end */
	int ack;                /* -1: the forger's own far end */
	int queued;             /* pidfd: descriptors queued (one message, at
	                         * most 2); the handle says 1 */
	int gave_up;            /* answers can no longer be written */
	int expect;             /* the receiver's errno: EPERM if 0 */
};

struct victim_ends {
	int fd[3];              /* by backend: [1] pipe, [2] socket */
	unsigned long long inode[3];
};

static int victim_with_answer_ends(int chan, void *arg)
{
	struct victim_ends v;
	struct stat st;
	int p[2], sv[2];
	char c;

	(void)arg;
	memset(&v, 0, sizeof v);
	TU_CHECK(pipe2(p, O_NONBLOCK) == 0 && fstat(p[1], &st) == 0);
	v.fd[1] = p[1];
	v.inode[1] = (unsigned long long)st.st_ino;
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	TU_CHECK(givefd_use_backend("scm_rights") == 0);
	TU_CHECK(givefd(sv[0], 2) == 0 && fstat(sv[1], &st) == 0);
	v.fd[2] = sv[1];
	v.inode[2] = (unsigned long long)st.st_ino;
	TU_CHECK(write(chan, &v, sizeof v) == sizeof v);
	TU_CHECK(read(chan, &c, 1) == 1);
	return 0;
}

/* The forger's own answer channel, as a direct sender would make it. */
static int forger_answer_ends(const struct forgery *f, int ends[2])
{
	static const int twice[2] = { 2, 2 };

	if (f->backend == 1) {
		TU_CHECK(pipe2(ends, O_NONBLOCK) == 0);
		while (f->gave_up && write(ends[1], "", 1) == 1)
			;
		return 0;
	}
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, ends) == 0);
	TU_CHECK(givefd_use_backend("scm_rights") == 0);
	if (f->queued > 0)
		TU_CHECK(givefd_send(ends[0], twice, (size_t)f->queued, "D", 1) == 1);
	if (f->gave_up)
		TU_CHECK(shutdown(ends[0], SHUT_RD) == 0);
	return 0;
}

/* Child: writes the forged direct handle, then stays alive until the
 * receiver is done with it (closes the pipe). */
static int write_forged_direct(int chan, void *arg)
{
	const struct forgery *f = arg;
	unsigned char msg[45];
	struct pollfd pfd;
	struct stat st;
	int ends[2];
	unsigned long long nonce = f->nonce;

	TU_CHECK(forger_answer_ends(f, ends) == 0 && fstat(ends[1], &st) == 0);
	if (nonce == 0)
		nonce = (unsigned long long)st.st_ino;
	memset(msg, 0, sizeof msg);
	memcpy(msg, "\xC7GFH", 4);
	msg[4] = 1;
	msg[5] = (unsigned char)f->backend;
	msg[6] = 1;
	put32(msg + 8, (unsigned long)(f->sender != 0 ? f->sender : getpid()));
	put32(msg + 16, (unsigned long)(nonce >> 32));
	put32(msg + 20, (unsigned long)nonce);
	put32(msg + 24, 1);
	msg[29] = 3;
	put32(msg + 32, 2);
	put32(msg + 36, (unsigned long)(f->ack >= 0 ? f->ack : ends[1]));
	put32(msg + 40, (unsigned long)chan);
	TU_CHECK(write(chan, msg, sizeof msg) == sizeof msg);
	pfd.fd = chan;
	pfd.events = 0;
	TU_CHECK(poll(&pfd, 1, 10000) == 1);
	return 0;
}

static void expect_direct_refused(struct forgery *f)
{
	struct job job = { "pidfd", write_forged_direct, f };
	int fd = -1, before = tu_count_open_fds(), chan;
	size_t nfds = 1;
	char c;
	pid_t pid = fork_sender(PIPE, &chan, &job);

	errno = 0;
	assert_int_equal(givefd_recv(chan, &fd, &nfds, &c, 1), -1);
	assert_int_equal(errno, f->expect != 0 ? f->expect : EPERM);
	assert_int_equal(tu_count_open_fds(), before + 1);
	close(chan);
	tu_assert_child_ok(pid);
}

static void test_forged_direct_handles_refused(void **state)
{
	struct victim_ends v;
	struct forgery f;
	pid_t victim_pid;
	int chan, backend;

	(void)state;
	victim_pid = tu_fork_peer(SOCK_STREAM, &chan, victim_with_answer_ends, NULL);
	assert_int_equal(read(chan, &v, sizeof v), sizeof v);
	for (backend = 1; backend <= 2; backend++) {
		/* The victim, with its real answer end (and for pidfd a
		 * descriptor queued on it): it does not hold this channel. */
		memset(&f, 0, sizeof f);
		f.backend = backend;
		f.sender = victim_pid;
		f.nonce = v.inode[backend];
		f.ack = v.fd[backend];
		f.queued = 1;
		expect_direct_refused(&f);
		/* This very process named as the sender. */
		f.sender = getpid();
		expect_direct_refused(&f);
		/* The forger itself: a nonce that is not its far end's inode;
		 * a number that is not an answer end of the backend's kind. */
		f.sender = 0;
		f.nonce = 1;
		f.ack = -1;
		expect_direct_refused(&f);
		f.nonce = 0;
		f.ack = 2;
		expect_direct_refused(&f);
	}
	/* pidfd: the socket holds no descriptor, or more than the handle
	 * says: EPROTO, nothing kept. */
	memset(&f, 0, sizeof f);
	f.backend = 2;
	f.ack = -1;
	f.expect = EPROTO;
	expect_direct_refused(&f);
	f.queued = 2;
	expect_direct_refused(&f);
	/* The victim was neither robbed nor killed. */
	assert_int_equal(kill(victim_pid, 0), 0);
	assert_int_equal(write(chan, "x", 1), 1);
	close(chan);
	tu_assert_child_ok(victim_pid);
}

/* A sender that gave up (see direct.c): the receiver passes every check
 * and takes the descriptor, cannot answer, and drops it: ECONNABORTED,
 * nothing delivered. */
static void test_receiver_drops_what_a_gone_sender_gave(void **state)
{
	struct forgery f;
	int backend;

	(void)state;
	for (backend = 1; backend <= 2; backend++) {
		memset(&f, 0, sizeof f);
		f.backend = backend;
		f.ack = -1;
		f.queued = 1;
		f.gave_up = 1;
		f.expect = ECONNABORTED;
		expect_direct_refused(&f);
	}
}

/* Child: gives up when the receiver shuts the channel, says so on a side
 * pipe, and stays until told to go, holding whatever it still holds. */
static int send_and_give_up(int chan, void *arg)
{
	const int *side = arg;
	char c;

	TU_CHECK(givefd(chan, 2) == -1 && errno == EPIPE);
	TU_CHECK(write(side[1], "x", 1) == 1);
	TU_CHECK(read(side[0], &c, 1) == 1);
	return 0;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* A receiver that took the answer channel in time but answers after the
 * sender gave up cannot make the sender's failure a success: the answer
 * no longer goes in (the sender shut its end for reading, or closed it
 * since). The receiver's part is done here by hand; the sender gives up
 * because the channel is shut, so no deadline races the test. */
static void test_sender_gives_up_for_good(void **state)
{
	int side_up[2], side_down[2], side[2], chan, pidfd, answer;
	struct job job = { "pidfd", send_and_give_up, side };
	unsigned char msg[45];
	unsigned long sender, answer_num;
	char c;
	pid_t pid;

	(void)state;
#ifndef HAVE_PIDFD_SYSCALLS
	skip();
#endif
	if (!direct_expected("pidfd"))
		skip();
	assert_int_equal(pipe(side_up), 0);
	assert_int_equal(pipe(side_down), 0);
	side[0] = side_down[0];
	side[1] = side_up[1];
	pid = fork_sender(STREAM, &chan, &job);
	close(side_down[0]);
	close(side_up[1]);
	assert_int_equal(read_full(chan, msg, sizeof msg), sizeof msg);
	sender = (unsigned long)msg[8] << 24 | (unsigned long)msg[9] << 16 |
	         (unsigned long)msg[10] << 8 | msg[11];
	answer_num = (unsigned long)msg[36] << 24 | (unsigned long)msg[37] << 16 |
	             (unsigned long)msg[38] << 8 | msg[39];
	assert_int_equal(sender, (unsigned long)pid);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	assert_true(pidfd >= 0);
	answer = (int)syscall(SYS_pidfd_getfd, pidfd, (int)answer_num, 0);
	assert_true(answer >= 0);
	assert_int_equal(shutdown(chan, SHUT_RDWR), 0);
	assert_int_equal(read(side_up[0], &c, 1), 1);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	assert_int_equal(write(answer, "T", 1), -1);
	assert_true(errno == EAGAIN || errno == EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(answer);
	close(pidfd);
	assert_int_equal(write(side_down[1], "d", 1), 1);
	close(side_down[1]);
	close(side_up[0]);
	close(chan);
	tu_assert_child_ok(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_file_over_every_channel),
		TU_TEST(test_access_modes_kept),
		TU_TEST(test_many_then_getfd),
		TU_TEST(test_refusals),
		TU_TEST(test_receiver_never_takes),
		TU_TEST(test_sockets),
		TU_TEST(test_nonblocking_pipe),
		TU_TEST(test_one_receiver_for_every_sender),
		TU_TEST(test_root_sender_switches_to_peer_uid),
		TU_TEST(test_forged_handles_refused),
		TU_TEST(test_sender_sigchld_untouched),
		TU_TEST(test_direct_unless_forced),
		TU_TEST(test_forged_direct_handles_refused),
		TU_TEST(test_receiver_drops_what_a_gone_sender_gave),
		TU_TEST(test_sender_gives_up_for_good),
		TU_TEST(test_stalled_message_times_out),
	};

	if (givefd_use_backend("pidfd") == -1 || givefd_use_backend("procfd") == -1) {
		fprintf(stderr, "procfd or pidfd is not built\n");
		return 77;
	}
	givefd_use_backend("scm_rights");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

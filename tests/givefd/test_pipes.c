/* SPDX-License-Identifier: ISC */
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
			assert_int_equal(tu_recv_own(chan, fds, &nfds, buf, sizeof buf), 2);
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

		assert_int_equal(tu_recv_own(chan, fds, &nfds, NULL, 0), 0);
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

			assert_int_equal(tu_recv_own(chan, fds, &nfds, buf, sizeof buf), 4);
			assert_int_equal(nfds, 40);
			for (i = 0; i < 40; i++) {
				assert_true(tu_same_file(fds[i], 2));
				close(fds[i]);
			}
			fd = tu_getfd_own(chan);
			assert_true(fd >= 0);
			assert_true(tu_same_file(fd, 1));
			close(fd);
			nfds = 1;
			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), 3);
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
			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), -1);
			assert_int_equal(errno, EOVERFLOW);
			nfds = 1;
			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), -1);
			assert_int_equal(errno, EMSGSIZE);
			nfds = 1;
			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), 2);
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
			fd = tu_getfd_own(chan);
			assert_true(fd >= 0);
			assert_int_equal(write(fd, "s", 1), 1);
			close(fd);
		} else {
			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), 2);
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
		assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), -1);
		assert_int_equal(errno, EAGAIN);
		assert_int_equal(write(go[1], "g", 1), 1);
		close(go[1]);
		do {
			nfds = 1;
			got = tu_recv_own(chan, &fd, &nfds, buf, sizeof buf);
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
		assert_int_equal(tu_recv_own(chan, &fd, &nfds, &got, sizeof got), sizeof got);
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
	fd = tu_getfd_own(sv[0]);
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
		peer = tu_getfd_own(chan);
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
	assert_int_equal(tu_recv_own(chan, &fd, &nfds, &c, 1), -1);
	assert_int_equal(errno, ETIMEDOUT);
	close(chan);
	tu_assert_child_ok(pid);

	pid = fork_sender(PIPE, &chan, &job);
	assert_int_equal(fcntl(chan, F_SETFL, O_NONBLOCK), 0);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "100", 1);
	while (tu_recv_own(chan, &fd, &nfds, &c, 1) == -1 && errno == EAGAIN)
		usleep(1000);
	unsetenv("GIVEFD_HANDOFF_TIMEOUT_MS");
	assert_int_equal(errno, ETIMEDOUT);
	close(chan);
	tu_assert_child_ok(pid);
}

/* --- how the sender waits ----------------------------------------------- */

static volatile sig_atomic_t sigchld_seen;

/* A handler such as daemons have: reaps whatever child ended. */
static void reap_any(int sig)
{
	int saved = errno;

	(void)sig;
	sigchld_seen++;
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
	errno = saved;
}

/* Child: three transfers under a SIGCHLD handler that reaps any child,
 * then three with SIGCHLD ignored, which makes the kernel reap children
 * at once: the sender learns the outcome either way, from the receiver.
 * Direct transfers start no process, so the handler never runs; a helper
 * is a program of its own, whose end raises SIGCHLD. */
static int send_quietly(int chan, void *arg)
{
	struct sigaction sa;
	int i;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = reap_any;
	TU_CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	for (i = 0; i < 3; i++)
		TU_CHECK(givefd(chan, 2) == 0);
	if (direct_expected(givefd_backend()))
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
			int fd = tu_getfd_own(chan);

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

/* The sender holds the offer itself where it may; a helper otherwise.
 * Read off the wire, then left unanswered. */
static void test_direct_unless_forced(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct job job = { backends[b], send_unanswered, NULL };
		unsigned char head[48];
		int chan;
		pid_t pid = fork_sender(PIPE, &chan, &job);

		assert_int_equal(read(chan, head, sizeof head), sizeof head);
		/* Sender at offset 8, holder at 12. */
		if (direct_expected(backends[b]))
			assert_memory_equal(head + 8, head + 12, 4);
		else
			assert_memory_not_equal(head + 8, head + 12, 4);
		close(chan);
		tu_assert_child_ok(pid);
	}
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
		TU_TEST(test_sender_sigchld_untouched),
		TU_TEST(test_direct_unless_forced),
		TU_TEST(test_stalled_message_times_out),
	};

	if (givefd_use_backend("pidfd") == -1 || givefd_use_backend("procfd") == -1) {
		fprintf(stderr, "procfd or pidfd is not built\n");
		return 77;
	}
	givefd_use_backend("scm_rights");
	if (getenv("TU_FILTER") != NULL)
		cmocka_set_test_filter(getenv("TU_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

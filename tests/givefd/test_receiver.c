/* SPDX-License-Identifier: ISC */
/*
 * test_receiver.c: givefd_receiver never waits: a handle message (procfd,
 * pidfd) that stops after its magic or in its header, or trickles in a
 * byte at a time, gives EAGAIN with the part kept, and is received whole
 * when the rest comes, over stream and seqpacket sockets and pipes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"

/* A guard: a receive that waits is killed by SIGALRM. */
#define GUARD_S 20

static const char *const backends[] = { "pidfd", "procfd" };

enum kind { STREAM, SEQPACKET, PIPE, BLOCKING_PIPE, NKINDS };
static const char *const kind_names[] = {
	"stream", "seqpacket", "pipe", "blocking pipe"
};

/* Child: sends a file holding "abc" with payload "hello". */
static int send_file(int chan, void *arg)
{
	char path[] = "/tmp/givefd-rx-XXXXXX";
	int fd = mkstemp(path);

	TU_CHECK(givefd_use_backend(arg) == 0);
	TU_CHECK(fd >= 0);
	unlink(path);
	TU_CHECK(write(fd, "abc", 3) == 3);
	TU_CHECK(givefd_send(chan, &fd, 1, "hello", 5) == 5);
	close(fd);
	return 0;
}

/* Whether this kernel lets backend run here (the demo's test, in small):
 * a plain receive of one message over a stream socket. */
static int backend_works(const char *backend)
{
	int chan, fd;
	size_t nfds = 1;
	char buf[8];
	pid_t pid = tu_fork_peer(SOCK_STREAM, &chan, send_file, (void *)backend);
	ssize_t n = tu_recv_own(chan, &fd, &nfds, buf, sizeof buf);

	close(chan);
	tu_assert_child_ok(pid);
	if (n == 5 && nfds == 1)
		close(fd);
	return n == 5 && nfds == 1;
}

/* The bytes the sender wrote, as it wrote them: for a seqpacket socket
 * its messages (sizes in sizes[]), else one run of bytes. */
struct wire {
	unsigned char bytes[512];
	size_t len;
	size_t sizes[3];
	size_t nmsg;
};

static void capture(int from, enum kind k, const char *backend, struct wire *w)
{
	size_t total = 48 + (strcmp(backend, "procfd") == 0 ? 4 : 0) + 5;

	memset(w, 0, sizeof *w);
	while (w->len < total) {
		ssize_t n = read(from, w->bytes + w->len, sizeof w->bytes - w->len);

		assert_true(n > 0);
		if (k == SEQPACKET)
			w->sizes[w->nmsg++] = (size_t)n;
		w->len += (size_t)n;
	}
	assert_int_equal(w->len, total);
}

static ssize_t rx_recv(struct givefd_receiver *rx, int *fd, size_t *nfds,
                       char *buf, size_t len)
{
	*nfds = 1;
	return givefd_receiver_recv(rx, fd, nfds, buf, len);
}

static void expect_again(struct givefd_receiver *rx)
{
	char buf[16];
	size_t nfds;
	int fd = -1;

	assert_int_equal(rx_recv(rx, &fd, &nfds, buf, sizeof buf), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	assert_int_equal(fd, -1);
}

static void expect_whole(struct givefd_receiver *rx)
{
	char buf[16], got[4] = { 0 };
	size_t nfds;
	int fd = -1;

	assert_int_equal(rx_recv(rx, &fd, &nfds, buf, sizeof buf), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(nfds, 1);
	assert_int_equal(pread(fd, got, 3, 0), 3);
	assert_string_equal(got, "abc");
	close(fd);
	assert_int_equal(givefd_receiver_pending(rx), 0);
}

/* The receiving channel: in[0] read by the receiver, in[1] written by the
 * test in the pieces it chooses. */
static void make_channel(enum kind k, int in[2])
{
	if (k == PIPE || k == BLOCKING_PIPE)
		assert_int_equal(pipe(in), 0);
	else
		assert_int_equal(socketpair(AF_UNIX, k == STREAM ? SOCK_STREAM
		                            : SOCK_SEQPACKET, 0, in), 0);
	if (k != BLOCKING_PIPE)
		assert_int_equal(fcntl(in[0], F_SETFL, O_NONBLOCK), 0);
}

static void put(int fd, const void *p, size_t n)
{
	assert_int_equal(write(fd, p, n), (ssize_t)n);
}

/* stall: the magic and 10 header bytes, then a stop, then the rest a byte
 * at a time; a seqpacket socket's messages one by one. */
static void run_case(const char *backend, enum kind k)
{
	struct givefd_receiver *rx;
	struct wire w;
	int from, in[2];
	size_t i;
	pid_t pid;

	fprintf(stderr, "  %s over %s\n", backend, kind_names[k]);
	if (k == SEQPACKET)
		pid = tu_fork_peer(SOCK_SEQPACKET, &from, send_file, (void *)backend);
	else if (k == STREAM)
		pid = tu_fork_peer(SOCK_STREAM, &from, send_file, (void *)backend);
	else
		pid = tu_fork_pipe_peer(1, &from, send_file, (void *)backend);
	capture(from, k, backend, &w);
	make_channel(k, in);
	rx = givefd_receiver_new(in[0], GIVEFD_TRUST_WRITERS);
	assert_non_null(rx);
	alarm(GUARD_S);
	/* Nothing there: EAGAIN, nothing begun. */
	expect_again(rx);
	assert_int_equal(givefd_receiver_pending(rx), 0);
	if (k == SEQPACKET) {
		assert_int_equal(w.nmsg, 3);
		assert_int_equal(w.sizes[0], 4);
		put(in[1], w.bytes, 4);
		expect_again(rx);
		assert_int_equal(givefd_receiver_pending(rx), 1);
		put(in[1], w.bytes + 4, w.sizes[1]);
		expect_again(rx);
		assert_int_equal(givefd_receiver_pending(rx), 1);
		put(in[1], w.bytes + 4 + w.sizes[1], w.sizes[2]);
	} else {
		put(in[1], w.bytes, 4);
		expect_again(rx);
		assert_int_equal(givefd_receiver_pending(rx), 1);
		put(in[1], w.bytes + 4, 10);
		expect_again(rx);
		expect_again(rx);
		assert_int_equal(givefd_receiver_pending(rx), 1);
		for (i = 14; i + 1 < w.len; i++) {
			put(in[1], w.bytes + i, 1);
			expect_again(rx);
			assert_int_equal(givefd_receiver_pending(rx), 1);
		}
		put(in[1], w.bytes + i, 1);
	}
	expect_whole(rx);
	alarm(0);
	givefd_receiver_free(rx);
	close(in[0]);
	close(in[1]);
	close(from);
	tu_assert_child_ok(pid);
}

static void test_stalled_and_trickled(void **state)
{
	size_t b;
	int k, ran = 0;

	(void)state;
	for (b = 0; b < 2; b++) {
		if (!backend_works(backends[b])) {
			fprintf(stderr, "  %s does not work here: left out\n", backends[b]);
			continue;
		}
		for (k = 0; k < NKINDS; k++)
			run_case(backends[b], (enum kind)k);
		ran = 1;
	}
	if (!ran)
		skip();
}

/* A receiver freed with part of a message kept leaves nothing open; the
 * bytes need not come from a real sender. */
static void test_free_partial(void **state)
{
	static const unsigned char start[] = {
		0xC7, 'G', 'F', 'H', 2, 1, 0, 0, 0, 0, 0, 1
	};
	struct givefd_receiver *rx;
	int open_before = tu_count_open_fds(), in[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, in), 0);
	assert_int_equal(fcntl(in[0], F_SETFL, O_NONBLOCK), 0);
	rx = givefd_receiver_new(in[0], 0);
	assert_non_null(rx);
	alarm(GUARD_S);
	put(in[1], start, sizeof start);
	expect_again(rx);
	assert_int_equal(givefd_receiver_pending(rx), 1);
	alarm(0);
	givefd_receiver_free(rx);
	close(in[0]);
	close(in[1]);
	assert_int_equal(tu_count_open_fds(), open_before);
}

/* Bytes that cannot begin a message end it at once: EPROTO, not EAGAIN. */
static void test_not_a_handle(void **state)
{
	static const unsigned char junk[] = { 0xC7, 'G', 'X' };
	struct givefd_receiver *rx;
	char buf[8];
	size_t nfds = 1;
	int fd = -1, in[2];

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(fcntl(in[0], F_SETFL, O_NONBLOCK), 0);
	rx = givefd_receiver_new(in[0], GIVEFD_TRUST_WRITERS);
	assert_non_null(rx);
	put(in[1], junk, sizeof junk);
	assert_int_equal(givefd_receiver_recv(rx, &fd, &nfds, buf, sizeof buf), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(givefd_receiver_pending(rx), 0);
	givefd_receiver_free(rx);
	close(in[0]);
	close(in[1]);
}

/* Messages carried by SCM_RIGHTS come whole, as with givefd_recv. */
static void test_ordinary_message(void **state)
{
	struct givefd_receiver *rx;
	char buf[8];
	size_t nfds = 1;
	int fd = -1, in[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, in), 0);
	assert_int_equal(fcntl(in[0], F_SETFL, O_NONBLOCK), 0);
	rx = givefd_receiver_new(in[0], 0);
	assert_non_null(rx);
	assert_int_equal(givefd_receiver_new(in[0], 0x100) == NULL && errno == EINVAL, 1);
	put(in[1], "plain", 5);
	assert_int_equal(givefd_receiver_recv(rx, &fd, &nfds, buf, sizeof buf), 5);
	assert_int_equal(nfds, 0);
	assert_memory_equal(buf, "plain", 5);
	givefd_receiver_free(rx);
	close(in[0]);
	close(in[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_stalled_and_trickled),
		TU_TEST(test_free_partial),
		TU_TEST(test_not_a_handle),
		TU_TEST(test_ordinary_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_prefetch_stall.c: a client that sends the start of a handle
 * message and stops holds only its own connection: another client is
 * answered while it is still connected, and it is closed once
 * PREFETCHD_MESSAGE_MS has passed.
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "givefd.h"
#include "testutil.h"
#include "pftest.h"

static const unsigned char magic[] = { 0xC7, 'G', 'F', 'H', 2, 1 };

/* Starts prefetchd with PREFETCHD_MESSAGE_MS=ms; dir as pft_disk_dir. */
static int start(struct pft_daemon *d, const char *dir, const char *ms)
{
	int rc;

	setenv("PREFETCHD_MESSAGE_MS", ms, 1);
	rc = pft_start(d, dir, NULL);
	unsetenv("PREFETCHD_MESSAGE_MS");
	return rc;
}

static int staller(const char *sock)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(write(fd, magic, sizeof magic), (ssize_t)sizeof magic);
	return fd;
}

static void test_staller_holds_nobody(void **state)
{
	char why[256];
	const char *dir = pft_disk_dir(why, sizeof why);
	struct pft_daemon d;
	struct pollfd p;
	prefetch_t *other;
	char c;
	int fd;

	(void)state;
	if (dir == NULL) {
		print_message("skipped: %s\n", why);
		skip();
	}
	/* The deadline far away: the other client's reply comes first. */
	assert_int_equal(start(&d, dir, "600000"), 0);
	fd = staller(d.sock);
	other = prefetch_connect(d.sock);
	assert_non_null(other);
	assert_int_equal(prefetch_session_create(other, 1, "other", 0), 0);
	prefetch_close(other);
	p.fd = fd;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 0), 0);     /* still connected, unanswered */
	close(fd);
	pft_stop(&d);

	/* A short deadline: the staller is closed after it. */
	assert_int_equal(start(&d, dir, "50"), 0);
	fd = staller(d.sock);
	alarm(60);
	assert_int_equal(read(fd, &c, 1), 0);
	alarm(0);
	close(fd);
	other = prefetch_connect(d.sock);
	assert_non_null(other);
	assert_int_equal(prefetch_session_create(other, 1, "other", 0), 0);
	prefetch_close(other);
	pft_stop(&d);
	pft_remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_staller_holds_nobody),
	};

	pft_kill_stale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

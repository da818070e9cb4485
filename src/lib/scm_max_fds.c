/* SPDX-License-Identifier: ISC */
/*
 * scm_max_fds.c: how many descriptors one SCM_RIGHTS message may carry.
 * The limit belongs to the kernel (Linux: 253) and to the C library (musl
 * 1.2.3 on 64-bit copies the control data into a 1024-byte buffer and fails
 * larger messages with ENOMEM: 252), not to any header, so it is measured
 * once per process: send ever larger messages into a throw-away socket pair
 * until they are refused, by bisection up to GFD_FD_CAP.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "scm_rights.h"

/* Used when the measurement cannot run (no descriptors left): the smallest
 * per-message limit among the systems that have SCM_RIGHTS (musl's, above).
 * It stays for the life of the process, so it must never be more than the
 * real limit. */
#define FALLBACK_MAX_FDS 252

static size_t measured;
static pthread_once_t measure_once = PTHREAD_ONCE_INIT;

/* 1 if the kernel takes count of fds in one message, 0 if it refuses, -1
 * if the trial itself could not be set up. */
static int kernel_accepts(const int *fds, size_t count)
{
	int sv[2], ok;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	ok = gfd_scm_sendmsg(sv[0], fds, count, "", 1) == 1;
	close(sv[0]);
	close(sv[1]);
	return ok;
}

static void measure(void)
{
	static int copies[GFD_FD_CAP];
	size_t low = 1, high = GFD_FD_CAP, i;
	int fds[2];

	measured = FALLBACK_MAX_FDS;
	if (pipe(fds) == -1)
		return;
	for (i = 0; i < GFD_FD_CAP; i++)
		copies[i] = fds[0];
	if (kernel_accepts(copies, high) == 1) {
		low = high;
	} else {
		/* Invariant: low is accepted, high is not. */
		while (high - low > 1) {
			size_t mid = low + (high - low) / 2;
			int verdict = kernel_accepts(copies, mid);

			if (verdict == -1)
				goto out;
			if (verdict)
				low = mid;
			else
				high = mid;
		}
	}
	measured = low;
out:
	close(fds[0]);
	close(fds[1]);
}

size_t gfd_scm_max_fds(void)
{
	int saved = errno;

	pthread_once(&measure_once, measure);
	errno = saved;
	return measured;
}

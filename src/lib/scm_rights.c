/* SPDX-License-Identifier: ISC */
/*
 * scm_rights.c: the scm_rights backend's sending side: descriptors as one
 * SCM_RIGHTS control message on a Unix socket, with at least one data
 * byte, the convention every other implementation speaks. A message
 * without payload carries one NUL byte. Receiving: sockrecv_scm.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "backend.h"
#include "scm_rights.h"

/* gfd_scm_sendmsg without SIGPIPE where MSG_NOSIGNAL is missing. */
static ssize_t send_quietly(int chan, const int *fds, size_t nfds,
                            const void *buf, size_t len)
{
	struct gfd_sigpipe_guard guard;
	ssize_t n;

	if (MSG_NOSIGNAL != 0)
		return gfd_scm_sendmsg(chan, fds, nfds, buf, len);
	gfd_sigpipe_hold(&guard);
	n = gfd_scm_sendmsg(chan, fds, nfds, buf, len);
	gfd_sigpipe_release(&guard);
	return n;
}

/* A stream socket may take part of the payload; the descriptors went with
 * the first part, so the rest goes without them. Stops early only where a
 * plain send would (non-blocking socket full, error after progress). */
static ssize_t send_rest(int chan, const unsigned char *buf, size_t len,
                         size_t sent)
{
	while (sent < len) {
		ssize_t n = send_quietly(chan, NULL, 0, buf + sent, len - sent);

		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	return (ssize_t)sent;
}

static ssize_t scm_send(int chan, const int *fds, size_t nfds,
                        const void *buf, size_t len)
{
	static const unsigned char filler = 0;
	ssize_t n;

	if (len == 0)
		return send_quietly(chan, fds, nfds, &filler, 1) == -1 ? -1 : 0;
	n = send_quietly(chan, fds, nfds, buf, len);
	if (n == -1)
		return -1;
	return send_rest(chan, buf, len, (size_t)n);
}

const struct gfd_backend gfd_backend_scm_rights = {
	"scm_rights",
	gfd_scm_max_fds,
	scm_send,
};

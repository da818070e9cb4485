/* SPDX-License-Identifier: ISC */
/*
 * sockrecv_none.c: the socket receive primitive of a build without a socket
 * backend (only streams, procfd or pidfd): a socket is refused, anything
 * else is left to the other backends' receive paths.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>

#include "compat.h"
#include "internal.h"
#include "backend.h"

ssize_t gfd_socket_recv(int chan, void *buf, size_t room, int flags,
                        struct gfd_arrival *arrival)
{
	int type;
	socklen_t size = sizeof type;

	(void)buf;
	(void)room;
	(void)flags;
	arrival->nfds = 0;
	arrival->truncated = 0;
	if (getsockopt(chan, SOL_SOCKET, SO_TYPE, (void *)&type, &size) == 0)
		errno = ENOTSUP;
	return -1;
}

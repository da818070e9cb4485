/* SPDX-License-Identifier: ISC */
/* writeall.c: write or send a whole buffer (writeall.h). */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "compat.h"
#include "writeall.h"

/* The loop both share: sock says send with MSG_NOSIGNAL, else write. */
static int all(int fd, const char *p, size_t len, int sock)
{
	while (len > 0) {
		ssize_t n = sock ? send(fd, p, len, MSG_NOSIGNAL)
		                 : write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int util_write_all(int fd, const void *buf, size_t len)
{
	return all(fd, buf, len, 0);
}

int util_send_all(int fd, const void *buf, size_t len)
{
	return all(fd, buf, len, 1);
}

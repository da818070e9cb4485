/* SPDX-License-Identifier: ISC */
/* getentropy.c: up to 256 random bytes from /dev/urandom, where libc lacks
 * getentropy. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "compat.h"

int getentropy(void *buf, size_t len)
{
	unsigned char *p = buf;
	int fd;

	if (len > 256) {
		errno = EIO;
		return -1;
	}
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -1;
	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			errno = n == 0 ? EIO : errno;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return 0;
}

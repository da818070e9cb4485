/* SPDX-License-Identifier: ISC */
/* unixsock.c: bind and connect Unix stream sockets by path (unixsock.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "unixsock.h"

static int address(struct sockaddr_un *sa, const char *path)
{
	if (strlen(path) >= sizeof sa->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	strcpy(sa->sun_path, path);
	return 0;
}

/* Atomically close-on-exec where the system can, so that a library
 * caller's other thread forking at that moment does not inherit it. */
static int stream_socket(int cloexec)
{
	int fd;

#ifdef HAVE_SOCK_CLOEXEC
	if (cloexec)
		return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
#endif
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd != -1 && cloexec && fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* bind with the file no more open than 0600, whatever the umask. */
static int bind_private(int fd, const struct sockaddr_un *sa)
{
	mode_t old = umask(0177);
	int r = bind(fd, (const struct sockaddr *)sa, sizeof *sa);
	int err = errno;

	umask(old);
	errno = err;
	return r;
}

/* Whether a server accepts connections at sa: a connect that succeeds
 * (or is queued) says so; ECONNREFUSED on a socket file says its server
 * is gone, since the kernel keeps no listener for a closed socket. */
static int alive(const struct sockaddr_un *sa)
{
	int probe = socket(AF_UNIX, SOCK_STREAM, 0);
	int up;

	if (probe == -1)
		return 1;       /* cannot tell: do not replace */
	up = connect(probe, (const struct sockaddr *)sa, sizeof *sa) == 0 ||
	     errno != ECONNREFUSED;
	close(probe);
	return up;
}

int util_bind_unix(const char *path, int cloexec)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, err;

	if (address(&sa, path) == -1)
		return -1;
	fd = stream_socket(cloexec);
	if (fd == -1)
		return -1;
	if (bind_private(fd, &sa) == 0)
		return fd;
	err = errno;
	if (err == EADDRINUSE) {
		if (lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode) || alive(&sa))
			err = EADDRINUSE;
		else if (unlink(path) == -1 && errno != ENOENT)
			err = errno;
		else if (bind_private(fd, &sa) == 0)
			return fd;
		else
			err = errno;
	}
	close(fd);
	errno = err;
	return -1;
}

int util_connect_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (address(&sa, path) == -1)
		return -1;
	fd = stream_socket(1);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

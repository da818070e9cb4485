/*
 * procfd.c: the /proc sync-kill backend. The receiver reopens each parked
 * descriptor through /proc/HELPER/fd/N with the access mode of the original
 * open: a new open file description, with the receiver's own permission to
 * the file checked. Sockets cannot be reopened that way, so the sender
 * refuses them up front with ENXIO.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "backend.h"
#include "handoff.h"

/* The "flags:" line of /proc/PID/fdinfo/N (octal). */
static int original_flags(int dir, int fdnum, int *flags)
{
	char path[32], text[256], *line;

	snprintf(path, sizeof path, "fdinfo/%d", fdnum);
	if (gfd_read_proc_file(dir, path, text, sizeof text) == -1)
		return -1;
	line = strstr(text, "flags:");
	if (line == NULL) {
		errno = EPROTO;
		return -1;
	}
	*flags = (int)strtol(line + 6, NULL, 8);
	return 0;
}

int gfd_procfd_take(const struct gfd_proc *p, int fdnum)
{
	char path[32];
	int flags;

	if (original_flags(p->dir, fdnum, &flags) == -1)
		return -1;
	snprintf(path, sizeof path, "fd/%d", fdnum);
	return openat(p->dir, path, (flags & (O_ACCMODE | O_APPEND)) |
	              O_NOCTTY | O_CLOEXEC);
}

static size_t procfd_max_fds(void)
{
	return GFD_HANDLE_MAX_FDS;
}

static ssize_t procfd_send(int chan, const int *fds, size_t nfds,
                           const void *buf, size_t len)
{
	size_t i;

	for (i = 0; i < nfds; i++) {
		struct stat st;

		if (fstat(fds[i], &st) == -1)
			return -1;
		if (S_ISSOCK(st.st_mode)) {
			errno = ENXIO;
			return -1;
		}
	}
	return gfd_handoff_send(GFD_HANDLE_PROCFD, chan, fds, nfds, buf, len);
}

const struct gfd_backend gfd_backend_procfd = {
	"procfd",
	procfd_max_fds,
	procfd_send,
};

/* SPDX-License-Identifier: ISC */
/*
 * trace_ra.c: record --readahead-kb lowers the readahead window of the
 * block devices under the recorded mounts (sysfs read_ahead_kb of their
 * backing device) while the command runs, and puts the old values back
 * after, so that the trace holds the pages the command touched rather
 * than the kernel's wide guesses around them. It is a system-wide
 * setting: other readers of those disks read with it too meanwhile.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_SYS_SYSMACROS_H
#include <sys/sysmacros.h>
#endif

#include "trace_run.h"

ssize_t trace_read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	ssize_t n;

	if (fd == -1)
		return -1;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

#if defined(major) && defined(minor)
static long ra_read(const char *path)
{
	char buf[32];

	if (trace_read_small(path, buf, sizeof buf) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}
#endif

static int ra_write(const char *path, long kb)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), len, ok;

	if (fd == -1)
		return -1;
	len = snprintf(buf, sizeof buf, "%ld\n", kb);
	ok = write(fd, buf, (size_t)len) == len;
	close(fd);
	return ok ? 0 : -1;
}

int trace_ra_lower(struct ra_set *s, const char *mount, long kb)
{
#if defined(major) && defined(minor)
	char path[RA_PATH];
	struct stat st;
	size_t i;
	long old;

	if (stat(mount, &st) == -1 || major(st.st_dev) == 0)
		return -1;   /* no block device under it */
	snprintf(path, sizeof path, "/sys/dev/block/%u:%u/bdi/read_ahead_kb",
	         (unsigned)major(st.st_dev), (unsigned)minor(st.st_dev));
	old = ra_read(path);
	if (old < 0) {   /* a partition: its disk's */
		snprintf(path, sizeof path, "/sys/dev/block/%u:%u/../bdi/read_ahead_kb",
		         (unsigned)major(st.st_dev), (unsigned)minor(st.st_dev));
		old = ra_read(path);
	}
	if (old < 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->e[i].path, path) == 0)
			return 0;
	if (s->n == RA_MAX || old <= kb)
		return 0;
	if (ra_write(path, kb) == -1)
		return -1;
	memcpy(s->e[s->n].path, path, sizeof path);
	s->e[s->n].kb = old;
	s->n++;
	return 0;
#else
	(void)s; (void)mount; (void)kb;
	errno = ENOTSUP;
	return -1;
#endif
}

void trace_ra_restore(struct ra_set *s)
{
	while (s->n > 0) {
		s->n--;
		if (ra_write(s->e[s->n].path, s->e[s->n].kb) == -1)
			fprintf(stderr, "prefetchctl: record: could not restore %s to "
			        "%ld: %s\n", s->e[s->n].path, s->e[s->n].kb, strerror(errno));
	}
}

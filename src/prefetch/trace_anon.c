/* SPDX-License-Identifier: ISC */
/*
 * trace_anon.c: a trace encoded into an anonymous file, to hand to
 * prefetchd's replay request when prefetchctl has changed it (reordered
 * it by place on disk): the daemon takes a trace as a descriptor of a
 * regular file. A memfd where the system has one, else an unlinked
 * temporary file (compat/memfd_create.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compat.h"
#include "trace_run.h"
#include "writeall.h"

int trace_anon_file(const struct pf_trace *t)
{
	size_t need = pf_trace_encoded_size(t);
	unsigned char *buf;
	long n;
	int fd = -1, err;

	if (need == 0)
		return -1;
	buf = malloc(need);
	if (buf == NULL)
		return -1;
	n = pf_trace_encode(t, buf, need);
	if (n >= 0)
		fd = memfd_create("prefetch-trace", MFD_CLOEXEC);
	if (fd != -1 && util_write_all(fd, buf, (size_t)n) == -1) {
		err = errno;
		close(fd);
		fd = -1;
		errno = err;
	}
	err = errno;
	free(buf);
	errno = err;
	return fd;
}

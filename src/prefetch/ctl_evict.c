/* SPDX-License-Identifier: ISC */
/*
 * ctl_evict.c: prefetchctl evict drops the files' pages from the page
 * cache here, without the daemon: dirty pages are written first, since
 * only clean pages can be dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

int ctl_evict(int argc, char **argv)
{
	int rc = 0, i;

	if (argc == 0) {
		fprintf(stderr, "prefetchctl: evict: no files\n");
		return 2;
	}
	for (i = 0; i < argc; i++) {
		int fd = ctl_open(argv[i]), err;

		if (fd == -1) {
			rc = 1;
			continue;
		}
#if HAVE_DECL_FDATASYNC
		err = fdatasync(fd) == -1 ? errno : 0;
#else
		err = fsync(fd) == -1 ? errno : 0; /* macOS declares no fdatasync */
#endif
#ifdef HAVE_POSIX_FADVISE
		if (err == 0 || err == EINVAL)
			err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
#else
		err = ENOTSUP;
#endif
		if (err != 0) {
			fprintf(stderr, "prefetchctl: %s: evict: %s\n", argv[i],
			        strerror(err));
			rc = 1;
		}
		close(fd);
	}
	return rc;
}

/* SPDX-License-Identifier: ISC */
/*
 * ctl_evict.c: prefetchctl evict drops the files' pages from the page
 * cache here, without the daemon: dirty pages are written first, since
 * only clean pages can be dropped. Pages that are locked (by prefetchd's
 * mlock and mmap kinds, or anyone's mlock) or mapped by a process stay
 * whatever is asked, so each file's residency is measured afterwards and
 * a file whose pages stayed is reported: exit status 4 then. With
 * --range only the pages the range touches are dropped and measured.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

/* Drops fd's clean pages (those range touches): 0, or an errno value. */
static int evict_fd(int fd, const struct ctl_range *range)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = pg > 0 ? (uint64_t)pg : 4096, first = 0, count = 0;
	struct stat st;
	int err;

	/* Advice drops only the whole pages inside its range: the range is
	 * widened to the pages it touches. */
	if (range->set) {
		if (fstat(fd, &st) == -1)
			return errno;
		ctl_range_pages(range, (uint64_t)st.st_size, page, &first, &count);
		if (count == 0)
			return 0;   /* the range starts past the end */
	}

#if HAVE_DECL_FDATASYNC
	err = fdatasync(fd) == -1 ? errno : 0;
#else
	err = fsync(fd) == -1 ? errno : 0; /* macOS declares no fdatasync */
#endif
#ifdef HAVE_POSIX_FADVISE
	if (err == 0 || err == EINVAL)
		err = posix_fadvise(fd, (off_t)(first * page), (off_t)(count * page),
		                    POSIX_FADV_DONTNEED);
#else
	(void)first;
	(void)count;
	err = ENOTSUP;
#endif
	return err;
}

/* 1 if pages of fd are still resident (said on stderr), 0 if none are or
 * this process cannot tell (no mincore, or mincore would not be truthful
 * for a file this user may not write). */
static int evict_stayed(int fd, const struct ctl_range *range,
                        const char *path, uint64_t before)
{
	struct prefetch_residency r;

	if (ctl_range_residency(fd, range, &r) == -1 || r.method == 0 || !r.trusted ||
	    r.resident == 0)
		return 0;
	fprintf(stderr, "prefetchctl: %s: evict: %llu of %llu pages stayed "
	        "resident (%llu before): locked (prefetchctl lock, mlock) or "
	        "mapped by a process%s\n", path, (unsigned long long)r.resident,
	        (unsigned long long)r.pages, (unsigned long long)before,
	        range->set ? ", or cached with pages out of the range as one "
	        "large folio" : "");
	return 1;
}

int ctl_evict(int argc, char **argv)
{
	struct ctl_range range = { 0, 0, 0 };
	int rc = 0, stayed = 0, i, used;

	while ((used = ctl_range_option(&argc, &argv, &range)) == 1)
		;
	if (used == -1)
		return 2;
	if (argc > 0 && strcmp(argv[0], "--") == 0)
		argc--, argv++;
	if (argc == 0) {
		fprintf(stderr, "prefetchctl: evict: no files\n");
		return 2;
	}
	for (i = 0; i < argc; i++) {
		int fd = ctl_open(argv[i]), err;
		struct prefetch_residency before;

		if (fd == -1) {
			rc = 1;
			continue;
		}
		if (ctl_range_residency(fd, &range, &before) == -1)
			before.resident = 0;
		err = evict_fd(fd, &range);
		if (err != 0) {
			fprintf(stderr, "prefetchctl: %s: evict: %s\n", argv[i],
			        strerror(err));
			rc = 1;
		} else if (evict_stayed(fd, &range, argv[i], before.resident)) {
			stayed = 1;
		}
		close(fd);
	}
	return rc != 0 ? rc : stayed ? 4 : 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * prefetch_sys.c: the system calls behind the readahead kinds and the
 * residency measurement, chosen by configure's probes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_SYS_SYSMACROS_H
#include <sys/sysmacros.h>
#endif
#ifdef HAVE_SYS_VFS_H
#include <sys/vfs.h>
#endif
#ifdef HAVE_LINUX_MAGIC_H
#include <linux/magic.h>
#endif
#if defined(HAVE_SYS_VFS_H) && !defined(TMPFS_MAGIC)
/* Toolchains without kernel headers (musl-gcc): the statfs f_type values
 * of <sys/vfs.h> are fixed by the kernel's ABI. */
#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6
#endif
#ifdef HAVE_CACHESTAT_SYSCALL
#include <sys/syscall.h>
#endif

#include "protocol.h"
#include "prefetch_sys.h"

#define PF_CHUNK_DEFAULT (128 * 1024)
#define PF_CHUNK_MAX (64 * 1024 * 1024)
#define PF_MINCORE_WINDOW 16384 /* pages per mincore call */

int pf_sys_memfs(int fd)
{
#if defined(HAVE_FSTATFS) && defined(TMPFS_MAGIC)
	struct statfs sfs;

	/* The magic numbers are 32 bits; f_type is a signed int on some
	 * 32-bit systems, where RAMFS_MAGIC would come out negative. */
	if (fstatfs(fd, &sfs) == 0) {
		if ((uint32_t)sfs.f_type == (uint32_t)TMPFS_MAGIC)
			return 1;
#ifdef RAMFS_MAGIC
		if ((uint32_t)sfs.f_type == (uint32_t)RAMFS_MAGIC)
			return 1;
#endif
	}
#endif
	(void)fd;
	return 0;
}

#if defined(HAVE_SYS_SYSMACROS_H) || defined(major)
static size_t pf_read_kb(const char *path)
{
	char buf[32];
	unsigned long kb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%lu", &kb) != 1 || kb > PF_CHUNK_MAX / 1024)
		return 0;
	return (size_t)kb * 1024;
}
#endif

size_t pf_sys_ra_chunk(dev_t dev)
{
	size_t chunk = 0;
#if defined(HAVE_SYS_SYSMACROS_H) || defined(major)
	/* Whole disks have queue/ of their own, partitions their parent's. */
	static const char *const where[] = {
		"/sys/dev/block/%u:%u/queue/read_ahead_kb",
		"/sys/dev/block/%u:%u/../queue/read_ahead_kb",
	};
	char path[80];
	size_t i;

	for (i = 0; i < 2 && chunk == 0; i++) {
		snprintf(path, sizeof path, where[i], (unsigned)major(dev),
		         (unsigned)minor(dev));
		chunk = pf_read_kb(path);
	}
#else
	(void)dev;
#endif
	return chunk >= PF_CHUNK_DEFAULT ? chunk : PF_CHUNK_DEFAULT;
}

#ifdef HAVE_POSIX_FADVISE
static int pf_advise_one(int fd, uint64_t off, uint64_t len)
{
	int rc = posix_fadvise(fd, (off_t)off, (off_t)len, POSIX_FADV_WILLNEED);

	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return 0;
}
#elif defined(HAVE_F_RDADVISE)
/* macOS: no posix_fadvise; fcntl(F_RDADVISE) asks for the same readahead. */
static int pf_advise_one(int fd, uint64_t off, uint64_t len)
{
	struct radvisory ra;

	ra.ra_offset = (off_t)off;
	ra.ra_count = len > 0x7fffffff ? 0x7fffffff : (int)len;
	return fcntl(fd, F_RDADVISE, &ra) == -1 ? -1 : 0;
}
#endif

#ifdef HAVE_READAHEAD
static int pf_readahead_one(int fd, uint64_t off, uint64_t len)
{
	return readahead(fd, (off_t)off, (size_t)len) == -1 ? -1 : 0;
}
#endif

/* One call per chunk: a single large call would stop at the device's
 * readahead limit. */
static int pf_chunked(int fd, uint64_t off, uint64_t len, size_t chunk,
                      int (*one)(int, uint64_t, uint64_t))
{
	if (one == NULL) {
		errno = ENOTSUP;
		return -1;
	}
	while (len > 0) {
		uint64_t n = len < chunk ? len : chunk;

		if (one(fd, off, n) == -1)
			return -1;
		off += n;
		len -= n;
	}
	return 0;
}

int pf_sys_advise(int fd, uint64_t off, uint64_t len, size_t chunk)
{
#if defined(HAVE_POSIX_FADVISE) || defined(HAVE_F_RDADVISE)
	return pf_chunked(fd, off, len, chunk, pf_advise_one);
#else
	return pf_chunked(fd, off, len, chunk, NULL);
#endif
}

int pf_sys_readahead(int fd, uint64_t off, uint64_t len, size_t chunk)
{
#ifdef HAVE_READAHEAD
	return pf_chunked(fd, off, len, chunk, pf_readahead_one);
#else
	return pf_chunked(fd, off, len, chunk, NULL);
#endif
}

void *pf_sys_map_locked(int fd, uint64_t off, size_t len, int use_mlock)
{
	int flags = MAP_SHARED;
	void *addr;

#if defined(HAVE_MAP_LOCKED) && defined(HAVE_MAP_POPULATE)
	if (!use_mlock)
		flags |= MAP_LOCKED | MAP_POPULATE;
#else
	use_mlock = 1;
#endif
	addr = mmap(NULL, len, PROT_READ, flags, fd, (off_t)off);
	if (addr == MAP_FAILED) {
		if (errno == EAGAIN)
			errno = ENOMEM;
		return NULL;
	}
	if (use_mlock && mlock(addr, len) == -1) {
		int saved = errno == EAGAIN || errno == EPERM ? ENOMEM : errno;

		munmap(addr, len);
		errno = saved;
		return NULL;
	}
	return addr;
}

#ifdef HAVE_CACHESTAT_SYSCALL
struct pf_cachestat_range { uint64_t off, len; };
struct pf_cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted,
	         nr_recently_evicted;
};

static int pf_cachestat(int fd, uint64_t off, uint64_t len, uint64_t *resident)
{
	struct pf_cachestat_range range;
	struct pf_cachestat cs;

	range.off = off;
	range.len = len;

	if (syscall(SYS_cachestat, fd, &range, &cs, 0) == -1)
		return -1;
	*resident = cs.nr_cache;
	return 0;
}
#endif

#if HAVE_DECL_MINCORE
static int pf_mincore(int fd, uint64_t first, uint64_t npages, size_t page,
                      uint64_t *resident)
{
	unsigned char vec[PF_MINCORE_WINDOW];
	uint64_t at = first, end = first + npages, count = 0;

	while (at < end) {
		uint64_t n = end - at < PF_MINCORE_WINDOW ? end - at : PF_MINCORE_WINDOW;
		void *addr = mmap(NULL, (size_t)n * page, PROT_NONE, MAP_SHARED, fd,
		                  (off_t)(at * page));
		uint64_t i;

		if (addr == MAP_FAILED)
			return -1;
		if (mincore(addr, (size_t)n * page, (void *)vec) == -1) {
			int saved = errno;

			munmap(addr, (size_t)n * page);
			errno = saved;
			return -1;
		}
		munmap(addr, (size_t)n * page);
		for (i = 0; i < n; i++)
			count += vec[i] & 1;
		at += n;
	}
	*resident = count;
	return 0;
}
#else
/* No mincore here (OpenBSD): residency cannot be known; status shows "?". */
static int pf_mincore(int fd, uint64_t first, uint64_t npages, size_t page,
                      uint64_t *resident)
{
	(void)fd;
	(void)first;
	(void)npages;
	(void)page;
	(void)resident;
	errno = ENOSYS;
	return -1;
}
#endif

int pf_sys_residency(int fd, uint64_t size, uint64_t *pages,
                     uint64_t *resident, int *method)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = pg > 0 ? (uint64_t)pg : 4096;

	*pages = (size + page - 1) / page;
	return pf_sys_residency_pages(fd, 0, *pages, resident, method);
}

int pf_sys_residency_pages(int fd, uint64_t first, uint64_t count,
                           uint64_t *resident, int *method)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;

	*resident = 0;
	*method = PF_METHOD_NONE;
	if (count == 0)
		return 0;
#ifdef HAVE_CACHESTAT_SYSCALL
	/* cachestat counts pages still being read in as cached; a page is only
	 * resident once read, which mincore tells. So cachestat answers while
	 * pages are missing, and mincore confirms when it says none are. */
	if (pf_cachestat(fd, first * page, count * page, resident) == 0 &&
	    *resident < count) {
		*method = PF_METHOD_CACHESTAT;
		return 0;
	}
#endif
	if (pf_mincore(fd, first, count, page, resident) == -1)
		return -1;
	*method = PF_METHOD_MINCORE;
	return 0;
}

int pf_sys_residency_trusted(int fd, int method, uint64_t *resident)
{
	if (method != PF_METHOD_MINCORE || pf_sys_mincore_trusted(fd))
		return 1;
	*resident = 0;
	return 0;
}

int pf_sys_mincore_trusted(int fd)
{
	struct stat sb;

	/* The kernel asks whether this process may write the file, by its
	 * permissions, not whether the descriptor was opened for writing. */
	if (fstat(fd, &sb) == -1)
		return 0;
	return geteuid() == 0 || sb.st_uid == geteuid() ||
	       (sb.st_mode & S_IWOTH) ||
	       ((sb.st_mode & S_IWGRP) && sb.st_gid == getegid());
}

/* SPDX-License-Identifier: ISC */
/*
 * record_preload.c: prefetch-record-preload.so, the unprivileged fallback
 * of prefetchctl record (when fanotify is not allowed). Preloaded into the
 * command, it reports on the descriptor named by PREFETCHCTL_RECORD_FD the
 * path of each regular file opened through open, openat, fopen and their
 * variants, and at start and after each dlopen the files mapped (the
 * program and the libraries the dynamic loader opened itself). With
 * PREFETCHCTL_RECORD_COLD=1 it evicts each file it sees opened before
 * returning it. Each report is one write(2) of "path\n", atomic on a pipe.
 *
 * It cannot see static programs, set-user-ID programs (the loader ignores
 * LD_PRELOAD), opens made by raw system calls, or programs that clear
 * their environment before starting others.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PR_EXPORT __attribute__((visibility("default")))

static int pr_fd = -1, pr_cold;

static void pr_report_path(const char *path)
{
	char line[4097 + 1];
	size_t len = strlen(path);

	if (pr_fd == -1 || path[0] != '/' || len >= sizeof line - 1)
		return;
	memcpy(line, path, len);
	line[len] = '\n';
	(void)!write(pr_fd, line, len + 1);
}

static void pr_report_fd(int fd)
{
	char link[64], path[4097];
	struct stat st;
	ssize_t n;
	int err = errno;

	if (pr_fd == -1 || fd < 0 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		goto out;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		goto out;
	path[n] = '\0';
	if (strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/sys/", 5) == 0 ||
	    strncmp(path, "/dev/", 5) == 0)
		goto out;
#ifdef HAVE_POSIX_FADVISE
	if (pr_cold)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
#endif
	pr_report_path(path);
out:
	errno = err;
}

/* The files mapped now: the program, and what the loader opened. */
static void pr_report_maps(void)
{
	char line[4608], last[4097] = "";
	FILE *m;
	int err = errno;

	if (pr_fd == -1)
		return;
	m = fopen("/proc/self/maps", "re");
	if (m == NULL)
		return;
	while (fgets(line, sizeof line, m) != NULL) {
		char *path = strchr(line, '/');
		size_t len;

		if (path == NULL)
			continue;
		len = strcspn(path, "\n");
		path[len] = '\0';
		if (len >= sizeof last || strcmp(path, last) == 0 ||
		    strstr(path, " (deleted)") != NULL)
			continue;
		memcpy(last, path, len + 1);
		pr_report_path(path);
	}
	fclose(m);
	errno = err;
}

__attribute__((constructor)) static void pr_start(void)
{
	const char *fd = getenv("PREFETCHCTL_RECORD_FD");
	const char *cold = getenv("PREFETCHCTL_RECORD_COLD");

	if (fd == NULL)
		return;
	pr_fd = atoi(fd);
	if (pr_fd <= 2 || fcntl(pr_fd, F_GETFD) == -1) {
		pr_fd = -1;
		return;
	}
	pr_cold = cold != NULL && strcmp(cold, "1") == 0;
	pr_report_maps();
}

#define PR_NEXT(type, name, args) \
	static type (*next) args; \
	if (next == NULL) \
		*(void **)&next = dlsym(RTLD_NEXT, name); \
	if (next == NULL) { \
		errno = ENOSYS; \
		return (type)-1; \
	}

static mode_t pr_mode(int flags, va_list ap)
{
	if (flags & O_CREAT)
		return (mode_t)va_arg(ap, int);
#ifdef O_TMPFILE
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
#endif
	return 0;
}

/* open, open64, openat and openat64: the same but for the name and
 * whether a directory descriptor comes first. */
#define PR_OPEN(name, params, args) \
	PR_EXPORT int name params; \
	PR_EXPORT int name params \
	{ \
		va_list ap; \
		mode_t mode; \
		int fd; \
		PR_NEXT(int, #name, params) \
		va_start(ap, flags); \
		mode = pr_mode(flags, ap); \
		va_end(ap); \
		fd = next args; \
		pr_report_fd(fd); \
		return fd; \
	}

PR_OPEN(open, (const char *path, int flags, ...), (path, flags, mode))
PR_OPEN(openat, (int dirfd, const char *path, int flags, ...),
        (dirfd, path, flags, mode))
/* Where the 64-bit names are macros for the plain ones (musl), the plain
 * ones are all there is. */
#ifndef open64
PR_OPEN(open64, (const char *path, int flags, ...), (path, flags, mode))
#endif
#ifndef openat64
PR_OPEN(openat64, (int dirfd, const char *path, int flags, ...),
        (dirfd, path, flags, mode))
#endif

/* What _FORTIFY_SOURCE builds call instead of open and openat. */
PR_EXPORT int __open_2(const char *path, int flags);
PR_EXPORT int __open_2(const char *path, int flags)
{
	int fd;
	PR_NEXT(int, "__open_2", (const char *, int))

	fd = next(path, flags);
	pr_report_fd(fd);
	return fd;
}

PR_EXPORT int __openat_2(int dirfd, const char *path, int flags);
PR_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	int fd;
	PR_NEXT(int, "__openat_2", (int, const char *, int))

	fd = next(dirfd, path, flags);
	pr_report_fd(fd);
	return fd;
}

PR_EXPORT FILE *fopen(const char *path, const char *mode);
PR_EXPORT FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*next)(const char *, const char *);
	FILE *f;

	if (next == NULL)
		*(void **)&next = dlsym(RTLD_NEXT, "fopen");
	if (next == NULL) {
		errno = ENOSYS;
		return NULL;
	}
	f = next(path, mode);
	if (f != NULL)
		pr_report_fd(fileno(f));
	return f;
}

PR_EXPORT void *dlopen(const char *file, int flags);
PR_EXPORT void *dlopen(const char *file, int flags)
{
	static void *(*next)(const char *, int);
	void *h;

	if (next == NULL)
		*(void **)&next = dlsym(RTLD_NEXT, "dlopen");
	if (next == NULL)
		return NULL;
	h = next(file, flags);
	if (h != NULL)
		pr_report_maps();
	return h;
}

/* SPDX-License-Identifier: ISC */
/*
 * firstread.c: forkserver serve --first-read, in the preload module. The
 * target's first read of its standard input (read, readv, pread, the
 * stdio functions on stdin, or a poll or select that waits for fd 0)
 * starts the fork server before the read happens; in each child that
 * read then goes on, on the caller's standard input.
 */
#include "config.h"

/* Linux only: the interposed names and their C library's are those of
 * glibc and musl, and it has only run there. Elsewhere --first-read is
 * refused (fs_first_read_arm says so). */
#ifdef __linux__

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef HAVE_STDIO_EXT_H
#include <stdio_ext.h>
#endif

#include "environ.h"
#include "firstread.h"
#include "forkserver.h"
#include "server.h"

/* Some are macros, with optimisation: the functions are meant here. */
#undef getc
#undef getchar
#undef fgetc
#undef fread_unlocked
#undef fgets_unlocked
#undef fgetc_unlocked
#undef getc_unlocked
#undef getchar_unlocked
#undef _IO_getc

static volatile sig_atomic_t armed;

int fs_first_read_arm(void)
{
	const char *v = getenv(fs_settings[FS_SET_FIRST_READ].name);
	char *end;
	long pid;

	if (v == NULL || *v == '\0')
		return 0;
	pid = strtol(v, &end, 10);
	/* Only the target itself, whatever it execs into (the pid stays):
	 * not a program it starts before its first read. */
	if (*end == '\0' && pid == (long)getpid())
		armed = 1;
	return 1;
}

static int gc_freeze_wanted(void)
{
	const char *v = getenv(fs_settings[FS_SET_GC_FREEZE].name);

	return v == NULL || strcmp(v, "0") != 0;
}

/* The fork point: in the server this never returns; in a child, fd 0 is
 * the caller's and the stdio state of stdin is fresh. */
static void first_read(void)
{
	int r;

	if (!armed)
		return;
	armed = 0;
	/* Alone, so that no other thread can hold the interpreter's lock. */
	if (gc_freeze_wanted() && fs_thread_count() == 1)
		(void)fs_python_freeze();
	r = forkserver_start();
	if (r == -1) {
		fprintf(stderr, "forkserver: the fork server did not start at the"
		        " first read of standard input: %s\n", strerror(errno));
		_exit(1);
	}
	if (r == 0) {
#ifdef HAVE___FPURGE
		__fpurge(stdin);
#endif
		clearerr(stdin);
	}
}

static int is_stdin(FILE *f)
{
	return armed && f != NULL && (f == stdin || fileno(f) == 0);
}

/* The next definition of name: the libc one. */
static void *next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		fprintf(stderr, "forkserver: no %s to call\n", name);
		abort();
	}
	return p;
}

#define REAL(ret, name, params) \
	static ret (*real_##name) params; \
	if (real_##name == NULL) { \
		void *p_ = next(#name); \
		memcpy(&real_##name, &p_, sizeof p_); \
	}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, (int, void *, size_t));
	if (fd == 0)
		first_read();
	return real_read(fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	REAL(ssize_t, __read_chk, (int, void *, size_t, size_t));
	if (fd == 0)
		first_read();
	return real___read_chk(fd, buf, n, buflen);
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	REAL(ssize_t, readv, (int, const struct iovec *, int));
	if (fd == 0)
		first_read();
	return real_readv(fd, iov, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t at)
{
	REAL(ssize_t, pread, (int, void *, size_t, off_t));
	if (fd == 0)
		first_read();
	return real_pread(fd, buf, n, at);
}

#ifdef __GLIBC__
ssize_t pread64(int fd, void *buf, size_t n, off64_t at)
{
	REAL(ssize_t, pread64, (int, void *, size_t, off64_t));
	if (fd == 0)
		first_read();
	return real_pread64(fd, buf, n, at);
}
#endif

/* A poll or select that waits for fd 0 to be readable. */
static int polls_stdin(const struct pollfd *p, nfds_t n)
{
	nfds_t i;

	for (i = 0; armed && i < n; i++)
		if (p[i].fd == 0 && (p[i].events & (POLLIN | POLLRDNORM)) != 0)
			return 1;
	return 0;
}

int poll(struct pollfd *p, nfds_t n, int timeout)
{
	REAL(int, poll, (struct pollfd *, nfds_t, int));
	if (polls_stdin(p, n))
		first_read();
	return real_poll(p, n, timeout);
}

#ifdef __GLIBC__
int ppoll(struct pollfd *p, nfds_t n, const struct timespec *t,
          const sigset_t *mask)
{
	REAL(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *,
	                  const sigset_t *));
	if (polls_stdin(p, n))
		first_read();
	return real_ppoll(p, n, t, mask);
}
#endif

int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
	REAL(int, select, (int, fd_set *, fd_set *, fd_set *,
	                   struct timeval *));
	if (armed && n > 0 && r != NULL && FD_ISSET(0, r))
		first_read();
	return real_select(n, r, w, e, t);
}

int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t,
            const sigset_t *mask)
{
	REAL(int, pselect, (int, fd_set *, fd_set *, fd_set *,
	                    const struct timespec *, const sigset_t *));
	if (armed && n > 0 && r != NULL && FD_ISSET(0, r))
		first_read();
	return real_pselect(n, r, w, e, t, mask);
}

/* stdio on stdin: libc calls its own read inside, past the one above. */
size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	REAL(size_t, fread, (void *, size_t, size_t, FILE *));
	if (is_stdin(f))
		first_read();
	return real_fread(p, size, n, f);
}

char *fgets(char *s, int n, FILE *f)
{
	REAL(char *, fgets, (char *, int, FILE *));
	if (is_stdin(f))
		first_read();
	return real_fgets(s, n, f);
}

int fgetc(FILE *f)
{
	REAL(int, fgetc, (FILE *));
	if (is_stdin(f))
		first_read();
	return real_fgetc(f);
}

int getc(FILE *f)
{
	REAL(int, getc, (FILE *));
	if (is_stdin(f))
		first_read();
	return real_getc(f);
}

int getchar(void)
{
	REAL(int, getchar, (void));
	if (armed)
		first_read();
	return real_getchar();
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	REAL(ssize_t, getdelim, (char **, size_t *, int, FILE *));
	if (is_stdin(f))
		first_read();
	return real_getdelim(line, cap, delim, f);
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
	REAL(ssize_t, getline, (char **, size_t *, FILE *));
	if (is_stdin(f))
		first_read();
	return real_getline(line, cap, f);
}

#ifdef __GLIBC__
/* glibc's own names: the unlocked and fortified variants, the C99 and
 * C23 scanf, and the refill that getc_unlocked's macro calls. */
size_t fread_unlocked(void *p, size_t size, size_t n, FILE *f)
{
	REAL(size_t, fread_unlocked, (void *, size_t, size_t, FILE *));
	if (is_stdin(f))
		first_read();
	return real_fread_unlocked(p, size, n, f);
}

char *fgets_unlocked(char *s, int n, FILE *f)
{
	REAL(char *, fgets_unlocked, (char *, int, FILE *));
	if (is_stdin(f))
		first_read();
	return real_fgets_unlocked(s, n, f);
}

int fgetc_unlocked(FILE *f)
{
	REAL(int, fgetc_unlocked, (FILE *));
	if (is_stdin(f))
		first_read();
	return real_fgetc_unlocked(f);
}

int getc_unlocked(FILE *f)
{
	REAL(int, getc_unlocked, (FILE *));
	if (is_stdin(f))
		first_read();
	return real_getc_unlocked(f);
}

int getchar_unlocked(void)
{
	REAL(int, getchar_unlocked, (void));
	if (armed)
		first_read();
	return real_getchar_unlocked();
}

int _IO_getc(FILE *f);
int _IO_getc(FILE *f)
{
	REAL(int, _IO_getc, (FILE *));
	if (is_stdin(f))
		first_read();
	return real__IO_getc(f);
}

int __uflow(FILE *f);
int __uflow(FILE *f)
{
	REAL(int, __uflow, (FILE *));
	if (is_stdin(f))
		first_read();
	return real___uflow(f);
}

ssize_t __getdelim(char **line, size_t *cap, int delim, FILE *f);
ssize_t __getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	REAL(ssize_t, __getdelim, (char **, size_t *, int, FILE *));
	if (is_stdin(f))
		first_read();
	return real___getdelim(line, cap, delim, f);
}

size_t __fread_chk(void *p, size_t plen, size_t size, size_t n, FILE *f);
size_t __fread_chk(void *p, size_t plen, size_t size, size_t n, FILE *f)
{
	REAL(size_t, __fread_chk, (void *, size_t, size_t, size_t, FILE *));
	if (is_stdin(f))
		first_read();
	return real___fread_chk(p, plen, size, n, f);
}

char *__fgets_chk(char *s, size_t slen, int n, FILE *f);
char *__fgets_chk(char *s, size_t slen, int n, FILE *f)
{
	REAL(char *, __fgets_chk, (char *, size_t, int, FILE *));
	if (is_stdin(f))
		first_read();
	return real___fgets_chk(s, slen, n, f);
}

#endif /* __GLIBC__ */

/* The scanf family, under the names compilers call: each C name here is
 * fs_ and the symbol's (headers may rename the plain ones). */
#define SCANF_NAMES(c, sym) \
int fs_##c##vfscanf(FILE *f, const char *fmt, va_list ap) \
	__asm__(sym "vfscanf"); \
int fs_##c##vfscanf(FILE *f, const char *fmt, va_list ap) \
{ \
	static int (*real)(FILE *, const char *, va_list); \
	if (real == NULL) { \
		void *p_ = next(sym "vfscanf"); \
		memcpy(&real, &p_, sizeof p_); \
	} \
	if (is_stdin(f)) \
		first_read(); \
	return real(f, fmt, ap); \
} \
int fs_##c##vscanf(const char *fmt, va_list ap) __asm__(sym "vscanf"); \
int fs_##c##vscanf(const char *fmt, va_list ap) \
{ \
	return fs_##c##vfscanf(stdin, fmt, ap); \
} \
int fs_##c##fscanf(FILE *f, const char *fmt, ...) __asm__(sym "fscanf"); \
int fs_##c##fscanf(FILE *f, const char *fmt, ...) \
{ \
	va_list ap; \
	int r; \
	va_start(ap, fmt); \
	r = fs_##c##vfscanf(f, fmt, ap); \
	va_end(ap); \
	return r; \
} \
int fs_##c##scanf(const char *fmt, ...) __asm__(sym "scanf"); \
int fs_##c##scanf(const char *fmt, ...) \
{ \
	va_list ap; \
	int r; \
	va_start(ap, fmt); \
	r = fs_##c##vfscanf(stdin, fmt, ap); \
	va_end(ap); \
	return r; \
}
#ifdef __ELF__
SCANF_NAMES(, "")
#ifdef __GLIBC__
SCANF_NAMES(isoc99_, "__isoc99_")
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 38)
SCANF_NAMES(isoc23_, "__isoc23_")
#endif
#endif
#endif /* __ELF__ */
#else /* !__linux__ */

#include <stdio.h>
#include <stdlib.h>

#include "environ.h"
#include "firstread.h"

int fs_first_read_arm(void)
{
	const char *v = getenv(fs_settings[FS_SET_FIRST_READ].name);

	if (v == NULL || *v == '\0')
		return 0;
	fprintf(stderr, "forkserver: --first-read works on Linux only;"
	        " the fork server does not start\n");
	return 1;
}
#endif /* __linux__ */

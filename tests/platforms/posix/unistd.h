/* SPDX-License-Identifier: ISC */
/* Stand-in <unistd.h> for make check-platforms (POSIX 2008). */
#ifndef STANDIN_UNISTD_H
#define STANDIN_UNISTD_H
#include <sys/types.h>
int close(int fildes);
ssize_t read(int fildes, void *buf, size_t nbyte);
ssize_t write(int fildes, const void *buf, size_t nbyte);
ssize_t pread(int fildes, void *buf, size_t nbyte, off_t offset);
ssize_t pwrite(int fildes, const void *buf, size_t nbyte, off_t offset);
int pipe(int fildes[2]);
pid_t getpid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
pid_t getppid(void);
pid_t getpgrp(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t setsid(void);
pid_t fork(void);
int dup(int fildes);
int dup2(int fildes, int fildes2);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int execve(const char *path, char *const argv[], char *const envp[]);
void _exit(int status);
int unlink(const char *path);
int access(const char *path, int amode);
int chdir(const char *path);
int fchdir(int fildes);
char *getcwd(char *buf, size_t size);
long sysconf(int name);
int fsync(int fildes);
#ifndef STANDIN_NO_PIPE2
int pipe2(int fildes[2], int flags);
#endif
#ifndef STANDIN_NO_FDATASYNC
int fdatasync(int fildes);
#endif
int isatty(int fildes);
off_t lseek(int fildes, off_t offset, int whence);
ssize_t readlink(const char *restrict path, char *restrict buf, size_t bufsize);
unsigned alarm(unsigned seconds);
int pause(void);
int getopt(int argc, char *const argv[], const char *optstring);
extern char *optarg;
extern int optind, opterr, optopt;
int setuid(uid_t uid);
int setgid(gid_t gid);
int setgroups(int ngroups, const gid_t *gidset);
int chroot(const char *path);
int ftruncate(int fildes, off_t length);
unsigned sleep(unsigned seconds);
/* Gone from POSIX 2008, but every system here still declares it. */
typedef unsigned int useconds_t;
int usleep(useconds_t useconds);
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define _SC_PAGESIZE 11
#define _SC_OPEN_MAX 5
#define _SC_NPROCESSORS_ONLN 15
int chown(const char *path, uid_t owner, gid_t group);
#endif

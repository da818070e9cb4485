/* Stand-in <unistd.h> for make check-platforms (POSIX 2008). */
#ifndef STANDIN_UNISTD_H
#define STANDIN_UNISTD_H
#include <sys/types.h>
int close(int fildes);
ssize_t read(int fildes, void *buf, size_t nbyte);
ssize_t write(int fildes, const void *buf, size_t nbyte);
int pipe(int fildes[2]);
pid_t getpid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
#endif

/* Stand-in <signal.h> for make check-platforms (POSIX 2008). */
#ifndef STANDIN_SIGNAL_H
#define STANDIN_SIGNAL_H
#include <sys/types.h>
typedef struct { unsigned int bits[4]; } sigset_t;
#define SIGPIPE 13
#define SIG_BLOCK 1
#define SIG_SETMASK 3
int sigemptyset(sigset_t *set);
int sigaddset(sigset_t *set, int signo);
int sigismember(const sigset_t *set, int signo);
int sigpending(sigset_t *set);
int kill(pid_t pid, int sig);
int sigwait(const sigset_t *restrict set, int *restrict sig);
int pthread_sigmask(int how, const sigset_t *restrict set,
                    sigset_t *restrict oset);
#endif

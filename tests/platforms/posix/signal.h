/* SPDX-License-Identifier: ISC */
/* Stand-in <signal.h> for make check-platforms (POSIX 2008). */
#ifndef STANDIN_SIGNAL_H
#define STANDIN_SIGNAL_H
#include <sys/types.h>
typedef struct { unsigned int bits[4]; } sigset_t;
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGABRT 6
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGUSR1 16
#define SIGUSR2 17
#define SIGCHLD 18
#define SIGSTOP 23
#define SIGTSTP 24
#define SIGCONT 25
#define SIGTTIN 26
#define SIGTTOU 27
#define NSIG 73
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SA_RESTART 0x4
#define SA_NOCLDSTOP 0x20000
typedef int sig_atomic_t;
struct sigaction {
	int sa_flags;
	void (*sa_handler)(int);
	sigset_t sa_mask;
};
int sigaction(int sig, const struct sigaction *restrict act,
              struct sigaction *restrict oact);
int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict oset);
int sigfillset(sigset_t *set);
int sigdelset(sigset_t *set, int signo);
int killpg(pid_t pgrp, int sig);
int raise(int sig);
void (*signal(int sig, void (*func)(int)))(int);
int sigemptyset(sigset_t *set);
int sigaddset(sigset_t *set, int signo);
int sigismember(const sigset_t *set, int signo);
int sigpending(sigset_t *set);
int kill(pid_t pid, int sig);
int sigwait(const sigset_t *restrict set, int *restrict sig);
int pthread_sigmask(int how, const sigset_t *restrict set,
                    sigset_t *restrict oset);
#endif

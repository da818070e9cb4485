/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/wait.h> for the platform checks (POSIX 2008). */
#ifndef STANDIN_SYS_WAIT_H
#define STANDIN_SYS_WAIT_H
#include <sys/types.h>
#include <signal.h>
typedef enum { P_PID, P_PGID, P_ALL } idtype_t;
typedef struct {
	int si_signo;
	int si_code;
	int si_status;
	pid_t si_pid;
	uid_t si_uid;
} siginfo_t;
#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WSTOPPED 2
#define WNOWAIT 8
#define WIFEXITED(s) (((s) & 0177) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0377)
#define WIFSIGNALED(s) (((s) & 0177) != 0177 && ((s) & 0177) != 0)
#define WTERMSIG(s) ((s) & 0177)
#define WIFSTOPPED(s) (((s) & 0177) == 0177)
#define WSTOPSIG(s) (((s) >> 8) & 0377)
#define WCOREDUMP(s) ((s) & 0200)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
pid_t wait(int *stat_loc);
pid_t waitpid(pid_t pid, int *stat_loc, int options);
int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);
#endif

/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/procctl.h>: FreeBSD procctl(2) with PROC_PDEATHSIG_CTL. */
#ifndef STANDIN_SYS_PROCCTL_H
#define STANDIN_SYS_PROCCTL_H
#include <sys/types.h>
#include <sys/wait.h>
#define PROC_PDEATHSIG_CTL 11
int procctl(idtype_t idtype, id_t id, int cmd, void *data);
#endif

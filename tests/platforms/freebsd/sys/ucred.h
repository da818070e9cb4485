/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/ucred.h>: FreeBSD 15's struct xucred, which LOCAL_PEERCRED
 * fills (unix(4)): the effective group is cr_gid, an alias of cr_groups[0],
 * and cr_pid shares a union with an old pointer. */
#ifndef STANDIN_SYS_UCRED_H
#define STANDIN_SYS_UCRED_H
#include <sys/types.h>
#define XU_NGROUPS 16
#define XUCRED_VERSION 0
struct xucred {
	u_int cr_version;
	uid_t cr_uid;
	short cr_ngroups;
	union {
		struct {
			gid_t cr_gid;
			gid_t cr_sgroups[XU_NGROUPS - 1];
		};
		gid_t cr_groups[XU_NGROUPS];
	};
	union {
		void *_cr_unused1;
		pid_t cr_pid;
	};
};
#endif

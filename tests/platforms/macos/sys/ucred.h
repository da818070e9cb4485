/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/ucred.h>: macOS's struct xucred, which LOCAL_PEERCRED
 * fills; it has no cr_pid (LOCAL_PEERPID is a separate option). */
#ifndef STANDIN_SYS_UCRED_H
#define STANDIN_SYS_UCRED_H
#include <sys/types.h>
#define NGROUPS 16
#define XUCRED_VERSION 0
struct xucred {
	u_int cr_version;
	uid_t cr_uid;
	short cr_ngroups;
	gid_t cr_groups[NGROUPS];
};
#endif

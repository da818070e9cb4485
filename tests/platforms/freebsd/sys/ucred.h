/* Stand-in <sys/ucred.h>: FreeBSD's struct xucred, as unix(4) describes
 * LOCAL_PEERCRED filling it. */
#ifndef STANDIN_SYS_UCRED_H
#define STANDIN_SYS_UCRED_H
#include <sys/types.h>
#define XU_NGROUPS 16
#define XUCRED_VERSION 0
struct xucred {
	u_int cr_version;
	uid_t cr_uid;
	short cr_ngroups;
	gid_t cr_groups[XU_NGROUPS];
	pid_t cr_pid;
};
#endif

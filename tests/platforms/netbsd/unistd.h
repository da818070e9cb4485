/* SPDX-License-Identifier: ISC */
/* Stand-in <unistd.h>: NetBSD's libc has getpeereid and declares it here. */
#ifndef STANDIN_NETBSD_UNISTD_H
#define STANDIN_NETBSD_UNISTD_H
#include_next <unistd.h>
int getpeereid(int s, uid_t *euid, gid_t *egid);
#endif

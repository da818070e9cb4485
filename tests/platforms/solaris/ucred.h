/* SPDX-License-Identifier: ISC */
/* Stand-in <ucred.h>: getpeerucred(3C) and ucred_get(3C) of Solaris and
 * illumos. ucred_t is opaque. */
#ifndef STANDIN_UCRED_H
#define STANDIN_UCRED_H
#include <sys/types.h>
typedef struct ucred_s ucred_t;
int getpeerucred(int fd, ucred_t **ucred);
uid_t ucred_geteuid(const ucred_t *uc);
gid_t ucred_getegid(const ucred_t *uc);
pid_t ucred_getpid(const ucred_t *uc);
void ucred_free(ucred_t *uc);
#endif

/* SPDX-License-Identifier: ISC */
/*
 * getpeereid.c: the effective user and group of a Unix socket's peer, where
 * libc lacks getpeereid. Built from whichever mechanism configure found;
 * with none, it fails with ENOTSUP rather than guess.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>
#if defined(HAVE_GETPEERUCRED)
#include <ucred.h>
#elif defined(HAVE_LOCAL_PEERCRED)
#include <sys/un.h>
#include <sys/ucred.h>
#endif

#include "compat.h"

int getpeereid(int sock, uid_t *uid, gid_t *gid)
{
#if defined(HAVE_SO_PEERCRED_UCRED) || defined(HAVE_SO_PEERCRED_SOCKPEERCRED)
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
#else
	struct sockpeercred cred;
#endif
	socklen_t size = sizeof cred;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &size) == -1)
		return -1;
	*uid = cred.uid;
	*gid = cred.gid;
	return 0;
#elif defined(HAVE_GETPEERUCRED)
	ucred_t *cred = NULL;

	if (getpeerucred(sock, &cred) == -1)
		return -1;
	*uid = ucred_geteuid(cred);
	*gid = ucred_getegid(cred);
	ucred_free(cred);
	if (*uid == (uid_t)-1 || *gid == (gid_t)-1) {
		errno = ENOTSUP;
		return -1;
	}
	return 0;
#elif defined(HAVE_LOCAL_PEERCRED)
#ifndef SOL_LOCAL
#define SOL_LOCAL 0
#endif
	struct xucred cred;
	socklen_t size = sizeof cred;

	if (getsockopt(sock, SOL_LOCAL, LOCAL_PEERCRED, &cred, &size) == -1)
		return -1;
	if (size != sizeof cred || cred.cr_version != XUCRED_VERSION) {
		errno = EPROTO;
		return -1;
	}
	*uid = cred.cr_uid;
	*gid = cred.cr_groups[0];
	return 0;
#else
	(void)sock;
	(void)uid;
	(void)gid;
	errno = ENOTSUP;
	return -1;
#endif
}

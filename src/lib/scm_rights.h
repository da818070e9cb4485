/* SPDX-License-Identifier: ISC */
/* scm_rights.h: the SCM_RIGHTS code that the scm_rights backend
 * (scm_rights.c, scm_send.c, scm_max_fds.c) and pidfd's offers
 * (handoff_pidfd.c) share. */
#ifndef GFD_SCM_RIGHTS_H
#define GFD_SCM_RIGHTS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "internal.h"

union gfd_control {
	struct cmsghdr align;
	unsigned char bytes[CMSG_SPACE(sizeof(int) * GFD_FD_CAP)];
};

/* One sendmsg of len bytes (at least one) with nfds descriptors attached;
 * retries EINTR, never raises SIGPIPE where MSG_NOSIGNAL exists. */
ssize_t gfd_scm_sendmsg(int chan, const int *fds, size_t nfds,
                        const void *buf, size_t len);

/* The most descriptors this system accepts in one SCM_RIGHTS message. */
size_t gfd_scm_max_fds(void);

#endif

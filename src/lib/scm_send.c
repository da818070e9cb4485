/* SPDX-License-Identifier: ISC */
/*
 * scm_send.c: one sendmsg with descriptors attached as SCM_RIGHTS, for
 * the scm_rights backend and for pidfd's direct transfers (direct.c).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"
#include "msghdr_one.h"
#include "scm_rights.h"

ssize_t gfd_scm_sendmsg(int chan, const int *fds, size_t nfds,
                        const void *buf, size_t len)
{
	union gfd_control control;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	gfd_msghdr_one(&msg, &iov, buf, len);
	if (nfds > 0) {
		struct cmsghdr *cmsg;

		memset(control.bytes, 0, CMSG_SPACE(nfds * sizeof(int)));
		msg.msg_control = control.bytes;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
	}
	do
		n = sendmsg(chan, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n;
}

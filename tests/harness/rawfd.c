/* SPDX-License-Identifier: ISC */
/* rawfd.c: see rawfd.h. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "compat.h"
#include "rawfd.h"

union raw_control {
	struct cmsghdr align;
	unsigned char bytes[CMSG_SPACE(sizeof(int) * RAWFD_MAX)];
};

ssize_t raw_send_copies(int sock, int fd, size_t count)
{
	union raw_control control;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;
	size_t i;

	memset(&msg, 0, sizeof msg);
	memset(control.bytes, 0, CMSG_SPACE(count * sizeof(int)));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.bytes;
	msg.msg_controllen = CMSG_SPACE(count * sizeof(int));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(count * sizeof(int));
	for (i = 0; i < count; i++)
		memcpy(CMSG_DATA(cmsg) + i * sizeof(int), &fd, sizeof fd);
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

ssize_t raw_recv(int sock, int *fds, size_t *count, int *flags)
{
	union raw_control control;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.bytes;
	msg.msg_controllen = sizeof control.bytes;
	*count = 0;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n == -1)
		return -1;
	*flags = msg.msg_flags;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		size_t k = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		memcpy(fds + *count, CMSG_DATA(cmsg), k * sizeof(int));
		*count += k;
	}
	return n;
}

/* SPDX-License-Identifier: ISC */
/* rawfd.c: see rawfd.h. */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "compat.h"
#include "rawfd.h"

union raw_control {
	struct cmsghdr align;
	unsigned char bytes[CMSG_SPACE(sizeof(int) * RAWFD_MAX)];
};

/* msg for one byte (*byte) and a control buffer of len bytes. */
static void one_byte_msg(struct msghdr *msg, struct iovec *iov, char *byte,
                         void *control, size_t len)
{
	memset(msg, 0, sizeof *msg);
	iov->iov_base = byte;
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = control;
	msg->msg_controllen = len;
}

ssize_t raw_send_copies(int sock, int fd, size_t count)
{
	union raw_control control;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;
	size_t i;

	memset(control.bytes, 0, CMSG_SPACE(count * sizeof(int)));
	one_byte_msg(&msg, &iov, &byte, control.bytes,
	             CMSG_SPACE(count * sizeof(int)));
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

	one_byte_msg(&msg, &iov, &byte, control.bytes, sizeof control.bytes);
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

int raw_kernel_reports_ctrunc(void)
{
	union {
		struct cmsghdr align;
		unsigned char bytes[CMSG_SPACE(sizeof(int))];
	} control;
	bool was_open[1024];
	struct msghdr msg;
	struct iovec iov;
	int sv[2], truncated = 0, fd;
	char byte;

	for (fd = 0; fd < 1024; fd++)
		was_open[fd] = fcntl(fd, F_GETFD) != -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return 0;
	if (raw_send_copies(sv[0], sv[0], 4) == 1) {
		one_byte_msg(&msg, &iov, &byte, control.bytes,
		             sizeof control.bytes);
		if (recvmsg(sv[1], &msg, 0) == 1)
			truncated = (msg.msg_flags & MSG_CTRUNC) != 0;
	}
	for (fd = 0; fd < 1024; fd++)
		if (!was_open[fd])
			close(fd);
	return truncated;
}

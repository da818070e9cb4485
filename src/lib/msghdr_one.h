/* SPDX-License-Identifier: ISC */
/*
 * msghdr_one.h: a message header over one buffer, with no address and no
 * control data yet. Inline, so that each file fills the struct msghdr it
 * was compiled with (accrights.c's is the 4.3BSD one, not X/Open's).
 */
#ifndef GIVEFD_MSGHDR_ONE_H
#define GIVEFD_MSGHDR_ONE_H

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

static inline void gfd_msghdr_one(struct msghdr *msg, struct iovec *iov,
                                  const void *buf, size_t len)
{
	memset(msg, 0, sizeof *msg);
	iov->iov_base = (void *)buf;
	iov->iov_len = len;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
}

#endif

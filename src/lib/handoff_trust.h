/* SPDX-License-Identifier: ISC */
/*
 * handoff_trust.h: whether a receiver may act on a handle message: the
 * channel's word on who sent it, the program's consent where the channel
 * cannot say, and the holder's proof. doc/backends-pipes.md gives the
 * threat model this implements.
 */
#ifndef GFD_HANDOFF_TRUST_H
#define GFD_HANDOFF_TRUST_H

#include "handoff_ops.h"

/*
 * Before anything is taken or written: the sender must be the socket's
 * peer as the kernel names it, unless the caller passed
 * GIVEFD_TRUST_WRITERS (trust_writers); then the holder is pinned
 * and its proof checked against the handle's secret. 0 with hd ready, or
 * -1 and errno (EPERM refused; ECONNABORTED the
 * holder is gone or gave up; ENOSYS) with hd closed.
 */
int gfd_trust_handle(const struct gfd_handoff_ops *ops, int chan,
                     int trust_writers, const struct gfd_handle *h,
                     struct gfd_holder *hd);

#endif

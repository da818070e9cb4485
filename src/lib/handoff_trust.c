/* SPDX-License-Identifier: ISC */
/*
 * handoff_trust.c: the receiver's decision to act on a handle message
 * (handoff_trust.h). What it rests on: SO_PEERCRED, which the kernel
 * fills in at connect() for the process at the other end; the caller's
 * explicit consent for channels whose writers nobody can name (pipes,
 * FIFOs, socket pairs, unconnected datagram sockets); and a 128-bit
 * secret that only the sender, its helper and this channel's reader ever
 * see, which the holder must prove it has before anything is taken. Pids,
 * names in /proc and inode numbers are never taken as proof.
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "handoff_trust.h"

/* What the channel says of the sender. */
enum channel_word { CHANNEL_SILENT, CHANNEL_CONFIRMS, CHANNEL_DENIES };

/* A connected socket names the process at its other end (for a socket
 * pair: the process that made it), unless that is this process (then any
 * holder of the other end may have written). Pipes, FIFOs and unconnected
 * sockets name nobody. */
static enum channel_word ask_channel(int chan, const struct gfd_handle *h)
{
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	if (getsockopt(chan, SOL_SOCKET, SO_PEERCRED, &cred, &size) == -1 ||
	    cred.pid <= 0 || cred.pid == getpid())
		return CHANNEL_SILENT;
	return (uint32_t)cred.pid == h->sender_pid ? CHANNEL_CONFIRMS
	                                           : CHANNEL_DENIES;
#else
	(void)chan;
	(void)h;
	return CHANNEL_SILENT;
#endif
}

int gfd_trust_handle(const struct gfd_handoff_ops *ops, int chan,
                     int trust_writers, const struct gfd_handle *h,
                     struct gfd_holder *hd)
{
	hd->pid = (pid_t)h->holder_pid;
	hd->pidfd = hd->dir = hd->answer = -1;
	if (!trust_writers && ask_channel(chan, h) != CHANNEL_CONFIRMS) {
		errno = EPERM;
		return -1;
	}
	if (ops->pin(h, hd) == -1 || ops->check_proof(h, hd) == -1) {
		gfd_holder_close(hd);
		return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * receiver.c: givefd_receiver, the receive of event loops: it takes a
 * message whole or returns EAGAIN, never waiting, and keeps the part of a
 * handle message that has come until the rest does.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "givefd.h"
#include "internal.h"
#include "receive.h"
#ifdef GIVEFD_HANDOFF
#include "handoff_partial.h"
#endif

struct givefd_receiver {
	int chan;
	int flags;
#ifdef GIVEFD_HANDOFF
	struct gfd_partial part;
#endif
};

GFD_PUBLIC struct givefd_receiver *givefd_receiver_new(int chan, int flags)
{
	struct givefd_receiver *rx;

	if ((flags & ~GIVEFD_TRUST_WRITERS) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (chan < 0) {
		errno = EBADF;
		return NULL;
	}
	rx = malloc(sizeof *rx);
	if (rx == NULL)
		return NULL;
	rx->chan = chan;
	rx->flags = flags;
#ifdef GIVEFD_HANDOFF
	gfd_partial_init(&rx->part);
#endif
	return rx;
}

GFD_PUBLIC ssize_t givefd_receiver_recv(struct givefd_receiver *rx, int *fds,
                                        size_t *nfds, void *buf, size_t len)
{
	struct gfd_message m;
	struct gfd_start st;
	ssize_t n;

	if (rx == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (gfd_message_set(&m, rx->chan, fds, nfds, buf, len, rx->flags) == -1)
		return -1;
#ifdef GIVEFD_HANDOFF
	if (rx->part.stage != GFD_PARTIAL_NONE) {
		n = gfd_partial_recv(&rx->part, &m);
	} else {
		n = gfd_receive_start(&m, 1, &st);
		if (n != -1 && st.kind != GFD_START_WHOLE)
			n = gfd_partial_begin(&rx->part, &m, &st);
	}
#else
	n = gfd_receive_start(&m, 1, &st);
#endif
	if (n != -1)
		*nfds = m.nfds;
	return n;
}

GFD_PUBLIC int givefd_receiver_pending(const struct givefd_receiver *rx)
{
#ifdef GIVEFD_HANDOFF
	return rx != NULL && rx->part.stage != GFD_PARTIAL_NONE;
#else
	(void)rx;
	return 0;
#endif
}

GFD_PUBLIC void givefd_receiver_free(struct givefd_receiver *rx)
{
	if (rx == NULL)
		return;
#ifdef GIVEFD_HANDOFF
	gfd_partial_clear(&rx->part);
#endif
	free(rx);
}

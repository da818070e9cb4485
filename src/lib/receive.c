/*
 * receive.c: receives one message and holds the caller's promises: exactly
 * the descriptors it has room for, the payload whole, or -1 with nothing
 * left open.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "backend.h"
#include "receive.h"

ssize_t gfd_receive(int chan, int *fds, size_t *nfds, void *buf, size_t len)
{
	struct gfd_arrival arrival;
	unsigned char filler;
	ssize_t n;

	/* A message always has at least one byte; with no room for payload
	 * that byte goes to filler and is not reported. */
	n = gfd_socket_recv(chan, len > 0 ? buf : &filler, len > 0 ? len : 1,
	                    &arrival);
	if (n == -1)
		return -1;
	if (arrival.nfds > *nfds) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EOVERFLOW;
		return -1;
	}
	if (arrival.truncated && len > 0) {
		gfd_close_all(arrival.fds, arrival.nfds);
		errno = EMSGSIZE;
		return -1;
	}
	if (arrival.nfds > 0)
		memcpy(fds, arrival.fds, arrival.nfds * sizeof *fds);
	*nfds = arrival.nfds;
	return len > 0 ? n : 0;
}

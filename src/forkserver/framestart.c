/*
 * framestart.c: whether the first libgivefd message of a frame is all in
 * a stream socket's buffer, from the bytes a peek shows. A handle message
 * (doc/handle-message.md) is read by givefd_recv to its end, so it must
 * have arrived whole; anything else one receive takes as it is.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"
#include "server.h"

#define HANDLE_FIXED 48
#define HANDLE_PROCFD 1

static const unsigned char handle_magic[4] = { 0xc7, 'G', 'F', 'H' };

static uint32_t be(const unsigned char *p, size_t n)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

int fs_start_whole(const unsigned char *p, size_t n)
{
	uint32_t nfds, payload;

	if (n == 0)
		return 0;
	if (memcmp(p, handle_magic, n < sizeof handle_magic ? n : sizeof handle_magic) != 0)
		return 1;
	if (n < HANDLE_FIXED)
		return 0;
	payload = be(p + 32, 4);
	nfds = be(p + 36, 2);
	/* On a stream it carries a frame header and its descriptors, whose
	 * numbers follow for procfd. */
	if (nfds > FSP_MAX_FDS || payload > FSP_HDR_SIZE) {
		errno = EBADMSG;
		return -1;
	}
	return n >= HANDLE_FIXED + (p[5] == HANDLE_PROCFD ? 4 * nfds : 0) + payload;
}

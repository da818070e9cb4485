/* SPDX-License-Identifier: ISC */
/* handoff_handle.c: encode and strictly decode the handle message
 * (handoff_handle.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "be.h"
#include "handoff_handle.h"

const unsigned char gfd_handle_magic[GFD_HANDLE_MAGIC_LEN] = {
	0xC7, 'G', 'F', 'H'
};

int gfd_handle_lists_fds(unsigned backend)
{
	return backend == GFD_HANDLE_PROCFD;
}

size_t gfd_handle_size(const struct gfd_handle *h)
{
	return GFD_HANDLE_FIXED + (gfd_handle_lists_fds(h->backend) ? 4 * h->nfds : 0);
}

static int valid_pid(uint32_t pid)
{
	return pid > 0 && pid <= 0x7fffffffu;
}

static int valid_number(int32_t fd)
{
	return fd >= 0;
}

static int is_zero(const unsigned char *p, size_t n)
{
	unsigned char any = 0;

	while (n-- > 0)
		any |= *p++;
	return any == 0;
}

static int valid_fields(const struct gfd_handle *h)
{
	size_t i;

	if (h->backend != GFD_HANDLE_PROCFD && h->backend != GFD_HANDLE_PIDFD)
		return 0;
	if (!valid_pid(h->sender_pid) || h->payload_len > GFD_HANDLE_MAX_PAYLOAD ||
	    h->nfds > GFD_HANDLE_MAX_FDS)
		return 0;
	if (h->nfds == 0)
		return h->holder_pid == 0 && h->proof_fd == 0 && h->answer_fd == 0 &&
		       is_zero(h->secret, sizeof h->secret);
	if (!valid_pid(h->holder_pid) || !valid_number(h->proof_fd) ||
	    !valid_number(h->answer_fd) || is_zero(h->secret, sizeof h->secret))
		return 0;
	if (gfd_handle_lists_fds(h->backend))
		for (i = 0; i < h->nfds; i++)
			if (!valid_number(h->fds[i]))
				return 0;
	return 1;
}

ssize_t gfd_handle_encode(const struct gfd_handle *h, unsigned char *out,
                          size_t room)
{
	size_t i, size;

	if (!valid_fields(h)) {
		errno = EINVAL;
		return -1;
	}
	size = gfd_handle_size(h);
	if (room < size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(out, gfd_handle_magic, GFD_HANDLE_MAGIC_LEN);
	out[4] = GFD_HANDLE_VERSION;
	out[5] = (unsigned char)h->backend;
	out[6] = 0;
	out[7] = 0;
	gfd_put32(out + 8, h->sender_pid);
	gfd_put32(out + 12, h->holder_pid);
	memcpy(out + 16, h->secret, GFD_SECRET_LEN);
	gfd_put32(out + 32, h->payload_len);
	gfd_put16(out + 36, (uint16_t)h->nfds);
	gfd_put16(out + 38, 0);
	gfd_put32(out + 40, (uint32_t)h->proof_fd);
	gfd_put32(out + 44, (uint32_t)h->answer_fd);
	if (gfd_handle_lists_fds(h->backend))
		for (i = 0; i < h->nfds; i++)
			gfd_put32(out + GFD_HANDLE_FIXED + 4 * i, (uint32_t)h->fds[i]);
	return (ssize_t)size;
}

int gfd_handle_has_magic(const unsigned char *in, size_t n)
{
	if (n > GFD_HANDLE_MAGIC_LEN)
		n = GFD_HANDLE_MAGIC_LEN;
	return n > 0 && memcmp(in, gfd_handle_magic, n) == 0;
}

int gfd_handle_decode_fixed(const unsigned char *in, struct gfd_handle *h)
{
	memset(h, 0, sizeof *h);
	if (memcmp(in, gfd_handle_magic, GFD_HANDLE_MAGIC_LEN) != 0 ||
	    in[4] != GFD_HANDLE_VERSION || in[6] != 0 || in[7] != 0 ||
	    gfd_get16(in + 38) != 0)
		goto bad;
	h->backend = in[5];
	h->sender_pid = gfd_get32(in + 8);
	h->holder_pid = gfd_get32(in + 12);
	memcpy(h->secret, in + 16, GFD_SECRET_LEN);
	h->payload_len = gfd_get32(in + 32);
	h->nfds = gfd_get16(in + 36);
	h->proof_fd = (int32_t)gfd_get32(in + 40);
	h->answer_fd = (int32_t)gfd_get32(in + 44);
	/* The numbers are checked once they have come too. */
	if (gfd_handle_lists_fds(h->backend) && h->nfds <= GFD_HANDLE_MAX_FDS)
		memset(h->fds, 0, sizeof h->fds);
	if (!valid_fields(h))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

int gfd_handle_decode_fds(const unsigned char *in, struct gfd_handle *h)
{
	size_t i;

	if (!gfd_handle_lists_fds(h->backend))
		return 0;
	for (i = 0; i < h->nfds; i++) {
		h->fds[i] = (int32_t)gfd_get32(in + 4 * i);
		if (!valid_number(h->fds[i])) {
			errno = EPROTO;
			return -1;
		}
	}
	return 0;
}

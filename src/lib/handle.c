/* handle.c: encode and strictly decode the handle message (handle.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "handle.h"

const unsigned char gfd_handle_magic[GFD_HANDLE_MAGIC_LEN] = {
	0xC7, 'G', 'F', 'H'
};

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Descriptor numbers on the wire: a direct handle appends two. */
static size_t wire_count(size_t nfds, unsigned flags)
{
	return nfds + ((flags & GFD_HANDLE_DIRECT) != 0 ? 2 : 0);
}

size_t gfd_handle_size(size_t nfds, unsigned flags)
{
	return GFD_HANDLE_FIXED + 4 * wire_count(nfds, flags);
}

static int valid_pid(uint32_t pid)
{
	return pid > 0 && pid <= 0x7fffffffu;
}

static int valid_fields(const struct gfd_handle *h)
{
	if (h->backend != GFD_HANDLE_PROCFD && h->backend != GFD_HANDLE_PIDFD)
		return 0;
	if (!valid_pid(h->sender_pid) || h->payload_len > GFD_HANDLE_MAX_PAYLOAD ||
	    h->nfds > GFD_HANDLE_MAX_FDS || (h->flags & ~GFD_HANDLE_DIRECT) != 0)
		return 0;
	if (h->flags & GFD_HANDLE_DIRECT)
		return h->nfds > 0 && h->helper_pid == 0 && h->nonce != 0;
	if (h->nfds == 0)
		return h->helper_pid == 0 && h->nonce == 0;
	return valid_pid(h->helper_pid) && h->helper_pid != h->sender_pid;
}

ssize_t gfd_handle_encode(const struct gfd_handle *h, unsigned char *out,
                          size_t room)
{
	size_t i, size;

	if (!valid_fields(h)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < h->nfds; i++) {
		if (h->fds[i] < 0) {
			errno = EINVAL;
			return -1;
		}
	}
	if ((h->flags & GFD_HANDLE_DIRECT) && (h->answer_fd < 0 || h->chan_fd < 0)) {
		errno = EINVAL;
		return -1;
	}
	size = gfd_handle_size(h->nfds, h->flags);
	if (room < size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(out, gfd_handle_magic, GFD_HANDLE_MAGIC_LEN);
	out[4] = GFD_HANDLE_VERSION;
	out[5] = (unsigned char)h->backend;
	out[6] = (unsigned char)h->flags;
	out[7] = 0;
	put32(out + 8, h->sender_pid);
	put32(out + 12, h->helper_pid);
	put32(out + 16, (uint32_t)(h->nonce >> 32));
	put32(out + 20, (uint32_t)h->nonce);
	put32(out + 24, h->payload_len);
	put16(out + 28, (uint32_t)wire_count(h->nfds, h->flags));
	put16(out + 30, 0);
	for (i = 0; i < h->nfds; i++)
		put32(out + GFD_HANDLE_FIXED + 4 * i, (uint32_t)h->fds[i]);
	if (h->flags & GFD_HANDLE_DIRECT) {
		put32(out + GFD_HANDLE_FIXED + 4 * i, (uint32_t)h->answer_fd);
		put32(out + GFD_HANDLE_FIXED + 4 * i + 4, (uint32_t)h->chan_fd);
	}
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
	    in[4] != GFD_HANDLE_VERSION || in[7] != 0 || get16(in + 30) != 0)
		goto bad;
	h->backend = in[5];
	h->flags = in[6];
	h->sender_pid = get32(in + 8);
	h->helper_pid = get32(in + 12);
	h->nonce = (uint64_t)get32(in + 16) << 32 | get32(in + 20);
	h->payload_len = get32(in + 24);
	h->nfds = get16(in + 28);
	if (h->flags & GFD_HANDLE_DIRECT) {
		if (h->nfds < 2)
			goto bad;
		h->nfds -= 2;
	}
	if (!valid_fields(h))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

int gfd_handle_decode_fds(const unsigned char *in, struct gfd_handle *h)
{
	size_t i, n = wire_count(h->nfds, h->flags);

	for (i = 0; i < n; i++) {
		uint32_t fd = get32(in + 4 * i);

		if (fd > 0x7fffffffu) {
			errno = EPROTO;
			return -1;
		}
		if (i < h->nfds)
			h->fds[i] = (int32_t)fd;
		else if (i == h->nfds)
			h->answer_fd = (int32_t)fd;
		else
			h->chan_fd = (int32_t)fd;
	}
	return 0;
}

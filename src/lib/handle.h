/*
 * handle.h: the handle message, which names descriptors parked in a helper
 * process instead of carrying them. Pure codec: bytes in, values out.
 * doc/handle-message.md gives the byte layout.
 */
#ifndef GFD_HANDLE_H
#define GFD_HANDLE_H

#include <stddef.h>
#include <stdint.h>

#define GFD_HANDLE_MAGIC_LEN 4
#define GFD_HANDLE_VERSION 1
/* Bytes before the descriptor numbers. */
#define GFD_HANDLE_FIXED 32
#define GFD_HANDLE_MAX_FDS 253
#define GFD_HANDLE_MAX_PAYLOAD 0x40000000u
#define GFD_HANDLE_MAX (GFD_HANDLE_FIXED + 4 * GFD_HANDLE_MAX_FDS)

extern const unsigned char gfd_handle_magic[GFD_HANDLE_MAGIC_LEN];

enum gfd_handle_backend {
	GFD_HANDLE_PROCFD = 1,
	GFD_HANDLE_PIDFD = 2
};

struct gfd_handle {
	unsigned backend;
	uint32_t sender_pid;
	uint32_t helper_pid;    /* 0 when nfds is 0 */
	uint64_t nonce;
	uint32_t payload_len;
	size_t nfds;
	int32_t fds[GFD_HANDLE_MAX_FDS];
};

/* Bytes the message with nfds descriptors takes before its payload. */
size_t gfd_handle_size(size_t nfds);

/* Writes h into out[0..room): the bytes written, or -1 and EINVAL (bad
 * field) or EMSGSIZE (room too small). */
ssize_t gfd_handle_encode(const struct gfd_handle *h, unsigned char *out,
                          size_t room);

/* 1 if the n bytes in could begin a handle message (n may be short). */
int gfd_handle_has_magic(const unsigned char *in, size_t n);

/* Decodes the first GFD_HANDLE_FIXED bytes into h (nfds set, fds not):
 * 0, or -1 and EPROTO. */
int gfd_handle_decode_fixed(const unsigned char *in, struct gfd_handle *h);

/* Decodes the 4 * h->nfds bytes of descriptor numbers: 0, or -1 EPROTO. */
int gfd_handle_decode_fds(const unsigned char *in, struct gfd_handle *h);

#endif

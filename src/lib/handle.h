/*
 * handle.h: the handle message, which names descriptors held by another
 * process (a helper the sender parked them in, or the sender itself)
 * instead of carrying them. Pure codec: bytes in, values out.
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
/* A direct handle adds two numbers: the far end of the sender's answer
 * channel and the sender's end of the channel. */
#define GFD_HANDLE_MAX (GFD_HANDLE_FIXED + 4 * (GFD_HANDLE_MAX_FDS + 2))

extern const unsigned char gfd_handle_magic[GFD_HANDLE_MAGIC_LEN];

enum gfd_handle_backend {
	GFD_HANDLE_PROCFD = 1,
	GFD_HANDLE_PIDFD = 2
};

/* Flags. DIRECT: no helper; the receiver takes the descriptors from the
 * sender itself and answers through answer_fd, the far end of the sender's
 * answer channel, whose inode number is the nonce (direct.c). */
#define GFD_HANDLE_DIRECT 0x01u

struct gfd_handle {
	unsigned backend;
	unsigned flags;
	uint32_t sender_pid;
	uint32_t helper_pid;    /* 0 when nfds is 0 or the handle is direct */
	uint64_t nonce;
	int32_t answer_fd;         /* direct handles only */
	int32_t chan_fd;        /* direct handles only */
	uint32_t payload_len;
	size_t nfds;
	int32_t fds[GFD_HANDLE_MAX_FDS];
};

/* Bytes before the payload of a message with nfds descriptors and the
 * given flags. */
size_t gfd_handle_size(size_t nfds, unsigned flags);

/* Writes h into out[0..room): the bytes written, or -1 and EINVAL (bad
 * field) or EMSGSIZE (room too small). */
ssize_t gfd_handle_encode(const struct gfd_handle *h, unsigned char *out,
                          size_t room);

/* 1 if the n bytes in could begin a handle message (n may be short). */
int gfd_handle_has_magic(const unsigned char *in, size_t n);

/* Decodes the first GFD_HANDLE_FIXED bytes into h (nfds set, fds not):
 * 0, or -1 and EPROTO. */
int gfd_handle_decode_fixed(const unsigned char *in, struct gfd_handle *h);

/* Decodes the gfd_handle_size(h->nfds, h->flags) - GFD_HANDLE_FIXED bytes
 * of descriptor numbers that follow: 0, or -1 and EPROTO. */
int gfd_handle_decode_fds(const unsigned char *in, struct gfd_handle *h);

#endif

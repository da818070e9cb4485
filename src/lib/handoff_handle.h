/* SPDX-License-Identifier: ISC */
/*
 * handoff_handle.h: the handle message of the pipe backends (procfd,
 * pidfd), which names descriptors held by another process instead of
 * carrying them, with the secret that proves the holder agreed to give
 * them. Pure codec: bytes in, values out. doc/handle-message.md gives the
 * byte layout.
 */
#ifndef GFD_HANDOFF_HANDLE_H
#define GFD_HANDOFF_HANDLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GFD_HANDLE_MAGIC_LEN 4
#define GFD_HANDLE_VERSION 2
/* Bytes before the descriptor numbers. */
#define GFD_HANDLE_FIXED 48
#define GFD_HANDLE_MAX_FDS 253
#define GFD_HANDLE_MAX_PAYLOAD 0x40000000u
#define GFD_HANDLE_MAX (GFD_HANDLE_FIXED + 4 * GFD_HANDLE_MAX_FDS)
#define GFD_SECRET_LEN 16

extern const unsigned char gfd_handle_magic[GFD_HANDLE_MAGIC_LEN];

/* The wire's backend numbers. */
enum gfd_handle_backend {
	GFD_HANDLE_PROCFD = 1,
	GFD_HANDLE_PIDFD = 2
};

struct gfd_handle {
	unsigned backend;
	uint32_t sender_pid;
	uint32_t holder_pid;    /* the sender, or its helper; 0 without descriptors */
	unsigned char secret[GFD_SECRET_LEN];
	uint32_t payload_len;
	size_t nfds;
	int32_t proof_fd;       /* holder's numbers; 0 without descriptors */
	int32_t answer_fd;
	int32_t fds[GFD_HANDLE_MAX_FDS];        /* procfd only */
};

/* Whether descriptor numbers travel in a handle of this backend (procfd
 * reopens them; pidfd finds them queued on the answer socket). */
int gfd_handle_lists_fds(unsigned backend);

/* Bytes before the payload of h, once its fixed part is known. */
size_t gfd_handle_size(const struct gfd_handle *h);

/* Writes h into out[0..room): the bytes written, or -1 and EINVAL (bad
 * field) or EMSGSIZE (room too small). */
ssize_t gfd_handle_encode(const struct gfd_handle *h, unsigned char *out,
                          size_t room);

/* 1 if the n bytes in could begin a handle message (n may be short). */
int gfd_handle_has_magic(const unsigned char *in, size_t n);

/* Decodes the first GFD_HANDLE_FIXED bytes into h (fds not yet): 0, or -1
 * and EPROTO. */
int gfd_handle_decode_fixed(const unsigned char *in, struct gfd_handle *h);

/* Decodes the gfd_handle_size(h) - GFD_HANDLE_FIXED bytes of descriptor
 * numbers that follow: 0, or -1 and EPROTO. */
int gfd_handle_decode_fds(const unsigned char *in, struct gfd_handle *h);

#endif

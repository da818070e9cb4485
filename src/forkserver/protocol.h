/* SPDX-License-Identifier: ISC */
/*
 * protocol.h: the fork-server protocol's pure codec. Bytes in, values out:
 * no I/O, no allocation, no global state. Big-endian throughout; the byte
 * layout is in doc/forkserver-protocol.md.
 */
#ifndef FSP_PROTOCOL_H
#define FSP_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define FSP_MAGIC 0x464b5356u   /* "FKSV" */
#define FSP_VERSION 2            /* the highest version spoken */
#define FSP_VERSION_MIN 1        /* the lowest */
#define FSP_HDR_SIZE 12
#define FSP_MAX_BODY 65536
#define FSP_MAX_FDS 64
#define FSP_MAX_ARGS 256
#define FSP_MAX_ENV 256
#define FSP_MAX_MESSAGE 256

enum fsp_type {
	FSP_HELLO = 1,    /* server: who it is, what it supports */
	FSP_WANT = 2,     /* client: the version and features it wants */
	FSP_RUN = 3,      /* client: fork a child with these descriptors */
	FSP_STARTED = 4,  /* server: the child's pid */
	FSP_EXITED = 5,   /* server: the child's raw wait status */
	FSP_SIGNAL = 6,   /* client: send a signal to a child */
	FSP_ERROR = 7,    /* server: a request failed */
	FSP_TYPE_LAST = FSP_ERROR
};

/* HELLO and WANT feature bits. */
#define FSP_FEATURE_QUIET 0x1u  /* STARTED only for a RUN that wants it */
#define FSP_FEATURE_KEEP_CWD 0x2u /* the server keeps the last directory */

/* Header flags: each only on its type, and only on a connection that
 * agreed to the feature it belongs to. */
#define FSP_RUN_QUIET 0x1u      /* RUN: send no STARTED */
#define FSP_ERROR_RUN 0x1u      /* ERROR: the RUN with this id failed */

/* RUN body flags (version 2). */
#define FSP_RUNF_CWD 0x1u       /* one more descriptor: the working directory */
#define FSP_RUNF_SAME_CWD 0x2u  /* KEEP_CWD: the directory sent last */

/* EXITED flags. */
#define FSP_EXIT_TIMEDOUT 0x1u
/* SIGNAL flags. */
#define FSP_SIGNAL_GROUP 0x1u

struct fsp_header {
	uint8_t type;
	uint8_t nfds;   /* descriptors that came with this header */
	uint16_t flags; /* FSP_RUN_QUIET, FSP_ERROR_RUN; else 0 */
	uint32_t id;    /* request id, chosen by the client, echoed back */
	uint32_t len;   /* body bytes after the header */
};

struct fsp_hello {
	uint32_t magic;
	uint16_t vmin, vmax;
	uint32_t features;
	uint32_t max_children;
	uint32_t max_fds;
};

struct fsp_want {
	uint32_t magic;
	uint16_t version;
	uint32_t features;
};

/* A RUN body. Strings point into the frame and are not terminated. The
 * fields from runflags on are version 2's: zero in version 1. */
/* The counts come first: decoding a short RUN writes only the start of
 * this large structure. */
struct fsp_run {
	uint32_t timeout_ms;            /* 0: no deadline */
	uint32_t runflags;              /* FSP_RUNF_* */
	uint32_t ntargets;
	uint32_t nargs;
	uint32_t nenv;                  /* NAME=VALUE for the child's environment */
	uint32_t targets[FSP_MAX_FDS];  /* descriptor number in the child */
	const char *args[FSP_MAX_ARGS];
	uint16_t arglen[FSP_MAX_ARGS];
	const char *env[FSP_MAX_ENV];
	uint16_t envlen[FSP_MAX_ENV];
};

/* The descriptors a RUN carries: its targets, and its working directory. */
#define FSP_RUN_NFDS(r) ((r)->ntargets + (((r)->runflags & FSP_RUNF_CWD) != 0))

struct fsp_exited {
	uint32_t status;                /* raw wait status */
	uint32_t flags;                 /* FSP_EXIT_* */
};

struct fsp_signal {
	uint32_t signo;
	uint32_t flags;                 /* FSP_SIGNAL_* */
};

struct fsp_error {
	uint32_t err;                   /* errno value on the server's host */
	const char *msg;                /* not terminated */
	uint16_t msglen;
};

/*
 * Decodes a header. Returns 0, or -1 with errno EBADMSG (unknown type or
 * a flag its type does not have), EMSGSIZE (body over FSP_MAX_BODY) or EPROTO (more
 * than FSP_MAX_FDS descriptors, or descriptors on a frame other than RUN).
 */
int fsp_header_decode(const void *buf, size_t len, struct fsp_header *hdr);
/* Writes a header into buf (FSP_HDR_SIZE bytes). */
void fsp_header_encode(const struct fsp_header *hdr, void *buf);
/* Sets the flags of the header an encoder below wrote into frame. */
void fsp_header_set_flags(void *frame, uint16_t flags);

/*
 * Body decoders: the body alone, as many bytes as the header said. Return
 * 0, or -1 and errno EBADMSG (truncated, trailing bytes, bad value).
 */
int fsp_hello_decode(const void *body, size_t len, struct fsp_hello *out);
int fsp_want_decode(const void *body, size_t len, struct fsp_want *out);
/* RUN's body depends on the version the connection agreed on (1 or 2). */
int fsp_run_decode(const void *body, size_t len, unsigned version,
                   struct fsp_run *out);
int fsp_started_decode(const void *body, size_t len, uint32_t *pid);
int fsp_exited_decode(const void *body, size_t len, struct fsp_exited *out);
int fsp_signal_decode(const void *body, size_t len, struct fsp_signal *out);
int fsp_error_decode(const void *body, size_t len, struct fsp_error *out);

/*
 * Frame encoders: header and body into buf of cap bytes. The header's
 * type, len and (for RUN) nfds are filled in from the arguments, its
 * flags are 0 (see fsp_header_set_flags). Return
 * the frame size, or -1 and errno EMSGSIZE (too small a buffer) or
 * EINVAL (a value the protocol cannot carry).
 */
long fsp_hello_encode(const struct fsp_hello *h, void *buf, size_t cap);
long fsp_want_encode(const struct fsp_want *w, void *buf, size_t cap);
long fsp_run_encode(uint32_t id, unsigned version, const struct fsp_run *r,
                    void *buf, size_t cap);
long fsp_started_encode(uint32_t id, uint32_t pid, void *buf, size_t cap);
long fsp_exited_encode(uint32_t id, const struct fsp_exited *e, void *buf,
                       size_t cap);
long fsp_signal_encode(uint32_t id, const struct fsp_signal *s, void *buf,
                       size_t cap);
long fsp_error_encode(uint32_t id, const struct fsp_error *e, void *buf,
                      size_t cap);

#endif /* FSP_PROTOCOL_H */

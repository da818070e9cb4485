/* SPDX-License-Identifier: ISC */
/*
 * handoff_ops.h: what makes procfd and pidfd different, as one table of
 * operations each (handoff_procfd.c, handoff_pidfd.c). The shared layer
 * (handoff_send.c, handoff_recv.c) knows nothing else about either.
 *
 * A transfer, whichever backend: the sender makes an *offer*: a proof of
 * its consent and an answer channel. The proof is a one-way function of a
 * fresh secret, kept where only the sender and its helper can have put it;
 * the process that holds the offer (the sender, or a helper program it
 * started) is named in the handle message with the secret itself. The
 * receiver checks the proof before it takes anything, takes the
 * descriptors, and answers 'T' (taken) or 'R' (refused). Since the proof
 * is a hash, bytes that already exist somewhere (another program's queued
 * message, a file) cannot be named as the proof of a chosen secret.
 */
#ifndef GFD_HANDOFF_OPS_H
#define GFD_HANDOFF_OPS_H

#include <stddef.h>
#include <sys/types.h>

#include "handoff_handle.h"

struct gfd_outgoing;

/* The sender's side of an offer. */
#define GFD_PROOF_LEN 32

struct gfd_offer {
	unsigned char secret[GFD_SECRET_LEN];
	unsigned char proof_bytes[GFD_PROOF_LEN];
	int wait_end;   /* the sender reads answers here */
	int answer_end; /* the receiver writes answers through this far end */
	int proof;      /* what the receiver checks the secret against */
};

/* The receiver's view of the process that holds an offer, pinned. */
struct gfd_holder {
	pid_t pid;
	uid_t uid;      /* procfd: the owner of /proc/PID */
	int pidfd;      /* pidfd: pins the process; -1 otherwise */
	int dir;        /* procfd: /proc/PID, which pins it too; -1 otherwise */
	int answer;     /* the answer channel, once the proof holds; -1 before */
};

struct gfd_handoff_ops {
	unsigned wire;  /* enum gfd_handle_backend */
	/* Sender. 1 when the receiver cannot take from this process itself
	 * (so a helper program must hold the offer). */
	int (*needs_helper)(void);
	/* Makes the offer for o (pidfd queues o's descriptors in it): 0, or
	 * -1 and errno with nothing open. */
	int (*offer)(const struct gfd_outgoing *o, struct gfd_offer *of);
	/* Makes the offer usable by the user a helper will run as: 0, or -1
	 * and errno. */
	int (*hand_over)(const struct gfd_offer *of, uid_t uid, gid_t gid);
	/* Giving up: makes every later answer fail. */
	void (*withdraw)(struct gfd_offer *of);
	/* Receiver. Pins h's holder into hd: 0, or -1 and errno. */
	int (*pin)(const struct gfd_handle *h, struct gfd_holder *hd);
	/* Checks the holder's proof against h's secret, opening nothing else
	 * and writing nothing: 0; -1 and EPERM (no such proof) or
	 * ECONNABORTED (the holder no longer offers anything). */
	int (*check_proof)(const struct gfd_handle *h, struct gfd_holder *hd);
	/* Takes the h->nfds descriptors into fds: 0, or -1 and errno with
	 * none open. */
	int (*take)(const struct gfd_handle *h, struct gfd_holder *hd, int *fds);
	/* Writes the answer byte without waiting: 0, or -1 when the sender no
	 * longer listens. */
	int (*answer)(const struct gfd_handle *h, struct gfd_holder *hd, char c);
};

extern const struct gfd_handoff_ops gfd_handoff_procfd;
extern const struct gfd_handoff_ops gfd_handoff_pidfd;

/* The ops for a handle's backend number, or NULL when not built in. */
const struct gfd_handoff_ops *gfd_handoff_ops_for(unsigned wire);

/* Makes of's secret (from the system's random source) and its proof
 * bytes: 0, or -1 and errno. */
int gfd_offer_secret(struct gfd_offer *of);

/* Whether n bytes got are the proof of secret, compared in time that does
 * not depend on where they differ. */
int gfd_is_proof(const unsigned char *got, size_t n,
                 const unsigned char secret[GFD_SECRET_LEN]);

/* Closes hd's descriptors. */
void gfd_holder_close(struct gfd_holder *hd);

/* Reads the small file path (relative to dir) into text, NUL-terminated:
 * 0, or -1 and errno. */
int gfd_read_proc_file(int dir, const char *path, char *text, size_t size);

/* The parent pid that the /proc stat file at stat_path (relative to dir)
 * gives, or -1. */
long gfd_proc_parent(int dir, const char *stat_path);

#endif

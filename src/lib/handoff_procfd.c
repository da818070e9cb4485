/* SPDX-License-Identifier: ISC */
/*
 * handoff_procfd.c: the procfd backend. The offer is a sealed memfd that
 * holds the secret, and a pipe for the answer. The receiver checks the
 * memfd through /proc/HOLDER/fd (a sealed file of its own user holding
 * the secret), then reopens each descriptor there with the access mode of
 * the original: a new open file description, opened with the receiver's
 * own rights, which must be the holder's (so a root receiver takes only
 * from root). Opens never wait (O_NONBLOCK, then the original's flags)
 * and never acquire a terminal; an O_PATH descriptor stays O_PATH. Sockets
 * cannot be reopened so: the sender refuses them up front (ENXIO).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "backend.h"
#include "handoff_send.h"

#define PROOF_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int procfd_needs_helper(void)
{
	return 0;
}

static int make_proof(const unsigned char *bytes)
{
	int fd = memfd_create("givefd-proof", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd == -1)
		return -1;
	if (pwrite(fd, bytes, GFD_PROOF_LEN, 0) != GFD_PROOF_LEN ||
	    fcntl(fd, F_ADD_SEALS, PROOF_SEALS) == -1) {
		int err = errno;

		close(fd);
		errno = err != 0 ? err : EIO;
		return -1;
	}
	return fd;
}

static int procfd_offer(const struct gfd_outgoing *o, struct gfd_offer *of)
{
	int ends[2];

	(void)o;
	if (gfd_offer_secret(of) == -1 || pipe2(ends, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	of->proof = make_proof(of->proof_bytes);
	if (of->proof == -1) {
		gfd_close_all(ends, 2);
		return -1;
	}
	of->wait_end = ends[0];
	of->answer_end = ends[1];
	return 0;
}

/* The receiver reopens the proof and the answer pipe with its own rights,
 * and checks the proof's owner: the helper's user. */
static int procfd_hand_over(const struct gfd_offer *of, uid_t uid, gid_t gid)
{
	return fchown(of->proof, uid, gid) == -1 ||
	       fchown(of->answer_end, uid, gid) == -1 ? -1 : 0;
}

/* Fills the answer pipe: a receiver that answers after this gets EAGAIN,
 * and drops what it took. */
static void procfd_withdraw(struct gfd_offer *of)
{
	static const char filler[4096];

	while (write(of->answer_end, filler, sizeof filler) > 0 || errno == EINTR)
		;
	while (write(of->answer_end, filler, 1) > 0 || errno == EINTR)
		;
}

static int procfd_pin(const struct gfd_handle *h, struct gfd_holder *hd)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%lu", (unsigned long)h->holder_pid);
	hd->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (hd->dir == -1 || fstat(hd->dir, &st) == -1) {
		errno = ECONNABORTED;
		return -1;
	}
	hd->uid = st.st_uid;
	/* Reopening uses this process's rights: only the holder's user may.
	 * A helper is the sender's own child. */
	if (hd->uid != geteuid() ||
	    (h->holder_pid != h->sender_pid &&
	     gfd_proc_parent(hd->dir, "stat") != (long)h->sender_pid)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* A sealed file of the holder's user whose bytes are the proof. */
static int procfd_check_proof(const struct gfd_handle *h, struct gfd_holder *hd)
{
	unsigned char got[GFD_PROOF_LEN + 1];
	struct stat st, opened;
	char path[24];
	ssize_t n;
	int fd, ok;

	snprintf(path, sizeof path, "fd/%ld", (long)h->proof_fd);
	if (fstatat(hd->dir, path, &st, 0) == -1) {
		errno = errno == ENOENT || errno == ESRCH ? ECONNABORTED : EPERM;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size != GFD_PROOF_LEN || st.st_uid != hd->uid) {
		errno = EPERM;
		return -1;
	}
	fd = openat(hd->dir, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		errno = EPERM;
		return -1;
	}
	do
		n = pread(fd, got, sizeof got, 0);
	while (n == -1 && errno == EINTR);
	ok = fstat(fd, &opened) == 0 && opened.st_dev == st.st_dev &&
	     opened.st_ino == st.st_ino &&
	     (fcntl(fd, F_GET_SEALS) & PROOF_SEALS) == PROOF_SEALS &&
	     n > 0 && gfd_is_proof(got, (size_t)n, h->secret);
	close(fd);
	if (!ok) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* The "flags:" line of /proc/PID/fdinfo/N (octal). */
static int original_flags(int dir, int32_t num, int *flags)
{
	char path[32], text[256], *line;

	snprintf(path, sizeof path, "fdinfo/%ld", (long)num);
	if (gfd_read_proc_file(dir, path, text, sizeof text) == -1)
		return -1;
	line = strstr(text, "flags:");
	if (line == NULL) {
		errno = EPROTO;
		return -1;
	}
	*flags = (int)strtol(line + 6, NULL, 8);
	return 0;
}

static int reopen(int dir, int32_t num)
{
	char path[24];
	int flags, fd;

	if (original_flags(dir, num, &flags) == -1)
		return -1;
	snprintf(path, sizeof path, "fd/%ld", (long)num);
#ifdef O_PATH
	if (flags & O_PATH)
		return openat(dir, path, O_PATH | O_CLOEXEC);
#endif
	fd = openat(dir, path, (flags & (O_ACCMODE | O_APPEND)) |
	            O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd != -1 && !(flags & O_NONBLOCK) &&
	    fcntl(fd, F_SETFL, flags & O_APPEND) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int procfd_take(const struct gfd_handle *h, struct gfd_holder *hd, int *fds)
{
	size_t i;

	for (i = 0; i < h->nfds; i++) {
		fds[i] = reopen(hd->dir, h->fds[i]);
		if (fds[i] == -1) {
			gfd_close_all(fds, i);
			return -1;
		}
	}
	return 0;
}

static int procfd_answer(const struct gfd_handle *h, struct gfd_holder *hd, char c)
{
	struct gfd_sigpipe_guard guard;
	struct stat st;
	char path[24];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "fd/%ld", (long)h->answer_fd);
	if (fstatat(hd->dir, path, &st, 0) == -1 || !S_ISFIFO(st.st_mode))
		return -1;
	fd = openat(hd->dir, path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	gfd_sigpipe_hold(&guard);
	do
		n = write(fd, &c, 1);
	while (n == -1 && errno == EINTR);
	gfd_sigpipe_release(&guard);
	close(fd);
	return n == 1 ? 0 : -1;
}

const struct gfd_handoff_ops gfd_handoff_procfd = {
	GFD_HANDLE_PROCFD,
	procfd_needs_helper,
	procfd_offer,
	procfd_hand_over,
	procfd_withdraw,
	procfd_pin,
	procfd_check_proof,
	procfd_take,
	procfd_answer,
};

static size_t procfd_max_fds(void)
{
	return GFD_HANDLE_MAX_FDS;
}

static ssize_t procfd_send(int chan, const int *fds, size_t nfds,
                           const void *buf, size_t len)
{
	size_t i;

	for (i = 0; i < nfds; i++) {
		struct stat st;

		if (fstat(fds[i], &st) == -1)
			return -1;
		if (S_ISSOCK(st.st_mode)) {
			errno = ENXIO;
			return -1;
		}
	}
	return gfd_handoff_send(&gfd_handoff_procfd, chan, fds, nfds, buf, len);
}

const struct gfd_backend gfd_backend_procfd = {
	"procfd",
	procfd_max_fds,
	procfd_send,
};

/* SPDX-License-Identifier: ISC */
/*
 * handoff_common.c: what procfd and pidfd share on both sides: the table
 * of their operations, the secret, and small /proc reads.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "handoff_ops.h"
#include "sha256.h"

const struct gfd_handoff_ops *gfd_handoff_ops_for(unsigned wire)
{
#ifdef GIVEFD_BACKEND_PROCFD
	if (wire == GFD_HANDLE_PROCFD)
		return &gfd_handoff_procfd;
#endif
#ifdef GIVEFD_BACKEND_PIDFD
	if (wire == GFD_HANDLE_PIDFD)
		return &gfd_handoff_pidfd;
#endif
	(void)wire;
	return NULL;
}

static const char proof_tag[] = "givefd offer proof, version 2";

static void proof_of(const unsigned char secret[GFD_SECRET_LEN],
                     unsigned char proof[GFD_PROOF_LEN])
{
	const void *parts[2] = { proof_tag, secret };
	size_t lens[2] = { sizeof proof_tag, GFD_SECRET_LEN };

	gfd_sha256(parts, lens, 2, proof);
}

int gfd_offer_secret(struct gfd_offer *of)
{
	if (getentropy(of->secret, sizeof of->secret) == -1)
		return -1;
	proof_of(of->secret, of->proof_bytes);
	return 0;
}

int gfd_is_proof(const unsigned char *got, size_t n,
                 const unsigned char secret[GFD_SECRET_LEN])
{
	unsigned char want[GFD_PROOF_LEN], diff = 0;
	size_t i;

	if (n != GFD_PROOF_LEN)
		return 0;
	proof_of(secret, want);
	for (i = 0; i < GFD_PROOF_LEN; i++)
		diff |= got[i] ^ want[i];
	return diff == 0;
}

void gfd_holder_close(struct gfd_holder *hd)
{
	int saved = errno;

	if (hd->answer != -1)
		close(hd->answer);
	if (hd->pidfd != -1)
		close(hd->pidfd);
	if (hd->dir != -1)
		close(hd->dir);
	hd->answer = hd->pidfd = hd->dir = -1;
	errno = saved;
}

int gfd_read_proc_file(int dir, const char *path, char *text, size_t size)
{
	ssize_t n;
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	do
		n = read(fd, text, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EPROTO : errno;
		return -1;
	}
	text[n] = '\0';
	return 0;
}

long gfd_proc_parent(int dir, const char *stat_path)
{
	char text[512], *close_paren;
	long ppid;

	/* "PID (NAME) S PPID ...": the name may hold anything but the last ')'. */
	if (gfd_read_proc_file(dir, stat_path, text, sizeof text) == -1 ||
	    (close_paren = strrchr(text, ')')) == NULL ||
	    sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return ppid;
}

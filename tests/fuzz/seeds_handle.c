/* SPDX-License-Identifier: ISC */
/*
 * seeds_handle.c: writes the seed corpus of fuzz_handle into the directory
 * named on its command line. Every seed comes from gfd_handle_encode, so
 * the seeds follow the handle format whatever version the codec speaks:
 * each backend, a direct handle, no and the most descriptors, the largest
 * payload, and one message cut short.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "handoff_handle.h"
#include "seedio.h"

static void base(struct gfd_handle *h, unsigned backend, size_t nfds)
{
	size_t i;

	memset(h, 0, sizeof *h);
	h->backend = backend;
	h->sender_pid = 4242;
	h->holder_pid = nfds > 0 ? 4243 : 0;
	for (i = 0; nfds > 0 && i < GFD_SECRET_LEN; i++)
		h->secret[i] = (unsigned char)(0x10 + i);
	h->answer_fd = nfds > 0 && backend == GFD_HANDLE_PROCFD ? 1 : 0;
	h->payload_len = 5;
	h->nfds = nfds;
	for (i = 0; i < nfds; i++)
		h->fds[i] = (int32_t)(3 + i);
}

static void put(const char *name, const struct gfd_handle *h, size_t cut)
{
	unsigned char buf[GFD_HANDLE_MAX];
	ssize_t n = gfd_handle_encode(h, buf, sizeof buf);

	if (n > 0 && cut > 0 && (size_t)n > cut)
		n = (ssize_t)cut;
	seed_put(name, buf, (long)n);
}

int main(int argc, char **argv)
{
	struct gfd_handle h;

	if (seed_begin(argc, argv) == -1)
		return 2;
	base(&h, GFD_HANDLE_PROCFD, 1);
	put("procfd-one", &h, 0);
	base(&h, GFD_HANDLE_PIDFD, 3);
	put("pidfd-three", &h, 0);
	base(&h, GFD_HANDLE_PIDFD, 0);
	put("pidfd-none", &h, 0);
	base(&h, GFD_HANDLE_PROCFD, GFD_HANDLE_MAX_FDS);
	h.payload_len = GFD_HANDLE_MAX_PAYLOAD;
	put("procfd-most", &h, 0);
	base(&h, GFD_HANDLE_PIDFD, 2);
	h.holder_pid = h.sender_pid;
	h.proof_fd = h.answer_fd = 9;
	put("pidfd-direct", &h, 0);
	base(&h, GFD_HANDLE_PROCFD, 4);
	put("procfd-cut", &h, GFD_HANDLE_FIXED + 6);
	return seed_end();
}

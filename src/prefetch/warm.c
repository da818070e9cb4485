/* SPDX-License-Identifier: ISC */
/*
 * warm.c: see warm.h. A file is advised as READAHEAD advises one
 * (advice.c: clipped to the file and to --max-readahead, holes skipped).
 * Small files go several to a step, a large one a step at a time; a file
 * that was unregistered meanwhile gets ENOENT, and one whose advice fails
 * is unregistered, so that a file reported warmed is a file registered.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "warm.h"

#define PF_WARM_STEP_FILES 16 /* files advised at most a step */

static void pf_close_from(int *fds, size_t from, size_t n)
{
	size_t i;

	for (i = from; i < n; i++) {
		if (fds[i] != -1)
			close(fds[i]);
		fds[i] = -1;
	}
}

struct pf_warm *pf_warm_start(struct pf_state *st, struct pf_session *s,
                              const struct pf_request *req, int *fds)
{
	size_t n = req->hdr.nfds, i;
	struct pf_reader r;
	struct pf_warm *w;

	if (req->kind != PF_KIND_FADVISE && req->kind != PF_KIND_READAHEAD) {
		pf_close_from(fds, 0, n);
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof *w);
	if (w == NULL) {
		pf_close_from(fds, 0, n);
		errno = ENOMEM;
		return NULL;
	}
	w->uid = s->uid;
	w->sid = s->sid;
	w->tag = req->hdr.tag;
	w->first = req->fid;
	w->kind = req->kind;
	w->n = n;
	pf_reader_init(&r, req->files, req->fileslen);
	for (i = 0; i < n; i++) {
		struct pf_warm_item *it = &w->item[i];
		struct pf_warm_file f;
		int fd = fds[i];
		uint32_t fid = w->first + (uint32_t)i;

		pf_get_warm_file(&r, &f); /* the decoder checked them all */
		fds[i] = -1;
		it->off = f.off;
		it->len = f.len;
		/* The name is the client's label, kept and shown, never opened. */
		if (pf_file_register(st, s, fid, fd, f.namelen > 0 ? f.name : NULL,
		                     f.namelen) == -1)
			it->err = (uint32_t)errno;
		else
			it->serial = pf_file_find(s, fid)->serial;
	}
	return w;
}

/* Ends file i of the job with err: unregistered, as it was not warmed. */
static void pf_warm_fail(struct pf_state *st, struct pf_session *s,
                         struct pf_warm *w, size_t i, int err)
{
	struct pf_file *f = pf_file_find(s, w->first + (uint32_t)i);

	if (f != NULL && f->serial == w->item[i].serial)
		pf_file_unregister(st, s, f->fid);
	w->item[i].serial = 0;
	w->item[i].err = (uint32_t)err;
}

/* One advice step of file w->next: 1 when it is over (warmed or failed),
 * 0 when some of its range is left. */
static int pf_warm_advise(struct pf_state *st, struct pf_session *s,
                          struct pf_warm *w)
{
	struct pf_warm_item *it = &w->item[w->next];
	struct pf_file *f;
	int rc;

	if (it->serial == 0)
		return 1;
	f = pf_file_find(s, w->first + (uint32_t)w->next);
	if (f == NULL || f->serial != it->serial) {
		it->serial = 0;
		it->err = ENOENT;
		return 1;
	}
	if (!w->advising) {
		if (pf_advice_start(&w->advice, f, w->kind, it->off, it->len,
		                    st->max_readahead) == -1) {
			pf_warm_fail(st, s, w, w->next, errno);
			return 1;
		}
		w->advising = 1;
	}
	rc = pf_advice_step(&w->advice, f->fd);
	if (rc == 0)
		return 0;
	w->advising = 0;
	if (rc == -1) {
		pf_warm_fail(st, s, w, w->next, errno);
		return 1;
	}
	it->bytes = w->advice.done;
	return 1;
}

int pf_warm_step(struct pf_state *st, struct pf_warm *w)
{
	struct pf_session *s = pf_session_find(st, w->uid, w->sid);
	int n;

	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	for (n = 0; n < PF_WARM_STEP_FILES && w->next < w->n; n++) {
		if (!pf_warm_advise(st, s, w))
			return 0; /* a large file: its next step, next turn */
		w->next++;
	}
	return w->next == w->n;
}

void pf_warm_body(const struct pf_warm *w, struct pf_writer *out)
{
	size_t i;

	pf_put_u32(out, (uint32_t)w->n);
	for (i = 0; i < w->n; i++) {
		pf_put_u32(out, w->item[i].err);
		pf_put_u64(out, w->item[i].bytes);
	}
}

void pf_warm_free(struct pf_warm *w)
{
	free(w);
}

/* SPDX-License-Identifier: ISC */
/*
 * handler.c: one request in, one reply out. Replies carry 0 or the errno
 * of what failed, and a body only where the command has one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "handler.h"
#include "log.h"
#include "openpath.h"

static uint32_t pf_commands_bitmap(void)
{
	uint32_t bits = 0;
	unsigned c;

	for (c = PF_HELLO; c <= PF_CMD_LAST; c++)
		bits |= 1u << c;
	return bits;
}

static int pf_register_path(struct pf_state *st, struct pf_client *cl,
                            struct pf_session *s, const struct pf_request *req)
{
	char path[PF_MAX_STRING + 1];
	int fd;

	/* The daemon would look the path up with its own rights, which may be
	 * more than the client's: such a client passes descriptors instead. */
	if (!cl->trusted) {
		errno = EPERM;
		return -1;
	}
	memcpy(path, req->str, req->strlen);
	path[req->strlen] = '\0';
	fd = pf_open_regular(path);
	if (fd == -1)
		return -1;
	return pf_file_register(st, s, req->fid, fd, req->str, req->strlen);
}

/* The body of a READAHEAD reply: the bytes, or for ENOMEM the budget. */
static void pf_readahead_body(struct pf_state *st, int rc, uint64_t done,
                              struct pf_writer *body)
{
	if (rc == 0) {
		pf_put_u64(body, done);
	} else if (errno == ENOMEM) {
		pf_put_u64(body, st->locked);
		pf_put_u64(body, st->budget);
	}
}

static int pf_readahead(struct pf_state *st, struct pf_client *cl,
                        struct pf_session *s, const struct pf_request *req,
                        struct pf_writer *body)
{
	struct pf_file *f = pf_file_find(s, req->fid);
	uint64_t done = 0;
	int rc, saved;

	if (f == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (req->kind == PF_KIND_FADVISE || req->kind == PF_KIND_READAHEAD) {
		struct pf_advice *a = &cl->advice;

		if (pf_advice_start(a, f, req->kind, req->off, req->len,
		                    st->max_readahead) == -1)
			return -1;
		a->uid = s->uid;
		a->sid = s->sid;
		a->fid = f->fid;
		a->file = f->serial;
		a->tag = req->hdr.tag;
		return 0;
	}
	rc = pf_file_lock_range(st, f, req->kind, req->off, req->len, &done,
	                        &cl->deferred);
	saved = errno;
	if (rc == 0 && cl->deferred != NULL) {
		cl->deferred->uid = s->uid;
		cl->deferred->sid = req->sid;
		cl->deferred->tag = req->hdr.tag;
		cl->deferred->done = done;
		return 0;
	}
	pf_readahead_body(st, rc, done, body);
	errno = saved;
	return rc;
}

/* A step of the replay under way; its reply when it is over. */
static void pf_replay_turn(struct pf_state *st, struct pf_client *cl,
                           struct pf_writer *w)
{
	struct pf_replay *r = cl->replay;
	int rc = pf_replay_step(st, r);

	if (rc == 0)
		return;
	pf_reply_begin(w, PF_REPLAY, r->tag, rc == -1 ? (uint32_t)errno : 0);
	if (rc == 1)
		pf_replay_body(r, w);
	if (pf_frame_end(w) == -1)
		w->len = 0;
	pf_replay_free(r);
	cl->replay = NULL;
}

/* A step of the WARM_FDS under way; its reply when it is over. */
static void pf_warm_turn(struct pf_state *st, struct pf_client *cl,
                         struct pf_writer *w)
{
	struct pf_warm *job = cl->warm;
	int rc = pf_warm_step(st, job);

	if (rc == 0)
		return;
	pf_reply_begin(w, PF_WARM_FDS, job->tag, rc == -1 ? (uint32_t)errno : 0);
	if (rc == 1)
		pf_warm_body(job, w);
	if (pf_frame_end(w) == -1)
		w->len = 0;
	pf_warm_free(job);
	cl->warm = NULL;
}

void pf_client_release(struct pf_client *cl)
{
	pf_replay_free(cl->replay);
	cl->replay = NULL;
	pf_warm_free(cl->warm);
	cl->warm = NULL;
}

void pf_handle_advice_step(struct pf_state *st, struct pf_client *cl,
                           struct pf_writer *w)
{
	struct pf_advice *a = &cl->advice;
	struct pf_session *s;
	struct pf_file *f;
	int rc;

	if (cl->replay != NULL) {
		pf_replay_turn(st, cl, w);
		return;
	}
	if (cl->warm != NULL) {
		pf_warm_turn(st, cl, w);
		return;
	}
	s = pf_session_find(st, a->uid, a->sid);
	f = s != NULL ? pf_file_find(s, a->fid) : NULL;
	if (f == NULL || f->serial != a->file) {
		errno = ENOENT;
		rc = -1;
	} else {
		rc = pf_advice_step(a, f->fd);
		if (rc == 0)
			return;
	}
	a->active = 0;
	pf_reply_begin(w, PF_READAHEAD, a->tag, rc == -1 ? (uint32_t)errno : 0);
	if (rc != -1)
		pf_put_u64(w, a->done);
	if (pf_frame_end(w) == -1)
		w->len = 0;
}

void pf_handle_lock_done(struct pf_state *st, struct pf_lock_job *job,
                         struct pf_writer *w)
{
	int rc = pf_lock_finish(st, job), err = errno;

	pf_reply_begin(w, PF_READAHEAD, job->tag, rc == 0 ? 0 : (uint32_t)err);
	errno = err;
	pf_readahead_body(st, rc, job->done, w);
	if (pf_frame_end(w) == -1)
		w->len = 0;
}

/* Runs the command; writes the body (if any) after the status. */
static int pf_run(struct pf_state *st, struct pf_client *cl,
                  const struct pf_request *req, int *fds, struct pf_writer *w)
{
	struct pf_session *s = NULL;
	uint16_t cmd = req->hdr.cmd;

	if (cmd == PF_HELLO) {
		if (req->vmin > PF_VERSION || req->vmax < PF_VERSION)
			errno = EPROTONOSUPPORT;
		else
			cl->hello = 1;
		pf_put_u16(w, PF_VERSION);
		pf_put_u32(w, PF_MAX_FRAME);
		pf_put_u32(w, pf_commands_bitmap());
		return cl->hello ? 0 : -1;
	}
	if (!cl->hello) {
		errno = EPROTO;
		return -1;
	}
	switch (cmd) {
	case PF_CREATE:
		return pf_session_create(st, cl->uid, req->sid, req->flags,
		                         req->str, req->strlen, cl->owner);
	case PF_DESTROY:
		return pf_session_destroy(st, cl->uid, req->sid);
	case PF_DUMP:
		if (req->sid != PF_SID_ALL &&
		    pf_session_find(st, cl->uid, req->sid) == NULL)
			break;
		pf_state_dump(st, cl->uid, cl->trusted && req->sid == PF_SID_ALL,
		              req->sid, w);
		return 0;
	case PF_EXIT:
		if (!cl->trusted) {
			errno = EPERM;
			return -1;
		}
		cl->stop = 1;
		return 0;
	case PF_REPLAY:
		/* A trace names paths, which the daemon would open with its
		 * own rights: as REG_PATH, for a trusted client only, refused
		 * before the trace is looked at. */
		if (!cl->trusted) {
			errno = EPERM;
			return -1;
		}
		/* fall through */
	default:
		s = pf_session_find(st, cl->uid, req->sid);
		break;
	}
	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	switch (cmd) {
	case PF_REG_PATH:
		return pf_register_path(st, cl, s, req);
	case PF_REG_FD: {
		int taken = fds[0];

		fds[0] = -1;
		return pf_file_register(st, s, req->fid, taken, NULL, 0);
	}
	case PF_REG_FD_NAMED: {
		int taken = fds[0];

		/* The name is the client's label, kept and shown, never opened. */
		fds[0] = -1;
		return pf_file_register(st, s, req->fid, taken,
		                        req->strlen > 0 ? req->str : NULL,
		                        req->strlen);
	}
	case PF_UNREG:
		return pf_file_unregister(st, s, req->fid);
	case PF_UNREG_ID:
		return pf_file_unregister_id(st, s, req->dev, req->ino);
	case PF_READAHEAD:
		return pf_readahead(st, cl, s, req, w);
	case PF_REPLAY: {
		int taken = fds[0];

		fds[0] = -1;
		cl->replay = pf_replay_start(s, taken, req->kind, req->hdr.tag);
		return cl->replay != NULL ? 0 : -1;
	}
	case PF_WARM_FDS:
		/* Each file is registered now, or closed with its error kept
		 * for the reply; the advice is given a step a turn. */
		cl->warm = pf_warm_start(st, s, req, fds);
		return cl->warm != NULL ? 0 : -1;
	default: /* PF_RESIDENCY */
		return pf_session_residency(s, w);
	}
}

void pf_handle(struct pf_state *st, struct pf_client *cl,
               const struct pf_request *req, int *fds, struct pf_writer *w)
{
	size_t start = w->len, i;
	int rc, err;

	pf_reply_begin(w, req->hdr.cmd, req->hdr.tag, 0);
	rc = pf_run(st, cl, req, fds, w);
	err = errno;
	/* What the command did not take (a bad sid, an early HELLO, ...). */
	for (i = 0; i < req->hdr.nfds; i++) {
		if (fds[i] != -1)
			close(fds[i]);
		fds[i] = -1;
	}
	if (cl->deferred != NULL || pf_client_stepping(cl)) {
		w->len = start; /* the reply comes when the work is done */
		return;
	}
	if (rc == -1 && w->err == 0) {
		/* The status goes in place; the body stays where it helps (HELLO's
		 * version, the budget behind ENOMEM). */
		size_t body = w->len;

		w->len = start + PF_HDR_SIZE;
		pf_put_u32(w, (uint32_t)err);
		w->len = body;
		pf_log(LOG_DEBUG, "command %u: %s", (unsigned)req->hdr.cmd,
		       strerror(err));
	}
	if (w->err != 0) {
		w->len = start;
		w->err = 0;
		pf_reply_begin(w, req->hdr.cmd, req->hdr.tag, EMSGSIZE);
	}
	if (pf_frame_end(w) == -1)
		w->len = start;
}

void pf_handle_error(const struct pf_header *hdr, int err, struct pf_writer *w)
{
	pf_reply_begin(w, hdr->cmd & (uint16_t)~PF_REPLY, hdr->tag, (uint32_t)err);
	pf_frame_end(w);
}

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

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

static uint32_t pf_commands_bitmap(void)
{
	uint32_t bits = 0;
	unsigned c;

	for (c = PF_HELLO; c <= PF_CMD_LAST; c++)
		bits |= 1u << c;
	return bits;
}

/* Opens a path given by the client, without following it into a fifo or
 * device, without touching atime where allowed. */
static int pf_open_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOATIME);

	if (fd == -1 && errno == EPERM && O_NOATIME != 0)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	return fd;
}

static int pf_register_path(struct pf_state *st, struct pf_session *s,
                            const struct pf_request *req)
{
	char path[PF_MAX_STRING + 1];
	int fd;

	memcpy(path, req->str, req->strlen);
	path[req->strlen] = '\0';
	fd = pf_open_path(path);
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
	rc = pf_file_readahead(st, f, req->kind, req->off, req->len, &done,
	                       &cl->deferred);
	saved = errno;
	if (rc == 0 && cl->deferred != NULL) {
		cl->deferred->sid = req->sid;
		cl->deferred->tag = req->hdr.tag;
		cl->deferred->done = done;
		return 0;
	}
	pf_readahead_body(st, rc, done, body);
	errno = saved;
	return rc;
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
                  const struct pf_request *req, int *fd, struct pf_writer *w)
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
		return pf_session_create(st, req->sid, req->flags, req->str,
		                         req->strlen, cl->owner);
	case PF_DESTROY:
		return pf_session_destroy(st, req->sid);
	case PF_DUMP:
		if (req->sid != PF_SID_ALL && pf_session_find(st, req->sid) == NULL)
			break;
		pf_state_dump(st, req->sid, w);
		return 0;
	case PF_EXIT:
		cl->stop = 1;
		return 0;
	default:
		s = pf_session_find(st, req->sid);
		break;
	}
	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	switch (cmd) {
	case PF_REG_PATH:
		return pf_register_path(st, s, req);
	case PF_REG_FD: {
		int taken = *fd;

		*fd = -1;
		return pf_file_register(st, s, req->fid, taken, NULL, 0);
	}
	case PF_UNREG:
		return pf_file_unregister(st, s, req->fid);
	case PF_UNREG_ID:
		return pf_file_unregister_id(st, s, req->dev, req->ino);
	case PF_READAHEAD:
		return pf_readahead(st, cl, s, req, w);
	default: /* PF_RESIDENCY */
		return pf_session_residency(s, w);
	}
}

void pf_handle(struct pf_state *st, struct pf_client *cl,
               const struct pf_request *req, int fd, struct pf_writer *w)
{
	size_t start = w->len;
	int rc, err;

	pf_reply_begin(w, req->hdr.cmd, req->hdr.tag, 0);
	rc = pf_run(st, cl, req, &fd, w);
	err = errno;
	if (fd != -1)
		close(fd);
	if (cl->deferred != NULL) {
		w->len = start; /* the reply comes when the lock is done */
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

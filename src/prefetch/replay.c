/* SPDX-License-Identifier: ISC */
/*
 * replay.c: see replay.h. The trace is read with pread from a regular
 * file only (a pipe or socket could hold the loop for as long as its
 * writer likes), at most 1 MiB a step, and decoded by the trace codec,
 * which refuses anything damaged. Each file is opened as REG_PATH opens
 * one (openpath.c), and counted as changed unless it is the file the
 * trace recorded; file i of the trace becomes fid i of the session, so
 * that the client can ask READAHEAD and RESIDENCY about it afterwards.
 * Files come in the trace's order (the order the command opened them,
 * or the one the client put them in: prefetchctl sorts them by place on
 * disk, which the sandbox keeps this process from asking), each file's
 * ranges in ascending order.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "openpath.h"
#include "replay.h"

#define PF_REPLAY_READ_STEP ((size_t)1 << 20) /* bytes of trace a step */
#define PF_REPLAY_OPEN_STEP 16                 /* files opened a step */
#define PF_REPLAY_ADVICE_STEP 16               /* ranges at most a step */

enum { PF_REPLAY_READING, PF_REPLAY_OPENING, PF_REPLAY_WARMING };

struct pf_replay *pf_replay_start(const struct pf_session *s, int fd,
                                  unsigned kind, uint32_t tag)
{
	struct pf_replay *r = NULL;
	struct stat sb;
	int saved;

	if (kind != PF_KIND_FADVISE && kind != PF_KIND_READAHEAD) {
		errno = EINVAL;
		goto fail;
	}
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)sb.st_size > PF_REPLAY_MAX_TRACE) {
		errno = EFBIG;
		goto fail;
	}
	r = calloc(1, sizeof *r);
	if (r == NULL)
		goto fail;
	/* One byte more than the size: a trace that grows while being read
	 * is noticed, not cut. */
	r->cap = (size_t)sb.st_size + 1;
	r->buf = malloc(r->cap);
	if (r->buf == NULL)
		goto fail;
	r->phase = PF_REPLAY_READING;
	r->fd = fd;
	r->uid = s->uid;
	r->sid = s->sid;
	r->tag = tag;
	r->kind = kind;
	pf_trace_init(&r->trace, 0);
	return r;
fail:
	saved = errno;
	if (r != NULL)
		free(r->buf);
	free(r);
	close(fd);
	errno = saved;
	return NULL;
}

static int pf_replay_read(struct pf_replay *r)
{
	size_t want = r->cap - r->got;
	const char *why = NULL;
	ssize_t n;

	if (want > PF_REPLAY_READ_STEP)
		want = PF_REPLAY_READ_STEP;
	n = pread(r->fd, r->buf + r->got, want, (off_t)r->got);
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	r->got += (size_t)n;
	if (n > 0 && r->got < r->cap)
		return 0;
	close(r->fd);
	r->fd = -1;
	if (r->got == r->cap) {
		why = "it grew while being read";
	} else if (pf_trace_decode(r->buf, r->got, 0, &r->trace, &why) == -1) {
		if (errno != EBADMSG)
			return -1;
		if (why == NULL)
			why = "damaged";
	}
	free(r->buf);
	r->buf = NULL;
	if (why != NULL) {
		pf_log(LOG_NOTICE, "replay for uid %ld: trace refused: %s",
		       (long)r->uid, why);
		errno = EBADMSG;
		return -1;
	}
	r->serial = calloc(r->trace.nfiles ? r->trace.nfiles : 1, sizeof *r->serial);
	if (r->serial == NULL)
		return -1;
	r->phase = PF_REPLAY_OPENING;
	return 0;
}

/* Opens, checks and registers file i of the trace, or counts it out. */
static void pf_replay_open(struct pf_state *st, struct pf_session *s,
                           struct pf_replay *r, uint32_t i)
{
	const struct pf_trace_file *tf = &r->trace.files[i];
	struct stat sb;
	int fd;

	if (tf->nranges == 0)
		return; /* nothing of it to warm */
	fd = pf_open_regular(tf->path);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		if (fd != -1)
			close(fd);
		r->skipped++;
		return;
	}
	if (pf_trace_file_changed(tf, &sb) != NULL) {
		close(fd);
		r->changed++;
		return;
	}
	/* Over the session's or the uid's limits, or a fid taken: skipped. */
	if (pf_file_register(st, s, i, fd, tf->path, strlen(tf->path)) == -1) {
		r->skipped++;
		return;
	}
	r->serial[i] = pf_file_find(s, i)->serial;
}

/* The file whose ranges are being warmed, if it is still registered. */
static struct pf_file *pf_replay_file(struct pf_session *s, struct pf_replay *r)
{
	struct pf_file *f;

	if (r->serial[r->file] == 0)
		return NULL;
	f = pf_file_find(s, r->file);
	return f != NULL && f->serial == r->serial[r->file] ? f : NULL;
}

/* One advice step on the current range, or a move to the next range or
 * file: 1 when every file is done, 2 when the step left some of its range
 * (it advised its fill), else 0. */
static int pf_replay_advise(struct pf_state *st, struct pf_session *s,
                            struct pf_replay *r)
{
	const struct pf_trace_file *tf;
	struct pf_file *f;
	uint64_t ps = r->trace.page_size;
	int rc;

	if (r->file >= r->trace.nfiles)
		return 1;
	tf = &r->trace.files[r->file];
	f = pf_replay_file(s, r);
	if (f == NULL || r->failed || r->range >= tf->nranges) {
		if (r->serial[r->file] != 0) {
			if (f != NULL && !r->failed)
				r->warmed++;
			else
				r->skipped++;
		}
		r->file++;
		r->range = 0;
		r->advising = 0;
		r->failed = 0;
		return 0;
	}
	if (!r->advising) {
		if (pf_advice_start(&r->advice, f, r->kind,
		                    (uint64_t)tf->ranges[r->range].first * ps,
		                    (uint64_t)tf->ranges[r->range].count * ps,
		                    st->max_readahead) == -1) {
			r->failed = 1;
			return 0;
		}
		r->advising = 1;
	}
	rc = pf_advice_step(&r->advice, f->fd);
	if (rc == -1) {
		pf_log(LOG_DEBUG, "replay: %s: %s", tf->path, strerror(errno));
		r->failed = 1;
		r->advising = 0;
	} else if (rc == 1) {
		r->bytes += r->advice.done;
		r->advising = 0;
		r->range++;
	} else {
		return 2;
	}
	return 0;
}

int pf_replay_step(struct pf_state *st, struct pf_replay *r)
{
	struct pf_session *s = pf_session_find(st, r->uid, r->sid);
	int n;

	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	switch (r->phase) {
	case PF_REPLAY_READING:
		return pf_replay_read(r);
	case PF_REPLAY_OPENING:
		for (n = 0; n < PF_REPLAY_OPEN_STEP && r->file < r->trace.nfiles; n++)
			pf_replay_open(st, s, r, r->file++);
		if (r->file == r->trace.nfiles) {
			r->file = 0;
			r->phase = PF_REPLAY_WARMING;
		}
		return 0;
	default:
		/* Small ranges several to a step, a large one a step at a time. */
		for (n = 0; n < PF_REPLAY_ADVICE_STEP; n++) {
			int rc = pf_replay_advise(st, s, r);

			if (rc == 1)
				return 1;
			if (rc == 2)
				break;
		}
		return 0;
	}
}

void pf_replay_body(const struct pf_replay *r, struct pf_writer *w)
{
	pf_put_u32(w, r->warmed);
	pf_put_u32(w, r->changed);
	pf_put_u32(w, r->skipped);
	pf_put_u64(w, r->bytes);
}

void pf_replay_free(struct pf_replay *r)
{
	if (r == NULL)
		return;
	if (r->fd != -1)
		close(r->fd);
	free(r->buf);
	free(r->serial);
	pf_trace_free(&r->trace);
	free(r);
}

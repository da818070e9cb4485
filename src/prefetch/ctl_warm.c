/* SPDX-License-Identifier: ISC */
/*
 * ctl_warm.c: prefetchctl warm, and status through the daemon (its
 * output is ctl_status.c's). Both open the files, hand them to the daemon
 * in a session of their own (in batches that fit one), and read the
 * residency back; warm prefetches first and waits until every page is in,
 * drawing progress on a terminal (ctl_progress.c).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

#define CTL_BATCH 512
#define CTL_WARM_SLICE 64 /* files handed over in one prefetch_warm_fds */

struct ctl_batch {
	prefetch_t *p;
	uint32_t sid;
	char **names;
	size_t n;
	int fds[CTL_BATCH];       /* kept open to measure here if need be */
	struct prefetch_residency res[CTL_BATCH];
	size_t nres;
	struct ctl_range range;   /* of each file (warm --range) */
	struct prefetch_warm_file warm[CTL_WARM_SLICE];
	char labels[CTL_WARM_SLICE][PATH_MAX];
	size_t unmeasured;        /* files not waited for, over all batches */
};

void ctl_report_error(prefetch_t *p, const char *file, const char *what)
{
	struct prefetch_stats st;
	int err = errno;

	ctl_progress_break();
	if (err == ENOMEM && prefetch_dump(p, PREFETCH_ALL_SESSIONS, NULL, NULL,
	                                   NULL, &st) == 0)
		fprintf(stderr, "prefetchctl: %s: %s: lock budget exceeded "
		        "(%llu of %llu bytes locked; see prefetchd --max-locked)\n",
		        file, what, (unsigned long long)st.locked,
		        (unsigned long long)st.budget);
	else if (err == EOPNOTSUPP)
		fprintf(stderr, "prefetchctl: %s: %s: the file system ignores "
		        "this kind (memory file system?)\n", file, what);
	else
		fprintf(stderr, "prefetchctl: %s: %s: %s\n", file, what, strerror(err));
	errno = err;
}

/* Makes the batch's session and opens its files: 0, 1 if some could not
 * be opened, -1 without a session. */
static int ctl_batch_begin(struct ctl_batch *b, const char *what)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < b->n; i++)
		b->fds[i] = -1;
	b->sid = ctl_new_session(b->p, what, 0);
	if (b->sid == PREFETCH_ALL_SESSIONS)
		return -1;
	for (i = 0; i < b->n; i++) {
		b->fds[i] = ctl_open(b->names[i]);
		if (b->fds[i] == -1)
			rc = 1;
	}
	return rc;
}

/* Forgets file i of the batch after the daemon refused it. */
static void ctl_batch_drop(struct ctl_batch *b, size_t i)
{
	close(b->fds[i]);
	b->fds[i] = -1;
}

/* Opens and registers the batch's files: 0, or 1 if some failed. */
static int ctl_batch_open(struct ctl_batch *b, const char *what)
{
	int rc = ctl_batch_begin(b, what);
	size_t i;

	if (rc == -1)
		return -1;
	for (i = 0; i < b->n; i++) {
		if (b->fds[i] == -1 ||
		    prefetch_register_fd_named(b->p, b->sid, (uint32_t)i, b->fds[i],
		                               ctl_label(b->names[i], b->labels[0],
		                                         sizeof b->labels[0])) == 0)
			continue;
		ctl_report_error(b->p, b->names[i], "register");
		ctl_batch_drop(b, i);
		rc = 1;
	}
	return rc;
}

/* Hands the open files [from, from+n) of the batch over and has them
 * prefetched with kind, fid i for file i: 0, or 1 if some failed. */
static int ctl_batch_warm_slice(struct ctl_batch *b, size_t from, size_t n,
                                int kind)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		struct prefetch_warm_file *f = &b->warm[i];

		f->fd = b->fds[from + i];
		f->name = ctl_label(b->names[from + i], b->labels[i],
		                    sizeof b->labels[i]);
		f->off = b->range.off;
		f->len = b->range.len;
		f->error = 0;
	}
	if (prefetch_warm_fds(b->p, b->sid, (uint32_t)from, kind, b->warm,
	                      n) == -1) {
		for (i = 0; i < n; i++)
			b->warm[i].error = errno;
	}
	for (i = 0; i < n; i++) {
		if (b->warm[i].error == 0)
			continue;
		errno = b->warm[i].error;
		ctl_report_error(b->p, b->names[from + i], prefetch_kind_name(kind));
		ctl_batch_drop(b, from + i);
		rc = 1;
	}
	return rc;
}

/* Has the batch's open files prefetched, in runs of files that follow
 * one another (a file's fid is its place in the batch): 0, or 1. */
static int ctl_batch_warm(struct ctl_batch *b, int kind)
{
	size_t i = 0, n;
	int rc = 0;

	while (i < b->n) {
		if (b->fds[i] == -1) {
			i++;
			continue;
		}
		for (n = 1; n < CTL_WARM_SLICE && i + n < b->n &&
		     b->fds[i + n] != -1; n++)
			;
		if (ctl_batch_warm_slice(b, i, n, kind) != 0)
			rc = 1;
		i += n;
	}
	return rc;
}

/* Ends the batch's session and closes its files. */
static void ctl_batch_close(struct ctl_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->fds[i] != -1)
			close(b->fds[i]);
	prefetch_session_destroy(b->p, b->sid);
}

/* A range of each file is measured here: the daemon measures whole files.
 * A file whose range cannot be measured here is left untrusted (and not
 * waited for), as the daemon does for a file it cannot measure. */
static void ctl_batch_measure_range(struct ctl_batch *b)
{
	size_t i;

	b->nres = 0;
	for (i = 0; i < b->n; i++) {
		struct prefetch_residency *r = &b->res[b->nres];

		if (b->fds[i] == -1)
			continue;
		if (ctl_range_residency(b->fds[i], &b->range, r) == -1)
			r->trusted = 0;
		r->fid = (uint32_t)i;
		b->nres++;
	}
}

/* The daemon's measurements; a file it could not measure (it runs as a
 * user who may not write the file) is measured here when we can. */
static int ctl_batch_measure(struct ctl_batch *b)
{
	size_t i;

	if (b->range.set) {
		ctl_batch_measure_range(b);
		return 0;
	}
	if (prefetch_residency(b->p, b->sid, b->res, CTL_BATCH, &b->nres) == -1) {
		fprintf(stderr, "prefetchctl: residency: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < b->nres; i++) {
		struct prefetch_residency here;
		uint32_t fid = b->res[i].fid;

		if (b->res[i].trusted || fid >= b->n || b->fds[fid] == -1)
			continue;
		if (prefetch_residency_fd(b->fds[fid], &here) == 0 && here.trusted) {
			here.fid = fid;
			b->res[i] = here;
		}
	}
	return 0;
}

/* Asks again for the files not yet wholly in: advice and readahead are
 * best effort, and a busy device may drop some of their reads. (The
 * locking kinds wait for their pages; asking again would map them twice.) */
static void ctl_reissue(struct ctl_batch *b, int kind)
{
	size_t i;

	if (kind != PREFETCH_FADVISE && kind != PREFETCH_READAHEAD)
		return;
	for (i = 0; i < b->nres; i++)
		if (b->res[i].trusted && b->res[i].resident < b->res[i].pages)
			prefetch_readahead(b->p, b->sid, b->res[i].fid, kind,
			                   b->range.off, b->range.len, NULL);
}

/* Tells the progress line the batch's bytes and files in: a file the
 * daemon cannot measure counts as in once asked for, as it is not waited
 * for. */
static void ctl_batch_progress(const struct ctl_batch *b, uint64_t page)
{
	uint64_t bytes = 0, files = 0;
	size_t i;

	for (i = 0; i < b->nres; i++) {
		const struct prefetch_residency *r = &b->res[i];
		uint64_t in = r->resident * page;

		if (!r->trusted || r->resident >= r->pages) {
			in = r->size;
			files++;
		}
		bytes += in < r->size ? in : r->size;
	}
	ctl_progress_update(bytes, files);
}

/* Waits until every trusted file is resident: 0, 4 on timeout, -1 error.
 * When nothing more has come in for a while, asks again. */
static int ctl_wait(struct ctl_batch *b, int kind, double timeout)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct ctl_waiter w;

	ctl_waiter_start(&w, timeout);
	for (;;) {
		uint64_t have = 0, total = 0;
		size_t i;

		if (ctl_batch_measure(b) == -1)
			return -1;
		for (i = 0; i < b->nres; i++) {
			if (!b->res[i].trusted)
				continue;
			have += b->res[i].resident;
			total += b->res[i].pages;
		}
		ctl_batch_progress(b, page);
		if (have >= total)
			return 0;
		switch (ctl_waiter_next(&w, have)) {
		case CTL_WAIT_OVER:
			ctl_progress_break();
			fprintf(stderr, "prefetchctl: gave up after %.0f s: %llu of %llu "
			        "pages resident\n", timeout, (unsigned long long)have,
			        (unsigned long long)total);
			return 4;
		case CTL_WAIT_NUDGE:
			ctl_reissue(b, kind);
			break;
		}
	}
}

static int ctl_warm_batch(struct ctl_batch *b, int kind, int wait,
                          double timeout)
{
	int rc = ctl_batch_begin(b, "prefetchctl warm"), w;

	if (rc == -1)
		return 1;
	if (ctl_batch_warm(b, kind) != 0)
		rc = 1;
	if (wait) {
		size_t i;

		w = ctl_wait(b, kind, timeout);
		ctl_progress_batch_done();
		if (w != 0)
			rc = w == -1 ? 1 : w;
		for (i = 0; w != -1 && i < b->nres; i++)
			b->unmeasured += !b->res[i].trusted;
	}
	ctl_batch_close(b);
	return rc;
}

/* A batch with its connection, or NULL (*rc gets the exit status). */
static struct ctl_batch *ctl_batch_new(const struct ctl *ctl, int *rc)
{
	struct ctl_batch *b = calloc(1, sizeof *b);

	*rc = 1;
	if (b == NULL)
		return NULL;
	b->p = ctl_connect(ctl);
	if (b->p == NULL) {
		int saved = errno;

		free(b);
		errno = saved; /* status tells a refused daemon by EPERM */
		*rc = 3;
		return NULL;
	}
	*rc = 0;
	return b;
}

int ctl_warm(const struct ctl *ctl, int argc, char **argv)
{
	struct ctl_batch *b;
	struct ctl_range range = { 0, 0, 0 };
	int kind = PREFETCH_FADVISE, wait = 1, rc = 0, used;
	double timeout = 60;

	while (argc > 0 && argv[0][0] == '-') {
		used = ctl_range_option(&argc, &argv, &range);
		if (used == -1)
			return 2;
		if (used == 1)
			continue;
		if (strcmp(argv[0], "--kind") == 0 && argc > 1) {
			kind = prefetch_kind_parse(argv[1]);
			if (kind == -1) {
				fprintf(stderr, "prefetchctl: unknown kind '%s'\n", argv[1]);
				return 2;
			}
			argc--, argv++;
		} else if (strcmp(argv[0], "--timeout") == 0 && argc > 1) {
			timeout = atof(argv[1]);
			argc--, argv++;
		} else if (strcmp(argv[0], "--no-wait") == 0) {
			wait = 0;
		} else if (strcmp(argv[0], "--") == 0) {
			argc--, argv++;
			break;
		} else {
			fprintf(stderr, "prefetchctl: warm: unknown option '%s'\n", argv[0]);
			return 2;
		}
		argc--, argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "prefetchctl: warm: no files\n");
		return 2;
	}
	b = ctl_batch_new(ctl, &rc);
	if (b == NULL)
		return rc;
	b->range = range;
	/* Without waiting there is nothing to watch. */
	if (wait)
		ctl_progress_begin(argc, argv, &range);
	while (argc > 0) {
		int r;

		b->names = argv;
		b->n = argc < CTL_BATCH ? (size_t)argc : CTL_BATCH;
		r = ctl_warm_batch(b, kind, wait, timeout);
		if (r > rc)
			rc = r;
		argc -= (int)b->n;
		argv += b->n;
	}
	ctl_progress_end();
	if (b->unmeasured > 0)
		fprintf(stderr, "prefetchctl: warm: %zu file%s not waited for: their "
		        "residency is hidden from this user (mincore needs "
		        "permission to write them)\n", b->unmeasured,
		        b->unmeasured == 1 ? "" : "s");
	prefetch_close(b->p);
	free(b);
	return rc;
}

static void ctl_status_batch(struct ctl_batch *b, struct ctl_status_out *o,
                             int *rc)
{
	size_t i, j;

	if (ctl_batch_open(b, "prefetchctl status") != 0)
		*rc = 1;
	if (b->sid == PREFETCH_ALL_SESSIONS)
		return;
	if (ctl_batch_measure(b) == -1) {
		*rc = 1;
	} else {
		for (i = 0; i < b->n; i++) {
			for (j = 0; j < b->nres && b->res[j].fid != (uint32_t)i; j++)
				;
			if (j < b->nres)
				ctl_status_row(o, b->names[i], b->fds[i], &b->res[j]);
		}
	}
	ctl_batch_close(b);
}

int ctl_status_daemon(const struct ctl *ctl, struct ctl_status_out *o,
                      int argc, char **argv)
{
	struct ctl_batch *b;
	int rc = 0;

	b = ctl_batch_new(ctl, &rc);
	if (b == NULL)
		return rc;
	ctl_status_begin(o);
	while (argc > 0) {
		b->names = argv;
		b->n = argc < CTL_BATCH ? (size_t)argc : CTL_BATCH;
		ctl_status_batch(b, o, &rc);
		argc -= (int)b->n;
		argv += b->n;
	}
	ctl_status_end(o);
	prefetch_close(b->p);
	free(b);
	return rc;
}

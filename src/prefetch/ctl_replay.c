/* SPDX-License-Identifier: ISC */
/*
 * ctl_replay.c: prefetchctl replay [--local] [--kind K] [--no-wait]
 * [--timeout SECS] TRACE [-- COMMAND...] warms exactly the ranges of a
 * trace, skipping files changed since recording. By default through
 * prefetchd: with its REPLAY request where it offers it and opens paths
 * for this user (the daemon reads the trace, opens, checks and advises
 * every file, in the trace's order, in one round trip; the trace handed
 * over is first reordered here by where each file's first range lies on
 * disk, trace_order.c, unless --order trace), else by opening each file
 * here, registering it by descriptor and asking a READAHEAD per range, in
 * on-disk order where known (trace_replay.c); --local advises the kernel
 * from here. Without a command it waits until the ranges are
 * resident (measured here, asking again where pages stop coming); with
 * one it starts the command first and warms alongside it, as a launcher
 * would, and exits with its status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_trace.h"
#include "prefetch_sys.h"
#include "trace_run.h"

#define REPLAY_CHUNK ((uint64_t)2 << 20) /* within one call's readahead cap */

struct replay {
	const struct pf_trace *t;
	struct replay_plan plan;
	prefetch_t *p;        /* NULL: --local */
	uint32_t sid;
	int kind;
	unsigned char *done;  /* per item: resident already */
	unsigned unmeasured;  /* files whose residency is hidden from us */
};

/* Advises the kernel of one range here. */
static int issue_local(int fd, int kind, uint64_t off, uint64_t len)
{
	while (len > 0) {
		uint64_t n = len < REPLAY_CHUNK ? len : REPLAY_CHUNK;
		int err = 0;

#ifdef HAVE_READAHEAD
		if (kind == PREFETCH_READAHEAD)
			err = readahead(fd, (off_t)off, (size_t)n) == -1 ? errno : 0;
		else
#endif
#ifdef HAVE_POSIX_FADVISE
			err = posix_fadvise(fd, (off_t)off, (off_t)n, POSIX_FADV_WILLNEED);
#else
			err = ENOTSUP;
		(void)off;
#endif
		(void)kind;
		if (err != 0) {
			errno = err;
			return -1;
		}
		off += n;
		len -= n;
	}
	return 0;
}

/* Issues every range not yet known resident: 0, or 1 if some failed. */
static int issue(struct replay *r)
{
	uint64_t ps = r->t->page_size;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->plan.nitems; i++) {
		const struct replay_item *it = &r->plan.items[i];
		int fd = r->plan.fds[it->file], bad;

		if (r->done[i] || fd == -1)
			continue;
		if (r->p != NULL)
			bad = prefetch_readahead(r->p, r->sid, it->file, r->kind,
			                         it->first * ps, it->count * ps, NULL);
		else
			bad = issue_local(fd, r->kind, it->first * ps, it->count * ps);
		if (bad == -1) {
			if (r->p != NULL)
				ctl_report_error(r->p, r->t->files[it->file].path, "readahead");
			else
				fprintf(stderr, "prefetchctl: replay: %s: %s\n",
				        r->t->files[it->file].path, strerror(errno));
			/* Not again for this file. */
			close(r->plan.fds[it->file]);
			r->plan.fds[it->file] = -1;
			rc = 1;
		}
	}
	return rc;
}

/* Stops watching the files whose residency this user cannot measure
 * (mincore would call every page resident): their descriptors are closed
 * and forgotten, as for a file that failed, and counted. */
static void skip_unmeasurable(struct replay *r)
{
	uint32_t i;

	for (i = 0; i < r->t->nfiles; i++) {
		int fd = r->plan.fds[i];

		if (fd == -1 || pf_sys_mincore_trusted(fd))
			continue;
		close(fd);
		r->plan.fds[i] = -1;
		r->unmeasured++;
	}
}

/* Waits until every range is resident (measured here): 0, or 4 when the
 * deadline passed first. Asks again when the pages stop coming. */
static int wait_resident(struct replay *r, double timeout)
{
	struct ctl_waiter w;

	skip_unmeasurable(r);
	ctl_waiter_start(&w, timeout);
	for (;;) {
		uint64_t have = 0, want = 0;
		size_t i;

		for (i = 0; i < r->plan.nitems; i++) {
			const struct replay_item *it = &r->plan.items[i];
			const struct pf_trace_file *f = &r->t->files[it->file];
			int64_t n;

			if (r->plan.fds[it->file] == -1)
				continue;
			want += it->count;
			if (r->done[i]) {
				have += it->count;
				continue;
			}
			n = trace_resident_count(r->plan.fds[it->file], f->size,
			                         r->t->page_size, it->first, it->count);
			if (n < 0 || (uint64_t)n >= it->count) {
				r->done[i] = 1;   /* cannot tell: take it as done */
				n = it->count;
			}
			have += (uint64_t)n;
		}
		if (have >= want)
			return 0;
		switch (ctl_waiter_next(&w, have)) {
		case CTL_WAIT_OVER:
			fprintf(stderr, "prefetchctl: replay: gave up after %.0f s: %llu "
			        "of %llu pages resident\n", timeout,
			        (unsigned long long)have, (unsigned long long)want);
			return 4;
		case CTL_WAIT_NUDGE:
			issue(r);
			break;
		}
	}
}

/* Has the daemon replay the trace at path into r->sid (reordered: the
 * trace r->t as it is now, which differs from the file): 1 done, 0 when
 * it does not offer the request or will not open paths for this user (the
 * caller replays file by file), -1 failed (said on stderr). */
static int request_replay(struct replay *r, const char *path, int reordered,
                          struct prefetch_replay_result *res)
{
	int fd, rc;

	if (reordered)
		fd = trace_anon_file(r->t);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		fprintf(stderr, "prefetchctl: replay: %s: %s%s\n", path,
		        reordered ? "the trace reordered by place on disk: " : "",
		        strerror(errno));
		return -1;
	}
	rc = prefetch_replay(r->p, r->sid, fd, r->kind, res);
	close(fd);
	if (rc == 0)
		return 1;
	if (errno == ENOSYS || errno == EPERM)
		return 0;
	if (errno == EBADMSG)
		fprintf(stderr, "prefetchctl: replay: %s: prefetchd refused the trace "
		        "as damaged\n", path);
	else
		ctl_report_error(r->p, path, "replay");
	return -1;
}

/* Registers the plan's files with the daemon: 0, or 1 if some failed. */
static int register_files(struct replay *r)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; i < r->t->nfiles; i++) {
		if (r->plan.fds[i] == -1)
			continue;
		if (prefetch_register_fd(r->p, r->sid, i, r->plan.fds[i]) == -1) {
			ctl_report_error(r->p, r->t->files[i].path, "register");
			close(r->plan.fds[i]);
			r->plan.fds[i] = -1;
			rc = 1;
		}
	}
	return rc;
}

/* Opens the trace's files here (the plan), and unless the daemon's REPLAY
 * did it, registers them and asks for their ranges: 0, 1 if some were
 * skipped or failed, -1 when nothing could be done. */
static int plan_and_issue(struct replay *r, int order, int by_request)
{
	int rc = 0, w;

	if (replay_plan(r->t, &r->plan, order) == -1) {
		fprintf(stderr, "prefetchctl: replay: %s\n", strerror(errno));
		return -1;
	}
	r->done = calloc(r->plan.nitems + 1, 1);
	if (r->done == NULL)
		return -1;
	if (by_request)
		return 0;
	if (r->plan.skipped > 0)
		rc = 1;
	if (r->p != NULL && (w = register_files(r)) > rc)
		rc = w;
	if ((w = issue(r)) > rc)
		rc = w;
	return rc;
}

static pid_t launch(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "prefetchctl: replay: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid == -1)
		fprintf(stderr, "prefetchctl: replay: fork: %s\n", strerror(errno));
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

int ctl_replay(const struct ctl *ctl, int argc, char **argv)
{
	struct replay r;
	struct pf_trace t;
	const char *path, *why = NULL;
	int local = 0, wait = 1, quiet = 0, rc = 0, w, order = -1, by_request = 0;
	int ask;
	long placed = 0;
	struct prefetch_replay_result res;
	double timeout = 60, t0 = ctl_now();
	char **cmd = NULL;
	pid_t child = -1;

	memset(&r, 0, sizeof r);
	memset(&res, 0, sizeof res);
	r.sid = PREFETCH_ALL_SESSIONS;
	r.kind = PREFETCH_FADVISE;
	while (argc > 0 && argv[0][0] == '-') {
		if (strcmp(argv[0], "--local") == 0) {
			local = 1;
		} else if (strcmp(argv[0], "--no-wait") == 0) {
			wait = 0;
		} else if (strcmp(argv[0], "-q") == 0 || strcmp(argv[0], "--quiet") == 0) {
			quiet = 1;
		} else if (strcmp(argv[0], "--order") == 0 && argc > 1) {
			if (strcmp(argv[1], "disk") == 0)
				order = 1;
			else if (strcmp(argv[1], "trace") == 0)
				order = 0;
			else {
				fprintf(stderr, "prefetchctl: replay: --order disk or trace\n");
				return 2;
			}
			argc--, argv++;
		} else if (strcmp(argv[0], "--timeout") == 0 && argc > 1) {
			timeout = atof(argv[1]);
			argc--, argv++;
		} else if (strcmp(argv[0], "--kind") == 0 && argc > 1) {
			r.kind = prefetch_kind_parse(argv[1]);
			if (r.kind != PREFETCH_FADVISE && r.kind != PREFETCH_READAHEAD) {
				fprintf(stderr, "prefetchctl: replay takes --kind fadvise "
				        "or readahead\n");
				return 2;
			}
			argc--, argv++;
		} else {
			fprintf(stderr, "prefetchctl: replay: unknown option '%s'\n", argv[0]);
			return 2;
		}
		argc--, argv++;
	}
	if (argc == 0 || (argc > 1 && strcmp(argv[1], "--") != 0) ||
	    (argc > 1 && argc < 3)) {
		fprintf(stderr, "usage: prefetchctl replay [--local] [--kind K] "
		        "[--order disk|trace] [--no-wait] [--timeout SECS] TRACE\n"
		        "       [-- COMMAND [ARGS...]]\n");
		return 2;
	}
	path = argv[0];
	if (argc > 2)
		cmd = argv + 2;
	if (pf_trace_load(path, &t, &why) == -1) {
		fprintf(stderr, "prefetchctl: replay: %s: %s\n", path,
		        why != NULL ? why : strerror(errno));
		pf_trace_free(&t);
		return 1;
	}
	r.t = &t;
	/* The daemon warms file by file in the trace's order (it may not ask
	 * the file system where ranges lie), so the trace it gets is reordered
	 * here by file; an explicit --order disk goes file by file, ordering
	 * each range. */
	ask = order != 1;
	if (order == -1)
		order = 1;
	if (cmd != NULL)
		child = launch(cmd);
	if (!local) {
		r.p = ctl_connect(ctl);
		if (r.p == NULL) {
			rc = 3;
			goto out;
		}
		r.sid = ctl_new_session(r.p, "prefetchctl replay", 0);
		if (r.sid == PREFETCH_ALL_SESSIONS) {
			rc = 1;
			goto out;
		}
		/* File i of the trace becomes the daemon's fid i: the reordered
		 * trace is the one used here from now on too. */
		if (ask && order == 1 && (placed = trace_order_by_disk(&t)) == -1) {
			fprintf(stderr, "prefetchctl: replay: %s\n", strerror(errno));
			rc = 1;
			goto out;
		}
		by_request = ask ? request_replay(&r, path, placed > 0, &res) : 0;
		if (by_request == -1) {
			rc = 1;
			goto out;
		}
		if (by_request && res.changed + res.skipped > 0)
			rc = 1;
	}
	/* File by file; after a REPLAY request, only to wait for the pages
	 * (file i of the trace is fid i either way). */
	if (!by_request || (wait && cmd == NULL)) {
		/* (After the request, only to wait: no need to place ranges.) */
		w = plan_and_issue(&r, by_request ? 0 : order, by_request);
		if (w == -1) {
			rc = 1;
			goto out;
		}
		if (w > rc)
			rc = w;
	}
	if (wait && cmd == NULL) {
		w = wait_resident(&r, timeout);
		if (w > rc)
			rc = w;
	}
	if (!quiet && by_request)
		fprintf(stderr, "prefetchctl: replay: %u files warmed (%u changed, %u "
		        "skipped), %.1f MiB advised, %s order, by prefetchd's replay "
		        "request, %.3f s\n", res.warmed, res.changed, res.skipped,
		        (double)res.bytes / 1048576.0, placed > 0 ? "disk" : "trace",
		        ctl_now() - t0);
	else if (!quiet)
		fprintf(stderr, "prefetchctl: replay: %u files (%u skipped), %llu pages "
		        "(%.1f MiB) of %.1f MiB, %s order, %s, %.3f s\n", r.plan.kept,
		        r.plan.skipped, (unsigned long long)r.plan.pages,
		        (double)r.plan.pages * t.page_size / 1048576.0,
		        (double)r.plan.file_bytes / 1048576.0,
		        r.plan.disk_order ? "disk" : "trace",
		        local ? "local" : "through prefetchd", ctl_now() - t0);
	if (r.unmeasured > 0)
		fprintf(stderr, "prefetchctl: replay: %u file%s not waited for: "
		        "their residency is hidden from this user (mincore needs "
		        "permission to write them)\n", r.unmeasured,
		        r.unmeasured == 1 ? "" : "s");
out:
	if (r.p != NULL) {
		if (r.sid != PREFETCH_ALL_SESSIONS)
			prefetch_session_destroy(r.p, r.sid);
		prefetch_close(r.p);
	}
	free(r.done);
	replay_plan_free(&t, &r.plan);
	pf_trace_free(&t);
	if (child > 0)
		return reap(child);
	if (cmd != NULL)
		return 127;
	return rc;
}

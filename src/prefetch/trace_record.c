/* SPDX-License-Identifier: ISC */
/*
 * trace_record.c: runs a command and learns which regular files it and
 * its descendants open, with fanotify marks on every mounted disk file
 * system. Permission events (FAN_OPEN_PERM, which execve's open of the
 * program raises too) are used where the kernel has them: the opener waits until the file is noted
 * (and, with --cold, evicted), so no read can slip in first; otherwise
 * plain FAN_OPEN notifications, which race with the reader. When the
 * command has exited, each file's resident pages (mincore) become its
 * ranges. Without fanotify (not Linux, or not privileged) it falls back
 * to preloading a reporter into the command (trace_record_preload.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(HAVE_SYS_FANOTIFY_H) && defined(HAVE_FANOTIFY_INIT) && \
    defined(HAVE_FANOTIFY_MARK)
#include <sys/fanotify.h>
#define REC_FANOTIFY 1
#endif

#include "trace_run.h"

#ifdef REC_FANOTIFY

#define REC_MAX_PIDS 4096
#define REC_KEEP_FDS 900   /* descriptors kept open; later files reopened */

struct rec_file {
	uint64_t dev, ino;
	int fd;            /* -1: reopen by path at the end */
	char *path;
};

struct rec {
	const struct rec_opts *o;
	int fan, perm;
	pid_t child, self;
	pid_t pids[REC_MAX_PIDS];
	size_t npids;
	struct rec_file *files;
	size_t nfiles, cap, kept;
	struct ra_set ra;
};

/* File systems with no page cache of their own to warm, or whose opens
 * the recorder itself makes (procfs: marking it would have us wait on
 * ourselves). */
static int rec_skip_fstype(const char *type)
{
	static const char *const skip[] = {
		"proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
		"mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
		"configfs", "fusectl", "hugetlbfs", "autofs", "binfmt_misc", "nsfs",
		"ramfs", "rpc_pipefs", "efivarfs", "selinuxfs", "pipefs", "sockfs",
		NULL
	};
	int i;

	for (i = 0; skip[i] != NULL; i++)
		if (strcmp(type, skip[i]) == 0)
			return 1;
	return 0;
}

/* Marks every disk mount: the number marked, or -1. */
static int rec_mark(struct rec *r)
{
	uint64_t mask = r->perm ? FAN_OPEN_PERM : FAN_OPEN;
	FILE *m = fopen("/proc/self/mounts", "re");
	char line[4096];
	int marked = 0, err = 0;

	if (m == NULL)
		return -1;
	while (fgets(line, sizeof line, m) != NULL) {
		char dir[4096], type[256];

		if (sscanf(line, "%*s %4095s %255s", dir, type) != 2 ||
		    rec_skip_fstype(type))
			continue;
		/* /proc/mounts escapes blanks as \040: such mounts are left out. */
		if (strchr(dir, '\\') != NULL)
			continue;
		if (fanotify_mark(r->fan, FAN_MARK_ADD | FAN_MARK_MOUNT, mask,
		                  AT_FDCWD, dir) == 0) {
			marked++;
			if (r->o->ra_kb >= 0)
				trace_ra_lower(&r->ra, dir, r->o->ra_kb);
		}
		else if (err == 0)
			err = errno;
	}
	fclose(m);
	if (marked == 0) {
		errno = err ? err : ENOENT;
		return -1;
	}
	return marked;
}

static pid_t rec_ppid(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	int ppid;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (trace_read_small(path, buf, sizeof buf) <= 0)
		return -1;
	close_paren = strrchr(buf, ')');
	if (close_paren == NULL || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* 1 when pid is the command or one of its descendants. */
static int rec_ours(struct rec *r, pid_t pid)
{
	pid_t chain[32], p = pid;
	size_t n = 0, i;

	if (pid == r->self)
		return 0;
	for (;;) {
		for (i = 0; i < r->npids; i++)
			if (r->pids[i] == p)
				goto found;
		if (p <= 1 || n == sizeof chain / sizeof chain[0])
			return 0;
		chain[n++] = p;
		p = rec_ppid(p);
		if (p == -1)
			return 0;
	}
found:
	for (i = 0; i < n && r->npids < REC_MAX_PIDS; i++)
		r->pids[r->npids++] = chain[i];
	return 1;
}

/* Notes the file behind an event's descriptor; takes fd over. */
static void rec_note(struct rec *r, int fd)
{
	struct stat st;
	char link[64], path[PF_TRACE_MAX_PATH + 1];
	ssize_t n;
	size_t i;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		goto drop;
	for (i = 0; i < r->nfiles; i++)
		if (r->files[i].dev == (uint64_t)st.st_dev &&
		    r->files[i].ino == (uint64_t)st.st_ino)
			goto drop;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0 || path[0] != '/')
		goto drop;
	path[n] = '\0';
	if (r->nfiles == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct rec_file *grown = realloc(r->files, cap * sizeof *grown);

		if (grown == NULL)
			goto drop;
		r->files = grown;
		r->cap = cap;
	}
	r->files[r->nfiles].path = strdup(path);
	if (r->files[r->nfiles].path == NULL)
		goto drop;
	r->files[r->nfiles].dev = (uint64_t)st.st_dev;
	r->files[r->nfiles].ino = (uint64_t)st.st_ino;
	r->files[r->nfiles].fd = -1;
#ifdef HAVE_POSIX_FADVISE
	if (r->o->cold)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
#endif
	if (r->o->verbose)
		fprintf(stderr, "prefetchctl: record: %s\n", path);
	if (r->kept < REC_KEEP_FDS) {
		r->files[r->nfiles++].fd = fd;
		r->kept++;
		return;
	}
	r->nfiles++;
drop:
	close(fd);
}

/* Reads and answers what events there are: 0, or -1 on a broken queue. */
static int rec_drain(struct rec *r)
{
	union {
		struct fanotify_event_metadata m;
		char buf[16384];
	} u;

	for (;;) {
		ssize_t len = read(r->fan, u.buf, sizeof u.buf);
		struct fanotify_event_metadata *ev = &u.m;

		if (len == -1 && errno == EINTR)
			continue;
		if (len == -1 && errno == EAGAIN)
			return 0;
		if (len <= 0)
			return -1;
		for (; FAN_EVENT_OK(ev, len); ev = FAN_EVENT_NEXT(ev, len)) {
			if (ev->vers != FANOTIFY_METADATA_VERSION) {
				errno = EPROTO;
				return -1;
			}
			if (ev->fd < 0)
				continue;   /* FAN_Q_OVERFLOW */
			if (rec_ours(r, ev->pid)) {
				int keep = dup(ev->fd); /* the answer needs ev->fd */

				if (keep != -1) {
					fcntl(keep, F_SETFD, FD_CLOEXEC);
					rec_note(r, keep);
				}
			}
			if (ev->mask & FAN_OPEN_PERM) {
				struct fanotify_response resp;

				resp.fd = ev->fd;
				resp.response = FAN_ALLOW;
				if (write(r->fan, &resp, sizeof resp) != sizeof resp)
					fprintf(stderr, "prefetchctl: record: answering an "
					        "open: %s\n", strerror(errno));
			}
			close(ev->fd);
		}
	}
}

/* Turns the files noted into the trace. */
static int rec_collect(struct rec *r, struct pf_trace *t)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		struct rec_file *rf = &r->files[i];
		struct stat st;
		int fd = rf->fd, rc = 0;

		rf->fd = -1;
		if (fd == -1)
			fd = open(rf->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd == -1)
			continue;   /* gone: nothing to replay */
		if (fstat(fd, &st) == 0 && (uint64_t)st.st_ino == rf->ino &&
		    (uint64_t)st.st_dev == rf->dev)
			rc = trace_add_file_fd(t, rf->path, fd);
		close(fd);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static void rec_free(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		if (r->files[i].fd != -1)
			close(r->files[i].fd);
		free(r->files[i].path);
	}
	free(r->files);
}

int trace_record(char *const *argv, const struct rec_opts *o,
                 struct pf_trace *t, int *status)
{
	struct rec r;
	int go[2], rc = -1, err = 0, exited = 0;
	char byte = 1;

	if (o->preload)
		return trace_record_preload(argv, o, t, status);
	memset(&r, 0, sizeof r);
	r.o = o;
	r.self = getpid();
	r.perm = 1;
	r.fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
	                      O_RDONLY | O_CLOEXEC);
	if (r.fan == -1 && errno == EINVAL) {
		r.perm = 0;   /* no permission events in this kernel */
		r.fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
		                      O_RDONLY | O_CLOEXEC);
	}
	if (r.fan == -1) {
		err = errno;
		if (err == EPERM || err == ENOSYS) {
			if (o->verbose)
				fprintf(stderr, "prefetchctl: record: fanotify: %s; "
				        "preloading instead\n", strerror(err));
			return trace_record_preload(argv, o, t, status);
		}
		fprintf(stderr, "prefetchctl: record: fanotify: %s\n", strerror(err));
		errno = err;
		return -1;
	}
	/* The readahead lowered must be put back: the command gets the
	 * signals, and its end is ours. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (rec_mark(&r) == -1) {
		err = errno;
		fprintf(stderr, "prefetchctl: record: marking the mounts: %s\n",
		        strerror(err));
		trace_ra_restore(&r.ra);
		close(r.fan);
		errno = err;
		return -1;
	}
	if (!r.perm && o->cold)
		fprintf(stderr, "prefetchctl: record: no fanotify permission events "
		        "here: --cold evicts a file just after the command opened it\n");
	if (pipe(go) == -1) {
		err = errno;
		trace_ra_restore(&r.ra);
		close(r.fan);
		errno = err;
		return -1;
	}
	fcntl(go[0], F_SETFD, FD_CLOEXEC);
	fcntl(go[1], F_SETFD, FD_CLOEXEC);
	r.child = fork();
	if (r.child == -1) {
		err = errno;
		close(go[0]);
		close(go[1]);
		trace_ra_restore(&r.ra);
		close(r.fan);
		errno = err;
		return -1;
	}
	if (r.child == 0) {
		/* Waits until the parent counts it as the command. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "prefetchctl: record: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	r.pids[r.npids++] = r.child;
	if (write(go[1], &byte, 1) != 1)
		err = errno;
	close(go[1]);
	while (!exited) {
		struct pollfd pfd;

		pfd.fd = r.fan;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5) > 0 && rec_drain(&r) == -1 && err == 0)
			err = errno;
		if (waitpid(r.child, status, WNOHANG) == r.child)
			exited = 1;
	}
	if (rec_drain(&r) == -1 && err == 0)
		err = errno;
	close(r.fan);
	trace_ra_restore(&r.ra);
	if (err != 0)
		fprintf(stderr, "prefetchctl: record: events: %s (the trace may "
		        "miss files)\n", strerror(err));
	if (t->page_size == 0)
		pf_trace_init(t, (uint32_t)sysconf(_SC_PAGESIZE));
	rc = rec_collect(&r, t);
	err = errno;
	rec_free(&r);
	errno = err;
	return rc;
}

#else /* !REC_FANOTIFY */

int trace_record(char *const *argv, const struct rec_opts *o,
                 struct pf_trace *t, int *status)
{
	return trace_record_preload(argv, o, t, status);
}

#endif

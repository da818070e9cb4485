/* SPDX-License-Identifier: ISC */
/*
 * trace_tracefs.c: record's preferred page source. The kernel's filemap
 * tracepoints name the pages a process touched: mm_filemap_get_pages
 * the pages a read copied out, mm_filemap_fault a page fault on a file
 * mapping, mm_filemap_map_pages the pages mapped around a fault without
 * one. Their union is what the command used, whatever the readahead did
 * and whether the pages were cached before, so recording needs neither
 * --cold nor a lowered readahead. A private trace instance (tracefs,
 * root) follows the command and its descendants only (set_event_pid
 * with event-fork); its trace_pipe is read without blocking while the
 * command runs and once more after, and the pages are kept as ranges per
 * (device, inode). Where configure found no tracefs (not Linux) every
 * call fails with ENOTSUP.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_run.h"

#ifdef HAVE_TRACEFS_FILEMAP

#include <dirent.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#define TFS_ROOT "/sys/kernel/tracing"
#define TFS_PREFIX "prefetchctl-record-"
#define TFS_READ 65536       /* bytes read from trace_pipe per call */
#define TFS_DRAIN_MAX 16     /* reads per call while the command runs */

static const char *const tfs_events[] = {
	"mm_filemap_get_pages", "mm_filemap_fault", "mm_filemap_map_pages", NULL
};

struct tfs_file {
	uint64_t dev;            /* the kernel's MAJOR << 32 | MINOR */
	uint64_t ino;
	struct tfs_range { uint64_t first, last; } *r;   /* pages, inclusive */
	size_t n, cap;
};

static int tfs_write(const char *dir, const char *name, const char *value)
{
	char path[TFS_PATH + 64];
	size_t len = strlen(value);
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd == -1)
		return -1;
	n = write(fd, value, len);
	err = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n == -1 ? err : EIO;
		return -1;
	}
	return 0;
}

static int tfs_events_set(const char *dir, const char *on)
{
	char name[128];
	int i, rc = 0;

	for (i = 0; tfs_events[i] != NULL; i++) {
		snprintf(name, sizeof name, "events/filemap/%s/enable", tfs_events[i]);
		if (tfs_write(dir, name, on) == -1)
			rc = -1;
	}
	return rc;
}

/* Takes an instance down: its events off (rmdir would too, but more
 * slowly), then the directory. */
static int tfs_remove(const char *dir)
{
	tfs_events_set(dir, "0");
	return rmdir(dir);
}

/* Removes the instances of recorders that died without cleaning up
 * (SIGKILL): named after a process that no longer exists. */
static void tfs_remove_stale(void)
{
	DIR *d = opendir(TFS_ROOT "/instances");
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char dir[sizeof TFS_ROOT "/instances/" + 256], *end;
		long pid;

		if (strncmp(e->d_name, TFS_PREFIX, strlen(TFS_PREFIX)) != 0)
			continue;
		pid = strtol(e->d_name + strlen(TFS_PREFIX), &end, 10);
		if (*end != '\0' || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		snprintf(dir, sizeof dir, "%s/instances/%s", TFS_ROOT, e->d_name);
		tfs_remove(dir);
	}
	closedir(d);
}

int trace_tracefs_open(struct trace_tracefs *tf, long buffer_kb)
{
	struct statfs sf;
	char path[TFS_PATH + 64], kb[32];
	int i, err;

	memset(tf, 0, sizeof *tf);
	tf->pipe = -1;
	tf->page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	if (statfs(TFS_ROOT, &sf) == -1)
		return -1;
	if (sf.f_type != TRACEFS_MAGIC) {
		errno = ENOENT;   /* not mounted */
		return -1;
	}
	for (i = 0; tfs_events[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/events/filemap/%s/format", TFS_ROOT,
		         tfs_events[i]);
		if (access(path, R_OK) == -1) {
			errno = ENOTSUP;   /* an older kernel */
			return -1;
		}
	}
	tfs_remove_stale();
	snprintf(tf->dir, sizeof tf->dir, "%s/instances/%s%ld", TFS_ROOT,
	         TFS_PREFIX, (long)getpid());
	if (mkdir(tf->dir, 0700) == -1) {
		tf->dir[0] = '\0';
		return -1;
	}
	/* Growing the buffer costs time: only when it is smaller. */
	snprintf(path, sizeof path, "%s/buffer_size_kb", tf->dir);
	if (trace_read_small(path, kb, sizeof kb) > 0 && strtol(kb, NULL, 10) >= buffer_kb)
		buffer_kb = 0;
	snprintf(kb, sizeof kb, "%ld", buffer_kb);
	if ((buffer_kb > 0 && tfs_write(tf->dir, "buffer_size_kb", kb) == -1) ||
	    tfs_write(tf->dir, "options/event-fork", "1") == -1) {
		err = errno;
		trace_tracefs_close(tf);
		errno = err;
		return -1;
	}
	return 0;
}

int trace_tracefs_follow(struct trace_tracefs *tf, pid_t pid)
{
	char path[TFS_PATH + 64], num[32];

	snprintf(num, sizeof num, "%ld", (long)pid);
	if (tfs_write(tf->dir, "set_event_pid", num) == -1 ||
	    tfs_events_set(tf->dir, "1") == -1)
		return -1;
	snprintf(path, sizeof path, "%s/trace_pipe", tf->dir);
	tf->pipe = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return tf->pipe == -1 ? -1 : 0;
}

static struct tfs_file *tfs_find(struct trace_tracefs *tf, uint64_t dev,
                                 uint64_t ino, int add)
{
	size_t h, i;

	if (tf->nslots == 0 || (add && tf->nfiles * 2 >= tf->nslots)) {
		size_t n = tf->nslots ? tf->nslots * 2 : 256;
		struct tfs_file **slots;

		if (!add)
			return NULL;
		slots = calloc(n, sizeof *slots);
		if (slots == NULL)
			return NULL;
		for (i = 0; i < tf->nslots; i++) {
			struct tfs_file *f = tf->slots[i];

			if (f == NULL)
				continue;
			h = (size_t)((f->dev * 31 + f->ino) * 0x9e3779b97f4a7c15ull) & (n - 1);
			while (slots[h] != NULL)
				h = (h + 1) & (n - 1);
			slots[h] = f;
		}
		free(tf->slots);
		tf->slots = slots;
		tf->nslots = n;
	}
	h = (size_t)((dev * 31 + ino) * 0x9e3779b97f4a7c15ull) & (tf->nslots - 1);
	while (tf->slots[h] != NULL) {
		if (tf->slots[h]->dev == dev && tf->slots[h]->ino == ino)
			return tf->slots[h];
		h = (h + 1) & (tf->nslots - 1);
	}
	if (!add)
		return NULL;
	tf->slots[h] = calloc(1, sizeof **tf->slots);
	if (tf->slots[h] == NULL)
		return NULL;
	tf->slots[h]->dev = dev;
	tf->slots[h]->ino = ino;
	tf->nfiles++;
	return tf->slots[h];
}

/* Notes pages [first, last] of (dev, ino): 0 or -1 (ENOMEM). */
static int tfs_note(struct trace_tracefs *tf, uint64_t dev, uint64_t ino,
                    uint64_t first, uint64_t last)
{
	struct tfs_file *f = tfs_find(tf, dev, ino, 1);
	struct tfs_range *r;

	if (f == NULL)
		return -1;
	r = f->n ? &f->r[f->n - 1] : NULL;
	/* The common case: the next pages of a sequential read. */
	if (r != NULL && first <= r->last + 1 && last + 1 >= r->first) {
		if (first < r->first)
			r->first = first;
		if (last > r->last)
			r->last = last;
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct tfs_range *grown = realloc(f->r, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		f->r = grown;
		f->cap = cap;
	}
	f->r[f->n].first = first;
	f->r[f->n].last = last;
	f->n++;
	return 0;
}

/* One line of trace_pipe: "... mm_filemap_X: dev=MAJ:MIN ino=HEX
 * ofs=START[-END]", byte offsets (END inclusive); or a "[LOST N EVENTS]"
 * note. Lines of no use are skipped. */
static int tfs_line(struct trace_tracefs *tf, const char *line)
{
	const char *at = strstr(line, " dev=");
	unsigned maj, min;
	unsigned long long ino, start, end;
	int n = 0;

	if (at == NULL) {
		if (strstr(line, "[LOST ") != NULL)
			tf->lost = 1;
		return 0;
	}
	if (sscanf(at, " dev=%u:%u ino=%llx ofs=%llu%n", &maj, &min, &ino,
	           &start, &n) != 4 || n == 0)
		return 0;
	end = start;
	if (at[n] == '-' && sscanf(at + n + 1, "%llu", &end) != 1)
		return 0;
	if (end < start)
		return 0;
	tf->events++;
	return tfs_note(tf, (uint64_t)maj << 32 | min, ino,
	                start / tf->page_size, end / tf->page_size);
}

int trace_tracefs_drain(struct trace_tracefs *tf, int all)
{
	int reads = 0;

	if (tf->pipe == -1)
		return 0;
	if (tf->buf == NULL) {
		tf->buf = malloc(TFS_READ + 1);
		if (tf->buf == NULL)
			return -1;
	}
	while (all || reads < TFS_DRAIN_MAX) {
		ssize_t n = read(tf->pipe, tf->buf + tf->have, TFS_READ - tf->have);
		char *line, *nl;

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		reads++;
		tf->have += (size_t)n;
		tf->buf[tf->have] = '\0';
		line = tf->buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (tfs_line(tf, line) == -1)
				return -1;
			line = nl + 1;
		}
		tf->have -= (size_t)(line - tf->buf);
		if (tf->have == TFS_READ)
			tf->have = 0;   /* no line is that long: drop it */
		memmove(tf->buf, line, tf->have);
	}
	return 0;
}

/* 1 when a CPU's buffer of the instance overran or dropped events. */
static int tfs_overran(const struct trace_tracefs *tf)
{
	long cpu, ncpu = sysconf(_SC_NPROCESSORS_CONF);

	for (cpu = 0; cpu < (ncpu > 0 ? ncpu : 1); cpu++) {
		char path[TFS_PATH + 64], buf[1024], *at;

		snprintf(path, sizeof path, "%s/per_cpu/cpu%ld/stats", tf->dir, cpu);
		if (trace_read_small(path, buf, sizeof buf) <= 0)
			continue;
		if ((at = strstr(buf, "overrun:")) != NULL &&
		    strtoull(at + strlen("overrun:"), NULL, 10) != 0)
			return 1;
		if ((at = strstr(buf, "dropped events:")) != NULL &&
		    strtoull(at + strlen("dropped events:"), NULL, 10) != 0)
			return 1;
	}
	return 0;
}

int trace_tracefs_lost(struct trace_tracefs *tf)
{
	return tf->lost || tfs_overran(tf);
}

static int tfs_by_first(const void *a, const void *b)
{
	const struct tfs_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int trace_tracefs_ranges(struct trace_tracefs *tf, uint64_t st_dev,
                         uint64_t ino, uint64_t size, struct pf_trace_file *f)
{
	struct tfs_file *tfile;
	uint64_t pages = (size + tf->page_size - 1) / tf->page_size, next = 0;
	dev_t d = (dev_t)st_dev;
	size_t i;

	tfile = tfs_find(tf, (uint64_t)major(d) << 32 | minor(d), ino, 0);
	if (tfile == NULL || pages == 0)
		return 0;
	tf->matched++;
	qsort(tfile->r, tfile->n, sizeof *tfile->r, tfs_by_first);
	for (i = 0; i < tfile->n; i++) {
		uint64_t first = tfile->r[i].first, last = tfile->r[i].last;

		if (first < next)
			first = next;
		if (last >= pages)
			last = pages - 1;   /* a read asks past the end */
		if (first > last)
			continue;
		if (last >= UINT32_MAX) {
			errno = EFBIG;
			return -1;
		}
		if (pf_trace_add_range(f, (uint32_t)first,
		                       (uint32_t)(last - first + 1)) == -1)
			return -1;
		next = last + 1;
	}
	return 0;
}

void trace_tracefs_close(struct trace_tracefs *tf)
{
	size_t i;

	if (tf->pipe != -1)
		close(tf->pipe);
	tf->pipe = -1;
	if (tf->dir[0] != '\0' && tfs_remove(tf->dir) == -1)
		fprintf(stderr, "prefetchctl: record: removing the trace instance "
		        "%s: %s\n", tf->dir, strerror(errno));
	tf->dir[0] = '\0';
	for (i = 0; i < tf->nslots; i++)
		if (tf->slots[i] != NULL) {
			free(tf->slots[i]->r);
			free(tf->slots[i]);
		}
	free(tf->slots);
	tf->slots = NULL;
	tf->nslots = tf->nfiles = 0;
	free(tf->buf);
	tf->buf = NULL;
}

#else /* !HAVE_TRACEFS_FILEMAP */

int trace_tracefs_open(struct trace_tracefs *tf, long buffer_kb)
{
	(void)buffer_kb;
	memset(tf, 0, sizeof *tf);
	tf->pipe = -1;
	errno = ENOTSUP;
	return -1;
}

int trace_tracefs_follow(struct trace_tracefs *tf, pid_t pid)
{
	(void)tf; (void)pid;
	errno = ENOTSUP;
	return -1;
}

int trace_tracefs_drain(struct trace_tracefs *tf, int all)
{
	(void)tf; (void)all;
	return 0;
}

int trace_tracefs_lost(struct trace_tracefs *tf)
{
	(void)tf;
	return 1;
}

int trace_tracefs_ranges(struct trace_tracefs *tf, uint64_t st_dev,
                         uint64_t ino, uint64_t size, struct pf_trace_file *f)
{
	(void)tf; (void)st_dev; (void)ino; (void)size; (void)f;
	errno = ENOTSUP;
	return -1;
}

void trace_tracefs_close(struct trace_tracefs *tf)
{
	(void)tf;
}

#endif

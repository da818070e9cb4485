/* SPDX-License-Identifier: ISC */
/*
 * session.c: sessions and their files. Each file owns its descriptor and
 * its mappings; the state owns the sessions and counts locked bytes
 * against the budget.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session.h"
#include "monoclock.h"
#include "prefetch_sys.h"

#define RA_CACHE_MS 1000

void pf_state_init(struct pf_state *st, uint64_t budget)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(st, 0, sizeof *st);
	st->budget = budget;
	st->page = page > 0 ? (size_t)page : 4096;
	pf_limits_default(&st->limits, 1024);
}

/* The usage of uid, which exists while it holds anything. */
static struct pf_usage *pf_usage_of(struct pf_state *st, uid_t uid)
{
	return pf_usage_get(&st->usage, uid);
}

static void pf_file_release(struct pf_state *st, struct pf_session *s,
                            struct pf_file *f)
{
	struct pf_usage *u = pf_usage_of(st, s->uid);
	size_t i;

	if (u != NULL && u->files > 0)
		u->files--;
	for (i = 0; i < f->nmaps; i++)
		munmap(f->maps[i].addr, f->maps[i].len);
	st->locked -= f->locked;
	close(f->fd);
	free(f->name);
	st->nfiles--;
}

static void pf_session_release(struct pf_state *st, struct pf_session *s)
{
	size_t i;

	struct pf_usage *u;

	for (i = 0; i < s->nfiles; i++)
		pf_file_release(st, s, &s->files[i]);
	u = pf_usage_of(st, s->uid);
	if (u != NULL && u->sessions > 0)
		u->sessions--;
	pf_usage_trim(&st->usage);
	free(s->files);
	free(s);
	st->nsessions--;
}

void pf_state_free(struct pf_state *st)
{
	while (st->sessions != NULL) {
		struct pf_session *s = st->sessions;

		st->sessions = s->next;
		pf_session_release(st, s);
	}
	pf_usage_free(&st->usage);
}

struct pf_session *pf_session_find(struct pf_state *st, uid_t uid,
                                   uint32_t sid)
{
	struct pf_session *s;

	for (s = st->sessions; s != NULL; s = s->next)
		if (s->sid == sid && s->uid == uid)
			return s;
	return NULL;
}

int pf_session_create(struct pf_state *st, uid_t uid, uint32_t sid,
                      uint8_t flags, const char *desc, size_t dlen,
                      const void *owner)
{
	struct pf_session *s;
	struct pf_usage *u;

	if (sid == PF_SID_ALL || (flags & ~PF_SESSION_PERSISTENT) != 0 ||
	    dlen > PF_MAX_DESC) {
		errno = EINVAL;
		return -1;
	}
	if (pf_session_find(st, uid, sid) != NULL) {
		errno = EEXIST;
		return -1;
	}
	u = pf_usage_of(st, uid);
	if (u == NULL)
		return -1;
	if (u->sessions >= st->limits.sessions) {
		errno = EDQUOT;
		return -1;
	}
	if (st->nsessions >= PF_MAX_SESSIONS) {
		errno = ENOSPC;
		return -1;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return -1;
	u->sessions++;
	s->uid = uid;
	s->sid = sid;
	s->flags = flags;
	s->owner = (flags & PF_SESSION_PERSISTENT) ? NULL : owner;
	if (dlen > 0)
		memcpy(s->desc, desc, dlen);
	s->next = st->sessions;
	st->sessions = s;
	st->nsessions++;
	return 0;
}

static void pf_session_unlink(struct pf_state *st, struct pf_session *s)
{
	struct pf_session **p;

	for (p = &st->sessions; *p != NULL; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pf_session_release(st, s);
}

int pf_session_destroy(struct pf_state *st, uid_t uid, uint32_t sid)
{
	struct pf_session *s = pf_session_find(st, uid, sid);

	if (s == NULL) {
		errno = ENOENT;
		return -1;
	}
	pf_session_unlink(st, s);
	return 0;
}

void pf_session_drop_owner(struct pf_state *st, const void *owner)
{
	struct pf_session **p = &st->sessions;

	while (*p != NULL) {
		struct pf_session *s = *p;

		if (s->owner == owner) {
			*p = s->next;
			pf_session_release(st, s);
		} else {
			p = &s->next;
		}
	}
}

struct pf_file *pf_file_find(struct pf_session *s, uint32_t fid)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		if (s->files[i].fid == fid)
			return &s->files[i];
	return NULL;
}

static int pf_file_check(struct pf_state *state, struct pf_session *s,
                         uint32_t fid, int fd, struct stat *st)
{
	struct pf_usage *u;

	if (pf_file_find(s, fid) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if (s->nfiles >= PF_MAX_FILES) {
		errno = ENOSPC;
		return -1;
	}
	u = pf_usage_of(state, s->uid);
	if (u == NULL)
		return -1;
	if (u->files >= state->limits.files) {
		errno = EDQUOT;
		return -1;
	}
	if (fstat(fd, st) == -1)
		return -1;
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* The device's readahead chunk, read from sysfs at most once a second
 * for a run of files on one device (4096 small files: 4096 fewer opens). */
static size_t ra_chunk(struct pf_state *st, dev_t dev)
{
	uint64_t now = util_now_ms();

	if (st->ra_cache.chunk == 0 || st->ra_cache.dev != dev ||
	    now >= st->ra_cache.until_ms) {
		st->ra_cache.dev = dev;
		st->ra_cache.chunk = pf_sys_ra_chunk(dev);
		st->ra_cache.until_ms = now + RA_CACHE_MS;
	}
	return st->ra_cache.chunk;
}

int pf_file_register(struct pf_state *st, struct pf_session *s, uint32_t fid,
                     int fd, const char *name, size_t nlen)
{
	struct pf_file *f;
	struct stat sb;
	char *copy = NULL;
	int saved;

	if (pf_file_check(st, s, fid, fd, &sb) == -1)
		goto fail;
	if (name != NULL) {
		copy = malloc(nlen + 1);
		if (copy == NULL)
			goto fail;
		memcpy(copy, name, nlen);
		copy[nlen] = '\0';
	}
	if (s->nfiles == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct pf_file *files = realloc(s->files, cap * sizeof *files);

		if (files == NULL)
			goto fail;
		s->files = files;
		s->cap = cap;
	}
	f = &s->files[s->nfiles++];
	memset(f, 0, sizeof *f);
	f->fid = fid;
	f->serial = ++st->serial;
	f->fd = fd;
	f->dev = (uint64_t)sb.st_dev;
	f->ino = (uint64_t)sb.st_ino;
	f->name = copy;
	f->trusted = pf_sys_mincore_trusted(fd);
	f->memfs = pf_sys_memfs(fd);
	f->chunk = ra_chunk(st, sb.st_dev);
	st->nfiles++;
	pf_usage_of(st, s->uid)->files++; /* there since pf_file_check */
	return 0;
fail:
	saved = errno;
	free(copy);
	close(fd);
	errno = saved;
	return -1;
}

static void pf_file_remove(struct pf_state *st, struct pf_session *s,
                           struct pf_file *f)
{
	pf_file_release(st, s, f);
	*f = s->files[--s->nfiles];
}

int pf_file_unregister(struct pf_state *st, struct pf_session *s, uint32_t fid)
{
	struct pf_file *f = pf_file_find(s, fid);

	if (f == NULL) {
		errno = ENOENT;
		return -1;
	}
	pf_file_remove(st, s, f);
	return 0;
}

int pf_file_unregister_id(struct pf_state *st, struct pf_session *s,
                          uint64_t dev, uint64_t ino)
{
	size_t i = 0;
	int found = 0;

	while (i < s->nfiles) {
		if (s->files[i].dev == dev && s->files[i].ino == ino) {
			pf_file_remove(st, s, &s->files[i]);
			found = 1;
		} else {
			i++;
		}
	}
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* The page-aligned span of a lock, checked against the limits and the
 * budget, which it then reserves. */
static int pf_lock_reserve(struct pf_state *st, struct pf_file *f,
                           uint64_t off, uint64_t end, uint64_t *start,
                           uint64_t *span)
{
	*start = off - off % st->page;
	*span = end - *start;
	*span += (st->page - *span % st->page) % st->page;
	if (f->nmaps + f->pending >= PF_MAX_MAPS) {
		errno = ENOSPC;
		return -1;
	}
	if (*span > SIZE_MAX || st->locked > st->budget ||
	    *span > st->budget - st->locked) {
		errno = ENOMEM;
		return -1;
	}
	st->locked += *span;
	return 0;
}

static void pf_file_add_map(struct pf_file *f, void *addr, size_t span)
{
	f->maps[f->nmaps].addr = addr;
	f->maps[f->nmaps].len = span;
	f->nmaps++;
	f->locked += span;
}

static int pf_file_lock(struct pf_state *st, struct pf_file *f, unsigned kind,
                        uint64_t off, uint64_t end, struct pf_lock_job **job)
{
	uint64_t start, span;
	struct pf_lock_job *j;
	void *addr;
	int saved;

	if (pf_lock_reserve(st, f, off, end, &start, &span) == -1)
		return -1;
	if (job != NULL && pf_lockpool_running()) {
		j = calloc(1, sizeof *j);
		if (j == NULL)
			goto fail;
		j->fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
		if (j->fd == -1) {
			free(j);
			goto fail;
		}
		j->file = f->serial;
		j->fid = f->fid;
		j->start = start;
		j->span = (size_t)span;
		j->use_mlock = kind == PF_KIND_MLOCK;
		f->pending++;
		*job = j;
		return 0;
	}
	addr = pf_sys_map_locked(f->fd, start, (size_t)span, kind == PF_KIND_MLOCK);
	if (addr == NULL)
		goto fail;
	pf_file_add_map(f, addr, (size_t)span);
	return 0;
fail:
	saved = errno;
	st->locked -= span;
	errno = saved;
	return -1;
}

int pf_lock_finish(struct pf_state *st, struct pf_lock_job *job)
{
	struct pf_session *s = pf_session_find(st, job->uid, job->sid);
	struct pf_file *f = s != NULL ? pf_file_find(s, job->fid) : NULL;

	if (f != NULL && f->serial == job->file)
		f->pending--;
	else
		f = NULL;
	if (f != NULL && job->addr != NULL) {
		pf_file_add_map(f, job->addr, job->span);
		return 0;
	}
	if (job->addr != NULL)
		munmap(job->addr, job->span);
	st->locked -= job->span;
	errno = job->addr == NULL ? job->err : ENOENT;
	return -1;
}

int pf_file_lock_range(struct pf_state *st, struct pf_file *f, unsigned kind,
                       uint64_t off, uint64_t len, uint64_t *done,
                       struct pf_lock_job **job)
{
	struct stat sb;
	uint64_t end;

	*done = 0;
	if (job != NULL)
		*job = NULL;
	if (kind != PF_KIND_MMAP && kind != PF_KIND_MLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (fstat(f->fd, &sb) == -1)
		return -1;
	if (off >= (uint64_t)sb.st_size)
		return 0;
	end = (len == 0 || len > (uint64_t)sb.st_size - off) ?
	      (uint64_t)sb.st_size : off + len;
	if (pf_file_lock(st, f, kind, off, end, job) == -1)
		return -1;
	*done = end - off;
	return 0;
}

int pf_session_residency(struct pf_session *s, struct pf_writer *w)
{
	size_t i;

	pf_put_u32(w, (uint32_t)s->nfiles);
	for (i = 0; i < s->nfiles; i++) {
		struct pf_file *f = &s->files[i];
		uint64_t pages = 0, resident = 0;
		int method = PF_METHOD_NONE;
		struct stat sb;
		uint8_t flags = 0;

		memset(&sb, 0, sizeof sb);
		if (fstat(f->fd, &sb) == 0 &&
		    pf_sys_residency(f->fd, (uint64_t)sb.st_size, &pages,
		                     &resident, &method) == 0) {
			if (method == PF_METHOD_MINCORE && !f->trusted) {
				flags |= PF_RES_UNTRUSTED;
				resident = 0;
			}
		} else {
			flags |= PF_RES_UNTRUSTED;
		}
		pf_put_u32(w, f->fid);
		pf_put_u64(w, (uint64_t)sb.st_size);
		pf_put_u64(w, pages);
		pf_put_u64(w, resident);
		pf_put_u8(w, (uint8_t)method);
		pf_put_u8(w, flags);
	}
	return w->err == 0 ? 0 : -1;
}

/* Writes whole records only: when the next one does not fit, marks the
 * dump truncated. */
static int pf_dump_fits(struct pf_writer *w, size_t need)
{
	return w->err == 0 && w->cap - w->len >= need + 1;
}

static void pf_dump_session(struct pf_session *s, struct pf_writer *w,
                            int *truncated)
{
	size_t i, dlen = strlen(s->desc);

	if (*truncated || !pf_dump_fits(w, 1 + 4 + 1 + 2 + dlen + 4)) {
		*truncated = 1;
		return;
	}
	pf_put_u8(w, PF_DUMP_SESSION);
	pf_put_u32(w, s->sid);
	pf_put_u8(w, s->flags);
	pf_put_str(w, s->desc, dlen, PF_MAX_DESC);
	pf_put_u32(w, (uint32_t)s->nfiles);
	for (i = 0; i < s->nfiles; i++) {
		struct pf_file *f = &s->files[i];
		size_t nlen = f->name != NULL ? strlen(f->name) : 0;
		struct stat sb;

		if (!pf_dump_fits(w, 1 + 4 + 8 + 8 + 2 + nlen)) {
			*truncated = 1;
			return;
		}
		if (fstat(f->fd, &sb) == -1)
			sb.st_size = 0;
		pf_put_u8(w, PF_DUMP_FILE);
		pf_put_u32(w, f->fid);
		pf_put_u64(w, (uint64_t)sb.st_size);
		pf_put_u64(w, f->locked);
		pf_put_str(w, f->name, nlen, PF_MAX_STRING);
	}
}

void pf_state_dump(struct pf_state *st, uid_t uid, int all_uids, uint32_t sid,
                   struct pf_writer *w)
{
	struct pf_session *s;
	int truncated = 0;

	pf_put_u64(w, st->locked);
	pf_put_u64(w, st->budget);
	pf_put_u32(w, st->connections);
	pf_put_u32(w, (uint32_t)st->nsessions);
	pf_put_u32(w, (uint32_t)st->nfiles);
	for (s = st->sessions; s != NULL; s = s->next)
		if ((all_uids || s->uid == uid) &&
		    (sid == PF_SID_ALL || s->sid == sid))
			pf_dump_session(s, w, &truncated);
	pf_put_u8(w, truncated ? PF_DUMP_TRUNCATED : PF_DUMP_END);
}

/* SPDX-License-Identifier: ISC */
/*
 * client.c: libprefetch. One request at a time: encode it, send it (with
 * its descriptor) through libgivefd, read until its whole reply is in,
 * decode it. A daemon reached by a socket path is first checked to run as
 * a user trusted with what will be handed to it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "givefd.h"
#include "compat.h"
#include "prefetch.h"
#include "protocol.h"
#include "prefetch_sys.h"
#include "sockpath.h"
#include "unixsock.h"

struct prefetch {
	int in, out;
	int broken;         /* errno of the transport failure, or 0 */
	int version;
	uint32_t commands;  /* the daemon's HELLO bitmap: bit c, command c */
	uint32_t tag;
	uint8_t buf[PF_MAX_FRAME];
	size_t len;         /* bytes in buf: at most the reply being read */
	uint8_t frame[PF_MAX_FRAME];
	uint8_t items[PF_MAX_FRAME]; /* a WARM_FDS request's entries */
};

/* The public kind numbers (prefetch.h) are the wire's (protocol.h). */
_Static_assert(PREFETCH_FADVISE == PF_KIND_FADVISE, "fadvise's number");
_Static_assert(PREFETCH_READAHEAD == PF_KIND_READAHEAD, "readahead's number");
_Static_assert(PREFETCH_MMAP == PF_KIND_MMAP, "mmap's number");
_Static_assert(PREFETCH_MLOCK == PF_KIND_MLOCK, "mlock's number");

/* Every kind once: its name (prefetchctl --kind, prefetch_kind_name) and
 * its number on the wire. */
static const struct {
	const char *name;
	enum pf_kind kind;
} kinds[] = {
	{ "fadvise", PF_KIND_FADVISE },
	{ "readahead", PF_KIND_READAHEAD },
	{ "mmap", PF_KIND_MMAP },
	{ "mlock", PF_KIND_MLOCK },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
_Static_assert(NKINDS == PF_KIND_LAST + 1, "every kind has a name");

const char *prefetch_kind_name(int kind)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if ((int)kinds[i].kind == kind)
			return kinds[i].name;
	return NULL;
}

int prefetch_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return (int)kinds[i].kind;
	errno = EINVAL;
	return -1;
}

int prefetch_version(const prefetch_t *p)
{
	return p->version;
}

static int pf_fail(prefetch_t *p, int err)
{
	p->broken = err;
	errno = err;
	return -1;
}

/* Sends one request, with the nsend descriptors in fds, and waits for its
 * reply; r is left on the reply body.
 * Returns 0, or -1 with the daemon's status or a transport error. */
static int pf_call_fds(prefetch_t *p, struct pf_request *req, const int *fds,
                       size_t nsend, struct pf_reader *r)
{
	struct pf_header hdr;
	uint32_t status;
	long n;
	size_t sent = 0;
	int whole;

	if (p->broken) {
		errno = p->broken;
		return -1;
	}
	req->hdr.tag = ++p->tag;
	n = pf_request_encode(req, p->frame, sizeof p->frame);
	if (n == -1)
		return -1; /* a bad argument: the connection is fine */
	while (sent < (size_t)n) {
		ssize_t k = givefd_send(p->out, fds, sent == 0 ? nsend : 0,
		                        p->frame + sent, (size_t)n - sent);

		if (k == -1) {
			if (errno == EINTR)
				continue;
			return pf_fail(p, errno);
		}
		sent += (size_t)k;
	}
	while ((whole = pf_frame_peek(p->buf, p->len, PF_MAX_FRAME, &hdr)) == 0) {
		size_t nfds = 0;
		ssize_t k = givefd_recv(p->in, NULL, &nfds, p->buf + p->len,
		                        sizeof p->buf - p->len);

		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			return pf_fail(p, k == 0 ? EPIPE : errno);
		p->len += (size_t)k;
	}
	if (whole < 0)
		return pf_fail(p, errno);
	if (pf_reply_decode(p->buf, hdr.len, &hdr, &status, r) == -1 ||
	    hdr.tag != req->hdr.tag ||
	    (hdr.cmd & ~PF_REPLY) != req->hdr.cmd)
		return pf_fail(p, EBADMSG);
	/* The body stays valid in frame until the next call. */
	memcpy(p->frame, p->buf, hdr.len);
	pf_reader_init(r, p->frame + PF_HDR_SIZE + 4, hdr.len - PF_HDR_SIZE - 4);
	memmove(p->buf, p->buf + hdr.len, p->len - hdr.len);
	p->len -= hdr.len;
	if (status != 0) {
		errno = (int)status;
		return -1;
	}
	return 0;
}

/* pf_call_fds with one descriptor, or none when fd is -1. */
static int pf_call(prefetch_t *p, struct pf_request *req, int fd,
                   struct pf_reader *r)
{
	return pf_call_fds(p, req, &fd, fd >= 0 ? 1 : 0, r);
}

static prefetch_t *pf_hello(prefetch_t *p)
{
	struct pf_request req;
	struct pf_reader r;
	int saved;

	memset(&req, 0, sizeof req);
	req.hdr.cmd = PF_HELLO;
	req.vmin = req.vmax = PF_VERSION;
	if (pf_call(p, &req, -1, &r) == 0) {
		p->version = pf_get_u16(&r);
		(void)pf_get_u32(&r); /* the maximum frame */
		p->commands = pf_get_u32(&r);
		if (r.err != 0)
			p->commands = 0;
		if (p->version == PF_VERSION)
			return p;
		errno = EPROTONOSUPPORT;
	}
	saved = errno;
	free(p); /* the descriptors stay with the caller */
	errno = saved;
	return NULL;
}

prefetch_t *prefetch_attach(int in_fd, int out_fd)
{
	prefetch_t *p;

	if (in_fd < 0 || out_fd < 0) {
		errno = EBADF;
		return NULL;
	}
	p = malloc(sizeof *p);
	if (p == NULL)
		return NULL;
	p->in = in_fd;
	p->out = out_fd;
	p->broken = 0;
	p->version = 0;
	p->commands = 0;
	p->tag = 0;
	p->len = 0;
	return pf_hello(p);
}

/* 0 if the peer of fd runs as this process's user, as root or as
 * trusted; else -1 and EPERM, with its uid in *server. */
static int pf_check_server(int fd, uid_t trusted, uid_t *server)
{
	uid_t uid;
	gid_t gid;

	if (getpeereid(fd, &uid, &gid) == -1)
		return -1;
	if (server != NULL)
		*server = uid;
	if (uid == geteuid() || uid == 0 ||
	    (trusted != (uid_t)-1 && uid == trusted))
		return 0;
	errno = EPERM;
	return -1;
}

prefetch_t *prefetch_connect(const char *path)
{
	return prefetch_connect_trusting(path, (uid_t)-1, NULL);
}

prefetch_t *prefetch_connect_trusting(const char *path, uid_t trusted,
                                      uid_t *server)
{
	char defpath[PATH_MAX];
	int fd, saved;
	prefetch_t *p;

	if (path == NULL || *path == '\0')
		path = pf_default_socket(defpath, sizeof defpath, 0);
	if (path == NULL)
		return NULL;
	fd = util_connect_unix(path);
	if (fd == -1)
		return NULL;
	if (pf_check_server(fd, trusted, server) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	p = prefetch_attach(fd, fd);
	if (p == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return p;
}

void prefetch_close(prefetch_t *p)
{
	if (p == NULL)
		return;
	close(p->in);
	if (p->out != p->in)
		close(p->out);
	free(p);
}

static void pf_req(struct pf_request *req, uint16_t cmd, uint32_t sid, uint32_t fid)
{
	memset(req, 0, sizeof *req);
	req->hdr.cmd = cmd;
	req->sid = sid;
	req->fid = fid;
}

static int pf_simple(prefetch_t *p, uint16_t cmd, uint32_t sid, uint32_t fid)
{
	struct pf_request req;
	struct pf_reader r;

	pf_req(&req, cmd, sid, fid);
	return pf_call(p, &req, -1, &r);
}

int prefetch_session_create(prefetch_t *p, uint32_t sid,
                            const char *description, int flags)
{
	struct pf_request req;
	struct pf_reader r;

	pf_req(&req, PF_CREATE, sid, 0);
	req.flags = (uint8_t)flags;
	req.str = description != NULL ? description : "";
	req.strlen = strlen(req.str);
	if ((flags & ~PREFETCH_PERSISTENT) != 0) {
		errno = EINVAL;
		return -1;
	}
	return pf_call(p, &req, -1, &r);
}

int prefetch_session_destroy(prefetch_t *p, uint32_t sid)
{
	return pf_simple(p, PF_DESTROY, sid, 0);
}

int prefetch_register_path(prefetch_t *p, uint32_t sid, uint32_t fid,
                           const char *path)
{
	struct pf_request req;
	struct pf_reader r;

	pf_req(&req, PF_REG_PATH, sid, fid);
	req.str = path;
	req.strlen = strlen(path);
	return pf_call(p, &req, -1, &r);
}

int prefetch_register_fd(prefetch_t *p, uint32_t sid, uint32_t fid, int fd)
{
	struct pf_request req;
	struct pf_reader r;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	pf_req(&req, PF_REG_FD, sid, fid);
	return pf_call(p, &req, fd, &r);
}

int prefetch_register_fd_named(prefetch_t *p, uint32_t sid, uint32_t fid,
                               int fd, const char *name)
{
	struct pf_request req;
	struct pf_reader r;
	size_t len = name != NULL ? strlen(name) : 0;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (len > PF_MAX_STRING) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A daemon without the command (or no name): the file goes unnamed. */
	if (len == 0 || !(p->commands & (1u << PF_REG_FD_NAMED)))
		return prefetch_register_fd(p, sid, fid, fd);
	pf_req(&req, PF_REG_FD_NAMED, sid, fid);
	req.str = name;
	req.strlen = len;
	return pf_call(p, &req, fd, &r);
}

int prefetch_unregister(prefetch_t *p, uint32_t sid, uint32_t fid)
{
	return pf_simple(p, PF_UNREG, sid, fid);
}

int prefetch_unregister_fd(prefetch_t *p, uint32_t sid, int fd)
{
	struct pf_request req;
	struct pf_reader r;
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	pf_req(&req, PF_UNREG_ID, sid, 0);
	req.dev = (uint64_t)st.st_dev;
	req.ino = (uint64_t)st.st_ino;
	return pf_call(p, &req, -1, &r);
}

int prefetch_readahead(prefetch_t *p, uint32_t sid, uint32_t fid, int kind,
                       uint64_t off, uint64_t len, uint64_t *done)
{
	struct pf_request req;
	struct pf_reader r;
	uint64_t n;

	if (kind < 0 || kind > PF_KIND_LAST) {
		errno = EINVAL;
		return -1;
	}
	pf_req(&req, PF_READAHEAD, sid, fid);
	req.kind = (uint8_t)kind;
	req.off = off;
	req.len = len;
	if (pf_call(p, &req, -1, &r) == -1)
		return -1;
	n = pf_get_u64(&r);
	if (pf_reader_done(&r) == -1)
		return pf_fail(p, EBADMSG);
	if (done != NULL)
		*done = n;
	return 0;
}

/* The old route of prefetch_warm_fds, two requests a file: for a daemon
 * without WARM_FDS, and for the kinds that hold memory. */
static int pf_warm_each(prefetch_t *p, uint32_t sid, uint32_t first, int kind,
                        struct prefetch_warm_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct prefetch_warm_file *f = &files[i];
		uint32_t fid = first + (uint32_t)i;

		f->done = 0;
		f->error = 0;
		if (prefetch_register_fd_named(p, sid, fid, f->fd, f->name) == -1)
			f->error = errno;
		else if (prefetch_readahead(p, sid, fid, kind, f->off, f->len,
		                            &f->done) == -1) {
			f->error = errno;
			if (!p->broken)
				prefetch_unregister(p, sid, fid);
		}
		if (p->broken) {
			errno = p->broken;
			return -1;
		}
	}
	return 0;
}

/* How many of files (at most n) fit one WARM_FDS frame, their entries
 * written into p->items: within the protocol's bound, what one message
 * carries here and the frame's size. *len gets the entries' bytes. */
static size_t pf_warm_frame_files(prefetch_t *p, const struct prefetch_warm_file *files,
                                  size_t n, size_t *len)
{
	size_t max = givefd_max_fds(), k;
	struct pf_writer w;

	if (max > PF_WARM_MAX_FILES)
		max = PF_WARM_MAX_FILES;
	/* Header, sid, fid and kind come before the entries. */
	pf_writer_init(&w, p->items, PF_MAX_FRAME - PF_HDR_SIZE - 9);
	for (k = 0; k < n && k < max; k++) {
		size_t before = w.len, nlen = files[k].name != NULL ?
		                strlen(files[k].name) : 0;

		pf_put_warm_file(&w, files[k].name, nlen, files[k].off, files[k].len);
		if (w.err != 0) {
			w.len = before;
			break;
		}
	}
	*len = w.len;
	return k;
}

/* One WARM_FDS request for files[0 .. k-1], their entries in p->items. */
static int pf_warm_frame(prefetch_t *p, uint32_t sid, uint32_t first, int kind,
                         struct prefetch_warm_file *files, size_t k, size_t len)
{
	int fds[PF_WARM_MAX_FILES];
	struct pf_request req;
	struct pf_reader r;
	size_t i;

	for (i = 0; i < k; i++)
		fds[i] = files[i].fd;
	pf_req(&req, PF_WARM_FDS, sid, first);
	req.hdr.nfds = (uint8_t)k;
	req.kind = (uint8_t)kind;
	req.files = p->items;
	req.fileslen = len;
	if (pf_call_fds(p, &req, fds, k, &r) == -1)
		return -1;
	if (pf_get_u32(&r) != k ||
	    r.len - r.pos != (size_t)k * PF_WARM_RESULT_SIZE)
		return pf_fail(p, EBADMSG);
	for (i = 0; i < k; i++) {
		files[i].error = (int)pf_get_u32(&r);
		files[i].done = pf_get_u64(&r);
	}
	return 0;
}

int prefetch_warm_fds(prefetch_t *p, uint32_t sid, uint32_t first_fid,
                      int kind, struct prefetch_warm_file *files, size_t n)
{
	size_t i, k, len;

	if (kind < 0 || kind > PF_KIND_LAST) {
		errno = EINVAL;
		return -1;
	}
	if (n > 0 && first_fid > UINT32_MAX - (n - 1)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (files[i].fd < 0) {
			errno = EBADF;
			return -1;
		}
		if (files[i].name != NULL &&
		    strlen(files[i].name) > PF_MAX_STRING) {
			errno = ENAMETOOLONG;
			return -1;
		}
	}
	if (!(p->commands & (1u << PF_WARM_FDS)) ||
	    (kind != PF_KIND_FADVISE && kind != PF_KIND_READAHEAD))
		return pf_warm_each(p, sid, first_fid, kind, files, n);
	for (i = 0; i < n; i += k) {
		k = pf_warm_frame_files(p, files + i, n - i, &len);
		if (pf_warm_frame(p, sid, first_fid + (uint32_t)i, kind,
		                  files + i, k, len) == -1)
			return -1;
	}
	return 0;
}

int prefetch_replay(prefetch_t *p, uint32_t sid, int trace_fd, int kind,
                    struct prefetch_replay_result *result)
{
	struct pf_request req;
	struct pf_reader r;
	struct prefetch_replay_result got;

	if (trace_fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (kind != PF_KIND_FADVISE && kind != PF_KIND_READAHEAD) {
		errno = EINVAL;
		return -1;
	}
	/* A daemon older than the command would answer ENOSYS too, but only
	 * after taking the descriptor: say it here. */
	if (!(p->commands & (1u << PF_REPLAY))) {
		errno = ENOSYS;
		return -1;
	}
	pf_req(&req, PF_REPLAY, sid, 0);
	req.kind = (uint8_t)kind;
	if (pf_call(p, &req, trace_fd, &r) == -1)
		return -1;
	got.warmed = pf_get_u32(&r);
	got.changed = pf_get_u32(&r);
	got.skipped = pf_get_u32(&r);
	got.bytes = pf_get_u64(&r);
	if (pf_reader_done(&r) == -1)
		return pf_fail(p, EBADMSG);
	if (result != NULL)
		*result = got;
	return 0;
}

int prefetch_residency(prefetch_t *p, uint32_t sid,
                       struct prefetch_residency *out, size_t max, size_t *n)
{
	struct pf_request req;
	struct pf_reader r;
	uint32_t count, i;

	*n = 0;
	pf_req(&req, PF_RESIDENCY, sid, 0);
	if (pf_call(p, &req, -1, &r) == -1)
		return -1;
	count = pf_get_u32(&r);
	if (r.err != 0 || (uint64_t)count * PF_RES_ENTRY_SIZE != r.len - r.pos)
		return pf_fail(p, EBADMSG);
	for (i = 0; i < count; i++) {
		struct prefetch_residency e;
		uint8_t flags;

		e.fid = pf_get_u32(&r);
		e.size = pf_get_u64(&r);
		e.pages = pf_get_u64(&r);
		e.resident = pf_get_u64(&r);
		e.method = pf_get_u8(&r);
		flags = pf_get_u8(&r);
		e.trusted = !(flags & PF_RES_UNTRUSTED);
		if (i < max)
			out[(*n)++] = e;
	}
	return 0;
}

static int pf_dump_walk(struct pf_reader *r, uint32_t *sid,
                        int (*on_session)(const struct prefetch_session_info *, void *),
                        int (*on_file)(const struct prefetch_file_info *, void *),
                        void *arg, int *truncated)
{
	char text[PF_MAX_STRING + 1];
	int stop = 0;

	for (;;) {
		uint8_t type = pf_get_u8(r);
		const char *s;
		size_t len;

		if (r->err != 0)
			return -1;
		if (type == PF_DUMP_END || type == PF_DUMP_TRUNCATED) {
			*truncated = type == PF_DUMP_TRUNCATED;
			return pf_reader_done(r);
		}
		if (type == PF_DUMP_SESSION) {
			struct prefetch_session_info si;

			si.sid = *sid = pf_get_u32(r);
			si.persistent = (pf_get_u8(r) & PF_SESSION_PERSISTENT) != 0;
			s = pf_get_str(r, &len, PF_MAX_DESC);
			si.nfiles = pf_get_u32(r);
			if (r->err != 0)
				return -1;
			memcpy(text, s, len);
			text[len] = '\0';
			si.description = text;
			if (!stop && on_session != NULL)
				stop = on_session(&si, arg);
		} else if (type == PF_DUMP_FILE) {
			struct prefetch_file_info fi;

			fi.sid = *sid;
			fi.fid = pf_get_u32(r);
			fi.size = pf_get_u64(r);
			fi.locked = pf_get_u64(r);
			s = pf_get_str(r, &len, PF_MAX_STRING);
			if (r->err != 0)
				return -1;
			memcpy(text, s, len);
			text[len] = '\0';
			fi.name = text;
			if (!stop && on_file != NULL)
				stop = on_file(&fi, arg);
		} else {
			return -1;
		}
	}
}

int prefetch_dump(prefetch_t *p, uint32_t sid,
                  int (*on_session)(const struct prefetch_session_info *, void *),
                  int (*on_file)(const struct prefetch_file_info *, void *),
                  void *arg, struct prefetch_stats *stats)
{
	struct pf_request req;
	struct pf_reader r;
	struct prefetch_stats st;
	uint32_t cur = 0;

	pf_req(&req, PF_DUMP, sid, 0);
	if (pf_call(p, &req, -1, &r) == -1)
		return -1;
	st.locked = pf_get_u64(&r);
	st.budget = pf_get_u64(&r);
	st.connections = pf_get_u32(&r);
	st.sessions = pf_get_u32(&r);
	st.files = pf_get_u32(&r);
	st.truncated = 0;
	if (pf_dump_walk(&r, &cur, on_session, on_file, arg, &st.truncated) == -1)
		return pf_fail(p, EBADMSG);
	if (stats != NULL)
		*stats = st;
	return 0;
}

int prefetch_residency_fd(int fd, struct prefetch_residency *out)
{
	struct stat st;

	memset(out, 0, sizeof *out);
	if (fstat(fd, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	out->size = (uint64_t)st.st_size;
	if (pf_sys_residency(fd, out->size, &out->pages, &out->resident,
	                     &out->method) == -1)
		return -1;
	out->trusted = pf_sys_residency_trusted(fd, out->method, &out->resident);
	return 0;
}

int prefetch_exit(prefetch_t *p)
{
	return pf_simple(p, PF_EXIT, 0, 0);
}

/* SPDX-License-Identifier: ISC */
/*
 * client.c: the client side of libforkserver. One connection reads the
 * server's frames into a buffer, so that a wait that times out in the
 * middle of a frame loses nothing, and keeps the ends it has read for
 * requests nobody has waited for yet. A run whose pid nobody asked for
 * does not wait for STARTED where the server can leave it out; a failure
 * of such a run is kept as its end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <givefd.h>
#include "compat.h"
#include "forkserver.h"
#include "protocol.h"
#include "server.h"
#include "unixsock.h"
#include "writeall.h"

#define FS_GREETING_MS 60000
#define FS_IN_MAX (FSP_HDR_SIZE + 1024)
#define FS_MAX_ENDED 65536

struct ended {
	uint32_t id;
	int status, timedout;
	int err;                        /* the run failed: no status */
	char *why;                      /* and the server's words for it */
};

struct forkserver {
	int fd;
	int message;                    /* SOCK_SEQPACKET: a frame a message */
	int quiet;                      /* agreed FSP_FEATURE_QUIET */
	int keep_cwd;                   /* agreed FSP_FEATURE_KEEP_CWD */
	int cwd;                        /* the directory the server keeps, -1 */
	dev_t cwd_dev;                  /* and its identity, which nothing */
	ino_t cwd_ino;                  /* else has while cwd holds it */
	unsigned version;               /* agreed protocol version */
	uint32_t next_id;
	uint32_t max_children, max_fds;
	unsigned char in[FS_IN_MAX];
	size_t inlen;
	struct ended *ended;
	size_t nended, capended;
	char why[FSP_MAX_MESSAGE + 1];  /* of the last error the server sent */
};

struct frame {
	struct fsp_header h;
	unsigned char body[FS_IN_MAX - FSP_HDR_SIZE];
};

/* Takes one whole frame from the buffer: 1, 0 when incomplete, -1. */
static int take_frame(struct forkserver *fs, struct frame *f)
{
	size_t whole;

	if (fs->inlen < FSP_HDR_SIZE)
		return 0;
	if (fsp_header_decode(fs->in, FSP_HDR_SIZE, &f->h) == -1)
		return -1;
	if (f->h.len > sizeof f->body || f->h.nfds != 0) {
		errno = EPROTO;
		return -1;
	}
	whole = FSP_HDR_SIZE + f->h.len;
	if (fs->inlen < whole)
		return 0;
	memcpy(f->body, fs->in + FSP_HDR_SIZE, f->h.len);
	memmove(fs->in, fs->in + whole, fs->inlen - whole);
	fs->inlen -= whole;
	return 1;
}

/* Reads the next frame, waiting until the deadline (-1: none). It waits
 * in poll, never in a blocking receive: the server reading our requests
 * wakes whoever sleeps in a receive on this socket (the space it frees is
 * reported to its one wait queue), and poll alone sleeps on through such
 * wake-ups. */
static int next_frame(struct forkserver *fs, struct frame *f, long long deadline)
{
	for (;;) {
		struct pollfd p;
		int r = take_frame(fs, f), timeout = -1;
		ssize_t n;

		if (r != 0)
			return r;
		if (deadline >= 0) {
			long long left = deadline - util_now_ms();

			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			timeout = left > INT_MAX ? INT_MAX : (int)left;
		}
		p.fd = fs->fd;
		p.events = POLLIN;
		r = poll(&p, 1, timeout);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			continue;
		n = recv(fs->fd, fs->in + fs->inlen, sizeof fs->in - fs->inlen,
		         MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN ||
		                errno == EWOULDBLOCK))
			continue;
		if (n == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (n == -1)
			return -1;
		fs->inlen += (size_t)n;
	}
}

/* An EXITED, or the ERROR that ends a run. */
static int is_end(const struct frame *f)
{
	return f->h.type == FSP_EXITED ||
	       (f->h.type == FSP_ERROR && (f->h.flags & FSP_ERROR_RUN) != 0 &&
	        f->h.id != 0);
}

/* Keeps the server's words for an error, for forkserver_last_error. */
static void keep_why(struct forkserver *fs, const char *msg, size_t len)
{
	if (len >= sizeof fs->why)
		len = sizeof fs->why - 1;
	memcpy(fs->why, msg, len);
	fs->why[len] = '\0';
}

/* A server ERROR frame becomes errno. */
static int server_error(struct forkserver *fs, const struct frame *f)
{
	struct fsp_error e;

	if (fsp_error_decode(f->body, f->h.len, &e) == -1) {
		errno = EPROTO;
		return -1;
	}
	keep_why(fs, e.msg, e.msglen);
	errno = (int)e.err;
	return -1;
}

/* Keeps the end of request id: an EXITED, or the ERROR of a failed run. */
static int keep_ended(struct forkserver *fs, const struct frame *f)
{
	struct fsp_exited e;
	struct fsp_error er;

	memset(&e, 0, sizeof e);
	memset(&er, 0, sizeof er);
	if (f->h.type == FSP_ERROR ? fsp_error_decode(f->body, f->h.len, &er) == -1
	    : fsp_exited_decode(f->body, f->h.len, &e) == -1)
		return -1;
	if (fs->nended == fs->capended) {
		size_t cap = fs->capended == 0 ? 8 : fs->capended * 2;
		struct ended *p;

		if (cap > FS_MAX_ENDED) {
			errno = EPROTO;
			return -1;
		}
		p = realloc(fs->ended, cap * sizeof *p);
		if (p == NULL)
			return -1;
		fs->ended = p;
		fs->capended = cap;
	}
	fs->ended[fs->nended].id = f->h.id;
	fs->ended[fs->nended].status = (int)e.status;
	fs->ended[fs->nended].timedout = (e.flags & FSP_EXIT_TIMEDOUT) != 0;
	fs->ended[fs->nended].err = (int)er.err;
	fs->ended[fs->nended].why = NULL;
	if (er.err != 0) {
		char *why = malloc((size_t)er.msglen + 1);

		if (why == NULL)
			return -1;
		memcpy(why, er.msg, er.msglen);
		why[er.msglen] = '\0';
		fs->ended[fs->nended].why = why;
	}
	fs->nended++;
	return 0;
}

static int greet(struct forkserver *fs)
{
	unsigned char buf[64];
	struct fsp_hello hello;
	struct fsp_want want;
	struct frame f;
	long n;

	if (next_frame(fs, &f, util_now_ms() + FS_GREETING_MS) != 1)
		return -1;
	if (f.h.type == FSP_ERROR)
		return server_error(fs, &f);
	if (f.h.type != FSP_HELLO || fsp_hello_decode(f.body, f.h.len, &hello) == -1) {
		errno = EPROTO;
		return -1;
	}
	if (hello.vmin > FSP_VERSION || hello.vmax < FSP_VERSION_MIN) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	fs->version = hello.vmax < FSP_VERSION ? hello.vmax : FSP_VERSION;
	fs->max_children = hello.max_children;
	fs->max_fds = hello.max_fds;
	want.magic = FSP_MAGIC;
	want.version = (uint16_t)fs->version;
	want.features = hello.features & FSP_FEATURE_QUIET;
	if (fs->version >= 2)
		want.features |= hello.features & FSP_FEATURE_KEEP_CWD;
	fs->quiet = (want.features & FSP_FEATURE_QUIET) != 0;
	fs->keep_cwd = (want.features & FSP_FEATURE_KEEP_CWD) != 0;
	n = fsp_want_encode(&want, buf, sizeof buf);
	return n < 0 ? -1 : util_send_all(fs->fd, buf, (size_t)n);
}

struct forkserver *forkserver_fdopen(int fd)
{
	struct forkserver *fs;
	int err;

	if (fd < 0) {
		errno = EBADF;
		return NULL;
	}
	fs = calloc(1, sizeof *fs);
	if (fs == NULL) {
		err = errno;
		close(fd);
		errno = err;
		return NULL;
	}
	fs->fd = fd;
	fs->cwd = -1;
	fs->next_id = 1;
	fs->message = fs_message_socket(fd);
	if (greet(fs) == -1) {
		err = errno;
		forkserver_close(fs);
		errno = err;
		return NULL;
	}
	return fs;
}

/* Whoever listens at a path is not necessarily the server meant: anyone
 * who could bind it first would get what the caller hands over. Only a
 * server of this user, or of root, is spoken to. */
static int trusted_server(int fd)
{
	uid_t uid;
	gid_t gid;

	if (getpeereid(fd, &uid, &gid) == -1)
		return -1;
	if (uid != geteuid() && uid != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

struct forkserver *forkserver_connect(const char *path)
{
	int fd;

	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	fd = util_connect_unix(path);
	if (fd == -1)
		return NULL;
	if (trusted_server(fd) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return NULL;
	}
	return forkserver_fdopen(fd);
}

int forkserver_run(struct forkserver *fs, const int *fds, const int *targets,
                   size_t n, unsigned timeout_ms, pid_t *pid)
{
	return forkserver_run_env(fs, fds, targets, n, NULL, NULL,
	                          FORKSERVER_CWD_CALLER, timeout_ms, pid);
}

int forkserver_run_args(struct forkserver *fs, const int *fds,
                        const int *targets, size_t n,
                        const char *const *args, unsigned timeout_ms,
                        pid_t *pid)
{
	return forkserver_run_env(fs, fds, targets, n, args, NULL,
	                          FORKSERVER_CWD_CALLER, timeout_ms, pid);
}

/* Sends a RUN frame, its descriptors with it. */
static int send_run(struct forkserver *fs, uint32_t id, const int *fds,
                    size_t n, const struct fsp_run *run, uint16_t flags)
{
	unsigned char small[FSP_HDR_SIZE + 12 + 4 * FSP_MAX_FDS + 256];
	unsigned char *buf = small;
	size_t cap = FSP_HDR_SIZE + 12 + 4 * (size_t)run->ntargets, i;
	long len;
	int r = -1;

	for (i = 0; i < run->nargs; i++)
		cap += 2 + run->arglen[i];
	for (i = 0; i < run->nenv; i++)
		cap += 2 + run->envlen[i];
	if (cap > sizeof small) {
		buf = malloc(cap);
		if (buf == NULL)
			return -1;
	}
	len = fsp_run_encode(id, fs->version, run, buf, cap);
	if (len < 0)
		goto out;
	fsp_header_set_flags(buf, flags);
	/* The descriptors ride with the header; on a stream the body follows
	 * as plain bytes, on a message socket the frame is one message. */
	if (fs->message) {
		if (givefd_send(fs->fd, fds, n, buf, (size_t)len) != len)
			goto out;
	} else if (n > 0) {
		if (givefd_send(fs->fd, fds, n, buf, FSP_HDR_SIZE) != FSP_HDR_SIZE)
			goto out;
		if (util_send_all(fs->fd, buf + FSP_HDR_SIZE, (size_t)len - FSP_HDR_SIZE) == -1)
			goto out;
	} else if (util_send_all(fs->fd, buf, (size_t)len) == -1) {
		goto out;
	}
	r = 0;
out:
	if (buf != small) {
		int err = errno;

		free(buf);
		errno = err;
	}
	return r;
}

/* args or env (a NULL-terminated array, or NULL) into the request. */
static int take_strings(const char *const *in, uint32_t max, int env,
                        uint32_t *count, const char **str, uint16_t *len)
{
	size_t i;

	for (i = 0; in != NULL && in[i] != NULL; i++) {
		size_t n = strlen(in[i]);
		const char *eq = strchr(in[i], '=');

		if (i == max || n > 0xffff) {
			errno = E2BIG;
			return -1;
		}
		if (env && (eq == NULL || eq == in[i])) {
			errno = EINVAL;
			return -1;
		}
		str[i] = in[i];
		len[i] = (uint16_t)n;
	}
	*count = (uint32_t)i;
	return 0;
}

/* The working directory a run sends: a descriptor with FSP_RUNF_CWD,
 * none with FSP_RUNF_SAME_CWD (the server keeps the caller's already) or
 * no flag (the server's own). opened: this call opened fd. */
struct run_dir {
	int fd;
	uint32_t flag;
	int opened;
};

static int child_dir(const struct forkserver *fs, int dirfd, struct run_dir *d)
{
	struct stat st;

	d->fd = -1;
	d->flag = 0;
	d->opened = 0;
	if (dirfd == FORKSERVER_CWD_SERVER ||
	    (dirfd == FORKSERVER_CWD_CALLER && fs->version < 2))
		return 0;
	if (fs->version < 2) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (dirfd != FORKSERVER_CWD_CALLER && dirfd < 0) {
		errno = EBADF;
		return -1;
	}
	d->flag = FSP_RUNF_CWD;
	if (dirfd >= 0) {
		d->fd = dirfd;
		return 0;
	}
	if (fs->cwd != -1 && stat(".", &st) == 0 && st.st_dev == fs->cwd_dev &&
	    st.st_ino == fs->cwd_ino) {
		d->flag = FSP_RUNF_SAME_CWD;
		return 0;
	}
	d->fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd == -1)
		return -1;
	d->opened = 1;
	return 0;
}

/* After a run was sent (sent: it was, whole) with d: what the server
 * keeps now, so that the next run from the same directory sends none. */
static void note_dir(struct forkserver *fs, const struct run_dir *d, int sent)
{
	struct stat st;
	int err = errno;

	if (fs->keep_cwd && d->flag == FSP_RUNF_CWD) {
		if (fs->cwd != -1)
			close(fs->cwd);
		fs->cwd = -1;
		/* A descriptor of the caller's is kept by the server, but not
		 * remembered here: the caller's own directory is sent next. */
		if (sent && d->opened && fstat(d->fd, &st) == 0) {
			fs->cwd = d->fd;
			fs->cwd_dev = st.st_dev;
			fs->cwd_ino = st.st_ino;
			errno = err;
			return;
		}
	}
	if (d->opened)
		close(d->fd);
	errno = err;
}

int forkserver_run_env(struct forkserver *fs, const int *fds,
                       const int *targets, size_t n,
                       const char *const *args, const char *const *env,
                       int dirfd, unsigned timeout_ms, pid_t *pid)
{
	struct fsp_run run;
	int all[FSP_MAX_FDS];
	uint32_t id;
	size_t i, j;
	struct run_dir dir;
	int quiet, r;

	if (fs == NULL || (n > 0 && (fds == NULL || targets == NULL))) {
		errno = EINVAL;
		return -1;
	}
	if (n > FSP_MAX_FDS || n > fs->max_fds) {
		errno = E2BIG;
		return -1;
	}
	memset(&run, 0, sizeof run);
	run.timeout_ms = timeout_ms;
	run.ntargets = (uint32_t)n;
	for (i = 0; i < n; i++) {
		if (targets[i] < 0) {
			errno = EBADF;
			return -1;
		}
		for (j = 0; j < i; j++)
			if (targets[j] == targets[i]) {
				errno = EINVAL;
				return -1;
			}
		run.targets[i] = (uint32_t)targets[i];
		all[i] = fds[i];
	}
	if (take_strings(args, FSP_MAX_ARGS, 0, &run.nargs, run.args,
	                 run.arglen) == -1 ||
	    take_strings(env, FSP_MAX_ENV, 1, &run.nenv, run.env,
	                 run.envlen) == -1)
		return -1;
	if (run.nenv > 0 && fs->version < 2) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (child_dir(fs, dirfd, &dir) == -1)
		return -1;
	if (dir.fd != -1 && (n + 1 > FSP_MAX_FDS || n + 1 > fs->max_fds)) {
		note_dir(fs, &dir, 0);
		errno = E2BIG;
		return -1;
	}
	run.runflags |= dir.flag;
	if (dir.fd != -1)
		all[n] = dir.fd;
	id = fs->next_id++;
	if (fs->next_id == 0 || fs->next_id > INT_MAX)
		fs->next_id = 1;
	quiet = fs->quiet && pid == NULL;
	r = send_run(fs, id, all, FSP_RUN_NFDS(&run), &run,
	             quiet ? FSP_RUN_QUIET : 0);
	note_dir(fs, &dir, r == 0);
	if (r == -1)
		return -1;
	if (quiet)
		return (int)id;
	for (;;) {
		struct frame f;
		uint32_t got;

		if (next_frame(fs, &f, -1) != 1)
			return -1;
		if (f.h.type == FSP_ERROR && (f.h.id == id || f.h.id == 0)) {
			return server_error(fs, &f);
		} else if (is_end(&f)) {
			if (keep_ended(fs, &f) == -1)
				return -1;
		} else if (f.h.type == FSP_STARTED && f.h.id == id) {
			if (fsp_started_decode(f.body, f.h.len, &got) == -1)
				return -1;
			if (pid != NULL)
				*pid = (pid_t)got;
			return (int)id;
		}
		/* Anything else: an answer to an earlier signal request. */
	}
}

int forkserver_wait(struct forkserver *fs, int id, int *status, int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : util_now_ms() + timeout_ms;

	if (fs == NULL || id <= 0) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		struct frame f;
		size_t i;

		for (i = 0; i < fs->nended; i++) {
			if (fs->ended[i].id == (uint32_t)id) {
				struct ended e = fs->ended[i];

				fs->ended[i] = fs->ended[--fs->nended];
				if (e.err != 0) {
					keep_why(fs, e.why, strlen(e.why));
					free(e.why);
					errno = e.err;
					return -1;
				}
				if (status != NULL)
					*status = e.status;
				return e.timedout;
			}
		}
		if (next_frame(fs, &f, deadline) != 1)
			return -1;
		if (is_end(&f)) {
			if (keep_ended(fs, &f) == -1)
				return -1;
		} else if (f.h.type == FSP_ERROR && f.h.id == 0) {
			return server_error(fs, &f);
		}
	}
}

static int send_signal(struct forkserver *fs, int id, int sig, uint32_t flags)
{
	unsigned char buf[FSP_HDR_SIZE + 8];
	struct fsp_signal s;
	long n;

	if (fs == NULL || id <= 0 || sig <= 0 || sig > 255) {
		errno = EINVAL;
		return -1;
	}
	s.signo = (uint32_t)sig;
	s.flags = flags;
	n = fsp_signal_encode((uint32_t)id, &s, buf, sizeof buf);
	return n < 0 ? -1 : util_send_all(fs->fd, buf, (size_t)n);
}

int forkserver_signal(struct forkserver *fs, int id, int sig)
{
	return send_signal(fs, id, sig, 0);
}

int forkserver_kill(struct forkserver *fs, int id)
{
	return send_signal(fs, id, SIGKILL, FSP_SIGNAL_GROUP);
}

int forkserver_max_children(const struct forkserver *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	return fs->max_children > INT_MAX ? INT_MAX : (int)fs->max_children;
}

const char *forkserver_last_error(const struct forkserver *fs)
{
	return fs != NULL ? fs->why : "";
}

int forkserver_close(struct forkserver *fs)
{
	size_t i;
	int r;

	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	r = close(fs->fd);
	if (fs->cwd != -1)
		close(fs->cwd);
	for (i = 0; i < fs->nended; i++)
		free(fs->ended[i].why);
	free(fs->ended);
	free(fs);
	return r;
}

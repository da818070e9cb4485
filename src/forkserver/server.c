/*
 * server.c: the fork server inside the target. forkserver_start() reads
 * its control channel from the environment and runs one poll loop: it
 * greets each connection, forks a child per RUN (which returns from
 * forkserver_start), reports STARTED and EXITED, enforces deadlines, and
 * exits, killing its children, when its controller goes away.
 *
 * Its settings come from the environment (environ.h): a connected
 * control socket (its end of file is the controller leaving) or a
 * listening one (then an alive socket whose end of file is the controller
 * leaving, and which gets one byte when the server is ready).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <givefd.h>
#include "compat.h"
#include "environ.h"
#include "forkserver.h"
#include "protocol.h"
#include "server.h"

#define FS_MAX_QUEUED (1024 * 1024)
#define FS_RECHECK_MS 2                /* while one is still arriving */

struct conn {
	int fd;                          /* -1: slot free */
	int message;                     /* SOCK_SEQPACKET: a frame a message */
	int greeted;
	int quiet;                       /* agreed FSP_FEATURE_QUIET */
	int parked;                      /* a RUN waits for a free slot */
	long long partial;               /* when a frame's start began to
	                                  * arrive, on a stream; 0: none */
	int closing;                     /* close once the output is out */
	uid_t uid;                       /* the peer's, (uid_t)-1 unknown */
	long long greet_by;              /* WANT due by then; 0: none due */
	unsigned char hdr[FSP_HDR_SIZE];
	size_t hdrlen;
	struct fsp_header h;
	unsigned char *body;
	size_t bodylen;
	int fds[FSP_MAX_FDS];
	size_t nfds;
	unsigned char *out;
	size_t outlen, outcap;
};

struct child {
	pid_t pid;                       /* 0: slot free */
	int conn;                        /* -1: nobody to tell */
	uint32_t id;
	long long deadline;              /* 0: none */
	int timedout;
	int unannounced;                 /* STARTED wanted, not yet sent */
	int err;                         /* its set-up failed: errno */
	long failed;                     /* and the target it failed at */
};

/* What a child says of its set-up on S.report before it returns into
 * the target: err 0 when all is in place (said only when its client
 * wants STARTED), else the errno and the target that failed (-1: none).
 * Smaller than PIPE_BUF, so written whole. */
struct setup_word {
	pid_t pid;
	int err;
	long failed;
};

static struct {
	int ctl, listening, alive;
	pid_t self;
	int wake[2];
	int report[2];                   /* struct setup_word, from children */
	size_t max_children, running;
	int frame_ms, handshake_ms;
	size_t user_conns;               /* one uid's connections at most */
	struct conn conns[FS_MAX_CONNS];
	struct child *kids;
} S;

static int started;
static char **child_args;
static int child_nargs;

char **forkserver_args(int *argc)
{
	if (argc != NULL)
		*argc = child_nargs;
	return child_args;
}

/* In a child: keeps its request's arguments for forkserver_args(). */
static void keep_args(const struct fsp_run *run)
{
	uint32_t i;

	if (run->nargs == 0)
		return;
	child_args = calloc(run->nargs + 1, sizeof *child_args);
	if (child_args == NULL)
		return;
	for (i = 0; i < run->nargs; i++) {
		child_args[i] = malloc((size_t)run->arglen[i] + 1);
		if (child_args[i] == NULL)
			return;                 /* the array so far, NULL-ended */
		memcpy(child_args[i], run->args[i], run->arglen[i]);
		child_args[i][run->arglen[i]] = '\0';
		child_nargs = (int)i + 1;
	}
}

long long fs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fs_message_socket(int fd)
{
	int type = SOCK_STREAM;
	socklen_t len = sizeof type;

	(void)getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	return type == SOCK_SEQPACKET;
}

static void on_sigchld(int sig)
{
	int saved = errno;
	char b = 0;

	(void)sig;
	(void)write(S.wake[1], &b, 1);
	errno = saved;
}

static int set_flags(int fd, int fl, int fdfl)
{
	int old = fcntl(fd, F_GETFL);

	if (old == -1 || fcntl(fd, F_SETFL, old | fl) == -1)
		return -1;
	old = fcntl(fd, F_GETFD);
	return old == -1 || fcntl(fd, F_SETFD, old | fdfl) == -1 ? -1 : 0;
}

/* Output: sent at once when possible, else queued for POLLOUT. */
static void conn_close(size_t ci);

static void conn_flush(size_t ci)
{
	struct conn *c = &S.conns[ci];

	while (c->outlen > 0) {
		ssize_t n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			c->outlen = 0;
			c->closing = 1;
			return;
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

static void conn_put(size_t ci, const void *frame, long n)
{
	struct conn *c = &S.conns[ci];

	if (n <= 0 || c->fd == -1 || c->closing)
		return;
	if (c->outlen + (size_t)n > FS_MAX_QUEUED) {
		c->closing = 1; /* a client that never reads */
		c->outlen = 0;
		return;
	}
	if (c->outlen + (size_t)n > c->outcap) {
		size_t cap = (c->outlen + (size_t)n) * 2;
		unsigned char *p = realloc(c->out, cap);

		if (p == NULL) {
			c->closing = 1;
			return;
		}
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, frame, (size_t)n);
	c->outlen += (size_t)n;
	conn_flush(ci);
}

#define FS_ERROR_FRAME_MAX (FSP_HDR_SIZE + 8 + FSP_MAX_MESSAGE)

static long error_frame(unsigned char *buf, uint32_t id, int err,
                        const char *msg)
{
	struct fsp_error e;

	e.err = (uint32_t)err;
	e.msg = msg;
	e.msglen = (uint16_t)strlen(msg);
	return fsp_error_encode(id, &e, buf, FS_ERROR_FRAME_MAX);
}

/* flags: FSP_ERROR_RUN, which only a quiet connection gets. */
static void send_error_flags(size_t ci, uint32_t id, int err, const char *msg,
                             uint16_t flags)
{
	unsigned char buf[FS_ERROR_FRAME_MAX];
	long n = error_frame(buf, id, err, msg);

	if (n > 0 && S.conns[ci].quiet)
		fsp_header_set_flags(buf, flags);
	conn_put(ci, buf, n);
}

static void send_error(size_t ci, uint32_t id, int err, const char *msg)
{
	send_error_flags(ci, id, err, msg, 0);
}

/* A RUN that failed: no child, no EXITED will follow. */
static void run_error(size_t ci, uint32_t id, int err, const char *msg)
{
	send_error_flags(ci, id, err, msg, FSP_ERROR_RUN);
}

static void send_hello(size_t ci)
{
	unsigned char buf[64];
	struct fsp_hello h;
	size_t maxfds = givefd_max_fds();

	h.magic = FSP_MAGIC;
	h.vmin = FSP_VERSION;
	h.vmax = FSP_VERSION;
	h.features = FSP_FEATURE_QUIET;
	h.max_children = (uint32_t)S.max_children;
	h.max_fds = (uint32_t)(maxfds < FSP_MAX_FDS ? maxfds : FSP_MAX_FDS);
	conn_put(ci, buf, fsp_hello_encode(&h, buf, sizeof buf));
}

static void close_fds(int *fds, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		close(fds[i]);
	*n = 0;
}

static void kill_child(struct child *k, int sig)
{
	/* The group first (grandchildren), the child if it left it. */
	(void)kill(-k->pid, sig);
	(void)kill(k->pid, sig);
}

static void conn_close(size_t ci)
{
	struct conn *c = &S.conns[ci];
	size_t k;

	if (c->fd == -1)
		return;
	close(c->fd);
	c->fd = -1;
	close_fds(c->fds, &c->nfds);
	free(c->body);
	free(c->out);
	c->body = NULL;
	c->out = NULL;
	c->outlen = c->outcap = 0;
	for (k = 0; k < S.max_children; k++) {
		if (S.kids[k].pid != 0 && S.kids[k].conn == (int)ci) {
			kill_child(&S.kids[k], SIGKILL);
			S.kids[k].conn = -1;
		}
	}
}

/* A client over a limit gets an ERROR in place of the greeting. Its
 * socket is new and non-blocking: the frame fits, or is dropped. */
static void refuse_conn(int fd, const char *why)
{
	unsigned char buf[FS_ERROR_FRAME_MAX];
	long n = error_frame(buf, 0, EBUSY, why);

	if (n > 0)
		(void)send(fd, buf, (size_t)n, MSG_NOSIGNAL);
	close(fd);
}

static size_t conn_add(int fd, uid_t uid)
{
	size_t ci;

	for (ci = 0; ci < FS_MAX_CONNS; ci++) {
		if (S.conns[ci].fd == -1) {
			struct timeval tv;

			memset(&S.conns[ci], 0, sizeof S.conns[ci]);
			S.conns[ci].fd = fd;
			S.conns[ci].uid = uid;
			S.conns[ci].message = fs_message_socket(fd);
			/* On a listening socket anyone allowed may connect: an
			 * idle connection must not keep its slot. */
			if (S.listening)
				S.conns[ci].greet_by = fs_now_ms() + S.handshake_ms;
			tv.tv_sec = S.frame_ms / 1000;
			tv.tv_usec = (S.frame_ms % 1000) * 1000;
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			send_hello(ci);
			return ci;
		}
	}
	refuse_conn(fd, "too many connections");
	return FS_MAX_CONNS;
}

/* Every descriptor the server holds but those of connection self, for
 * the child to close. */
#define FS_HELD_MAX (5 + FS_MAX_CONNS * (1 + FSP_MAX_FDS))
static size_t server_fds(int *out, size_t self)
{
	size_t n = 0, ci, i;

	out[n++] = S.ctl;
	out[n++] = S.alive;
	out[n++] = S.wake[0];
	out[n++] = S.wake[1];
	out[n++] = S.report[0];
	for (ci = 0; ci < FS_MAX_CONNS; ci++) {
		if (S.conns[ci].fd == -1)
			continue;
		if (S.conns[ci].fd != S.ctl)    /* the connected control socket */
			out[n++] = S.conns[ci].fd;
		for (i = 0; ci != self && i < S.conns[ci].nfds; i++)
			out[n++] = S.conns[ci].fds[i];
	}
	return n;
}

static struct child *find_child(int ci, uint32_t id)
{
	size_t k;

	for (k = 0; k < S.max_children; k++)
		if (S.kids[k].pid != 0 && S.kids[k].conn == ci &&
		    S.kids[k].id == id)
			return &S.kids[k];
	return NULL;
}

/* Returns 1 in the child, 0 in the server, 2 when no slot is free (the
 * request then waits, parked, and the connection is not read). */
static int do_run(size_t ci, const struct fsp_header *h, const unsigned char *body)
{
	struct conn *c = &S.conns[ci];
	static struct fsp_run run;
	struct child *slot = NULL;
	size_t k, j;
	pid_t pid;

	if (fsp_run_decode(body, h->len, &run) == -1) {
		run_error(ci, h->id, EBADMSG, "malformed RUN request");
		return 0;
	}
	if (run.ntargets != c->nfds) {
		run_error(ci, h->id, EPROTO, "descriptor count differs from targets");
		return 0;
	}
	for (k = 0; k < run.ntargets; k++)
		for (j = 0; j < k; j++)
			if (run.targets[j] == run.targets[k]) {
				run_error(ci, h->id, EINVAL, "one target named twice");
				return 0;
			}
	if (h->id == 0 || find_child((int)ci, h->id) != NULL) {
		run_error(ci, h->id, EEXIST, "request id 0 or in use");
		return 0;
	}
	for (k = 0; k < S.max_children && slot == NULL; k++)
		if (S.kids[k].pid == 0)
			slot = &S.kids[k];
	if (slot == NULL)
		return 2;
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		run_error(ci, h->id, errno, "fork failed");
		return 0;
	}
	if (pid == 0) {
		static int mine[FS_HELD_MAX];
		size_t n = server_fds(mine, ci);
		struct setup_word w;
		int report = S.report[1];

		w.pid = getpid();
		w.err = 0;
		if (fs_die_with(S.self) == -1 ||
		    fs_child_enter(mine, n, c->fds, run.targets, c->nfds, &report,
		                   &w.failed) == -1) {
			w.err = errno;
			(void)write(report, &w, sizeof w);
			_exit(127);
		}
		if ((h->flags & FSP_RUN_QUIET) == 0)
			(void)write(report, &w, sizeof w);
		(void)close(report);
		/* The server's state stays as it is, its memory reachable:
		 * writing to it would only copy its pages into the child. */
		keep_args(&run);
		return 1;
	}
	(void)setpgid(pid, pid); /* also done by the child: no race */
	slot->pid = pid;
	slot->conn = (int)ci;
	slot->id = h->id;
	slot->timedout = 0;
	slot->deadline = run.timeout_ms > 0 ? fs_now_ms() + run.timeout_ms : 0;
	slot->unannounced = (h->flags & FSP_RUN_QUIET) == 0;
	slot->err = 0;
	S.running++;
	return 0;
}

/* STARTED, once the child's descriptors are in place. */
static void announce(struct child *kid)
{
	unsigned char buf[FSP_HDR_SIZE + 8];

	if (!kid->unannounced)
		return;
	kid->unannounced = 0;
	if (kid->conn >= 0)
		conn_put((size_t)kid->conn, buf, fsp_started_encode(kid->id,
		         (uint32_t)kid->pid, buf, sizeof buf));
}

/* What the children said of their set-up. */
static void read_setup_words(void)
{
	struct setup_word w;
	size_t k;

	while (read(S.report[0], &w, sizeof w) == (ssize_t)sizeof w) {
		for (k = 0; k < S.max_children && S.kids[k].pid != w.pid; k++)
			;
		if (k == S.max_children || w.pid == 0)
			continue;
		if (w.err == 0) {
			announce(&S.kids[k]);
		} else {
			S.kids[k].err = w.err;
			S.kids[k].failed = w.failed;
		}
	}
}

static void do_signal(size_t ci, const struct fsp_header *h,
                      const unsigned char *body)
{
	struct fsp_signal s;
	struct child *k;

	if (fsp_signal_decode(body, h->len, &s) == -1) {
		send_error(ci, h->id, EBADMSG, "malformed SIGNAL request");
		return;
	}
	k = find_child((int)ci, h->id);
	if (k == NULL) {
		send_error(ci, h->id, ESRCH, "no such child");
		return;
	}
	if ((s.flags & FSP_SIGNAL_GROUP) != 0)
		(void)kill(-k->pid, (int)s.signo);
	if (kill(k->pid, (int)s.signo) == -1 && errno != ESRCH)
		send_error(ci, h->id, errno, "kill failed");
}

/* One whole frame. Returns 1 in a child, 0 in the server. */
static int handle_frame(size_t ci)
{
	struct conn *c = &S.conns[ci];
	const struct fsp_header *h = &c->h;
	struct fsp_want w;
	int in_child = 0;

	if (!c->greeted) {
		if (h->type != FSP_WANT || fsp_want_decode(c->body, h->len, &w) == -1) {
			send_error(ci, h->id, EPROTO, "expected WANT");
			c->closing = 1;
		} else if (w.version != FSP_VERSION) {
			send_error(ci, 0, EPROTONOSUPPORT, "protocol version not spoken");
			c->closing = 1;
		} else {
			c->greeted = 1;
			c->greet_by = 0;
			c->quiet = (w.features & FSP_FEATURE_QUIET) != 0;
		}
	} else if (h->type == FSP_RUN) {
		in_child = do_run(ci, h, c->body);
		c->parked = in_child == 2;
		if (c->parked)
			return 0;
	} else if (h->type == FSP_SIGNAL) {
		do_signal(ci, h, c->body);
	} else {
		send_error(ci, h->id, EBADMSG, "not a request");
	}
	if (in_child)
		return 1;
	close_fds(c->fds, &c->nfds);
	free(c->body);
	c->body = NULL;
	c->hdrlen = 0;
	c->bodylen = 0;
	return 0;
}

/* On a message socket the handle backends send a frame's start as
 * several messages, which a peek cannot see: once the first is there the
 * receive blocks for the rest, bounded by SO_RCVTIMEO. */
static ssize_t recv_blocking(int fd, int *fds, size_t *room, void *buf,
                             size_t len)
{
	struct pollfd p;
	ssize_t n;
	int err, fl;

	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 0) <= 0) {
		errno = EAGAIN;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		return -1;
	n = givefd_recv(fd, fds, room, buf, len);
	err = errno;
	(void)fcntl(fd, F_SETFL, fl);
	errno = err;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		errno = ETIMEDOUT;      /* a sender that stopped mid-frame */
	return n;
}

/* The first receive of a frame, with the descriptors that come with it.
 * On a stream it waits, without blocking, until the first libgivefd
 * message is whole (serve() looks again every FS_RECHECK_MS). EAGAIN when
 * nothing (or not enough) is there. */
static ssize_t recv_start(size_t ci, void *buf, size_t len)
{
	unsigned char peek[FS_START_PEEK];
	struct conn *c = &S.conns[ci];
	size_t room = FSP_MAX_FDS;
	ssize_t n;
	int whole;

	if (c->message) {
		n = recv_blocking(c->fd, c->fds, &room, buf, len);
	} else {
		n = recv(c->fd, peek, sizeof peek, MSG_PEEK);
		if (n <= 0)
			return n;
		whole = fs_start_whole(peek, (size_t)n);
		if (whole == -1)
			return -1;
		if (whole == 0) {
			if (c->partial == 0)
				c->partial = fs_now_ms();
			errno = EAGAIN;
			return -1;
		}
		c->partial = 0;
		n = givefd_recv(c->fd, c->fds, &room, buf, len);
	}
	if (n >= 0)
		c->nfds = room;
	return n;
}

/* What is wrong with a decoded header on this connection, or 0. */
static int header_error(const struct conn *c)
{
	if (c->h.nfds != c->nfds)
		return EPROTO;
	return c->h.flags != 0 && !c->quiet ? EBADMSG : 0;
}

/* On a message socket: one whole frame, its descriptors with it. Returns
 * its size, 0 or -1 as recv does, or -2 after answering a bad frame. */
static ssize_t read_message(size_t ci)
{
	static unsigned char msg[FSP_HDR_SIZE + FSP_MAX_BODY];
	struct conn *c = &S.conns[ci];
	ssize_t n;
	int err;

	n = recv_start(ci, msg, sizeof msg);
	if (n <= 0)
		return n;
	err = fsp_header_decode(msg, (size_t)n, &c->h) == -1 ? errno
	      : (size_t)n != FSP_HDR_SIZE + c->h.len ? EBADMSG
	      : header_error(c);
	if (err == 0 && c->h.len > 0) {
		c->body = malloc(c->h.len);
		if (c->body == NULL)
			err = ENOMEM;
		else
			memcpy(c->body, msg + FSP_HDR_SIZE, c->h.len);
	}
	if (err != 0) {
		send_error(ci, 0, err, "bad frame");
		c->closing = 1;
		return -2;
	}
	return n;
}

/* Reads what is there up to the end of one frame (poll tells of the
 * next). Returns 1 in a child. */
static int conn_read(size_t ci)
{
	struct conn *c = &S.conns[ci];

	while (c->fd != -1 && !c->closing && !c->parked) {
		ssize_t n;

		if (c->message) {
			n = read_message(ci);
			if (n > 0)
				return handle_frame(ci);
		} else if (c->hdrlen == 0) {
			/* Descriptors come with a frame's first bytes. */
			n = recv_start(ci, c->hdr, FSP_HDR_SIZE);
		} else if (c->hdrlen < FSP_HDR_SIZE) {
			n = recv(c->fd, c->hdr + c->hdrlen, FSP_HDR_SIZE - c->hdrlen, 0);
		} else {
			n = recv(c->fd, c->body + c->bodylen, c->h.len - c->bodylen, 0);
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n == -2)
			return 0; /* answered and closing */
		if (n <= 0) {
			if (n == -1 && errno != EPIPE && errno != ECONNRESET)
				send_error(ci, 0, errno, "bad message");
			c->closing = 1;
			c->outlen = errno == EPIPE || n == 0 ? 0 : c->outlen;
			return 0;
		}
		if (c->hdrlen < FSP_HDR_SIZE) {
			c->hdrlen += (size_t)n;
			if (c->hdrlen < FSP_HDR_SIZE)
				continue;
			int err = fsp_header_decode(c->hdr, FSP_HDR_SIZE, &c->h) == -1
			          ? errno : header_error(c);

			if (err != 0) {
				send_error(ci, 0, err, "bad frame header");
				c->closing = 1;
				return 0;
			}
			if (c->h.len > 0) {
				c->body = malloc(c->h.len);
				if (c->body == NULL) {
					c->closing = 1;
					return 0;
				}
				continue;
			}
		} else {
			c->bodylen += (size_t)n;
			if (c->bodylen < c->h.len)
				continue;
		}
		return handle_frame(ci);
	}
	return 0;
}

/* Tells the client of a child that ended, and frees its slot: EXITED, or
 * for a child whose set-up failed the ERROR that ends its run. */
static void report_exit(struct child *kid, int status)
{
	unsigned char buf[FSP_HDR_SIZE + 8];
	struct fsp_exited e;
	char msg[64];

	if (kid->conn >= 0 && kid->err != 0) {
		if (kid->failed >= 0)
			snprintf(msg, sizeof msg, "cannot make descriptor %ld in"
			         " the child", kid->failed);
		else
			snprintf(msg, sizeof msg, "the child's set-up failed");
		run_error((size_t)kid->conn, kid->id, kid->err, msg);
	} else if (kid->conn >= 0) {
		announce(kid);
		e.status = (uint32_t)status;
		e.flags = kid->timedout ? FSP_EXIT_TIMEDOUT : 0;
		conn_put((size_t)kid->conn, buf,
		         fsp_exited_encode(kid->id, &e, buf, sizeof buf));
	}
	kid->pid = 0;
	S.running--;
}

/* Reaps the children that ended, one waitid a child however many run.
 * What is left of a child's process group is killed while its zombie
 * still holds the group's id. A child the target started before its fork
 * point is reaped too, as nobody else will, and not reported. */
static void reap(void)
{
	for (;;) {
		struct child *kid = NULL;
		siginfo_t info;
		int st = 0;
		size_t k;
		pid_t pid, r;

		memset(&info, 0, sizeof info);
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == -1) {
			if (errno == EINTR)
				continue;
			return;                 /* ECHILD: no children */
		}
		pid = info.si_pid;
		if (pid == 0)
			return;                 /* none has ended */
		read_setup_words();     /* what it said is all there now */
		for (k = 0; k < S.max_children && kid == NULL; k++)
			if (S.kids[k].pid == pid)
				kid = &S.kids[k];
		if (kid != NULL)
			(void)kill(-pid, SIGKILL);
		do
			r = waitpid(pid, &st, WNOHANG);
		while (r == -1 && errno == EINTR);
		if (r != pid)
			return;                 /* the next wake-up tries again */
		if (kid != NULL)
			report_exit(kid, st);
	}
}

/* Parked RUN requests take the slots that freed, in connection order
 * after the last one served. Returns 1 in a child. */
static int unpark(void)
{
	static size_t next;
	size_t i;

	for (i = 0; i < FS_MAX_CONNS && S.running < S.max_children; i++) {
		size_t ci = (next + i) % FS_MAX_CONNS;

		if (S.conns[ci].fd == -1 || !S.conns[ci].parked)
			continue;
		S.conns[ci].parked = 0;
		next = ci + 1;
		if (handle_frame(ci))
			return 1;
	}
	return 0;
}

static int poll_timeout(void)
{
	long long now = fs_now_ms(), first = 0;
	size_t k;

	for (k = 0; k < S.max_children; k++) {
		struct child *kid = &S.kids[k];

		if (kid->pid == 0 || kid->deadline == 0 || kid->timedout)
			continue;
		if (kid->deadline <= now) {
			kid->timedout = 1;
			kill_child(kid, SIGKILL);
			continue;
		}
		if (first == 0 || kid->deadline < first)
			first = kid->deadline;
	}
	if (first == 0)
		return -1;
	return first - now > INT_MAX ? INT_MAX : (int)(first - now);
}

static void shut_down(void)
{
	size_t k;

	for (k = 0; k < S.max_children; k++) {
		if (S.kids[k].pid != 0) {
			int st;

			kill_child(&S.kids[k], SIGKILL);
			while (waitpid(S.kids[k].pid, &st, 0) == -1 && errno == EINTR)
				;
			(void)kill(-S.kids[k].pid, SIGKILL);
		}
	}
	_exit(0);
}

/* Connections whose frame's start is still arriving: looked at again,
 * and closed when it takes too long. Returns 1 in a child. */
static int recheck_partial(int *timeout)
{
	long long now = fs_now_ms();
	size_t ci;

	for (ci = 0; ci < FS_MAX_CONNS; ci++) {
		struct conn *c = &S.conns[ci];

		if (c->fd == -1 || c->partial == 0 || c->closing)
			continue;
		if (now - c->partial >= S.frame_ms) {
			send_error(ci, 0, ETIMEDOUT, "frame not finished in time");
			c->closing = 1;
			continue;
		}
		if (conn_read(ci))
			return 1;
		if (c->partial != 0 && (*timeout < 0 || *timeout > FS_RECHECK_MS))
			*timeout = FS_RECHECK_MS;
	}
	return 0;
}

/* Connections of one uid, as the kernel gave it (unknown ones share
 * one count), are limited, so that one user cannot take every slot. */
static void accept_one(void)
{
	int fd = accept(S.ctl, NULL, NULL);
	size_t ci, same = 0;
	uid_t uid;
	gid_t gid;

	if (fd == -1)
		return;
	if (set_flags(fd, O_NONBLOCK, FD_CLOEXEC) == -1) {
		close(fd);
		return;
	}
	if (getpeereid(fd, &uid, &gid) == -1)
		uid = (uid_t)-1;
	for (ci = 0; ci < FS_MAX_CONNS; ci++)
		if (S.conns[ci].fd != -1 && S.conns[ci].uid == uid)
			same++;
	if (same >= S.user_conns)
		refuse_conn(fd, "too many connections of this user");
	else
		conn_add(fd, uid);
}

/* Closes the connections whose WANT is overdue; shortens *timeout to the
 * next one due. */
static void expire_greetings(int *timeout)
{
	long long now = fs_now_ms();
	size_t ci;

	for (ci = 0; ci < FS_MAX_CONNS; ci++) {
		struct conn *c = &S.conns[ci];
		long long left = c->greet_by - now;

		if (c->fd == -1 || c->greet_by == 0 || c->closing)
			continue;
		if (left <= 0) {
			send_error(ci, 0, ETIMEDOUT, "no WANT in time");
			c->closing = 1;
		} else if (*timeout < 0 || left < *timeout) {
			*timeout = (int)left;
		}
	}
}

/* The self-pipe said a child ended: reaps, and starts the parked runs
 * that now have a slot. Returns 1 in a child. */
static int woken(void)
{
	char drain[64];

	/* Anything left wakes the next poll. */
	(void)read(S.wake[0], drain, sizeof drain);
	reap();
	return unpark();
}

/* The poll loop. Returns only in a child (0). */
static int serve(void)
{
	struct pollfd p[FS_MAX_CONNS + 4];
	size_t map[FS_MAX_CONNS + 4];

	for (;;) {
		size_t np = 0, i, ci;
		int timeout = poll_timeout(), r;

		if (recheck_partial(&timeout))
			return 0;
		expire_greetings(&timeout);

		p[np].fd = S.wake[0];
		p[np++].events = POLLIN;
		p[np].fd = S.report[0];
		p[np++].events = POLLIN;
		if (S.alive != -1) {
			p[np].fd = S.alive;
			p[np++].events = POLLIN;
		}
		if (S.listening) {
			p[np].fd = S.ctl;
			p[np++].events = POLLIN;
		}
		for (ci = 0; ci < FS_MAX_CONNS; ci++) {
			struct conn *c = &S.conns[ci];

			if (c->fd == -1)
				continue;
			if (c->closing && c->outlen == 0) {
				conn_close(ci);
				if (!S.listening)
					shut_down();
				continue;
			}
			map[np] = ci;
			p[np].fd = c->fd;
			p[np].events = (short)((c->parked || c->closing || c->partial
			                        ? 0 : POLLIN) |
			                       (c->outlen > 0 ? POLLOUT : 0));
			np++;
		}
		r = poll(p, (nfds_t)np, timeout);
		if (r == -1 && errno != EINTR)
			shut_down();
		/* Interrupted: most likely SIGCHLD, whose byte is in the pipe
		 * already; no other poll needed to learn that. */
		if (r == -1 && woken())
			return 0;
		if (r <= 0)
			continue;
		for (i = 0; i < np; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == S.wake[0]) {
				if (woken())
					return 0;
			} else if (p[i].fd == S.report[0]) {
				read_setup_words();
			} else if (p[i].fd == S.alive) {
				shut_down();
			} else if (S.listening && p[i].fd == S.ctl) {
				accept_one();
			} else {
				ci = map[i];
				if ((p[i].revents & POLLOUT) != 0)
					conn_flush(ci);
				if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
				    conn_read(ci))
					return 0;
				if ((p[i].revents & (POLLHUP | POLLERR)) != 0 &&
				    (p[i].revents & POLLIN) == 0)
					S.conns[ci].closing = 1;
			}
		}
	}
}

static int setup(int ctl, int alive, int max_children)
{
	struct sigaction sa;
	int acc = 0;
	socklen_t len = sizeof acc;
	size_t ci;

	S.ctl = ctl;
	S.alive = alive;
	S.self = getpid();
	S.max_children = (size_t)max_children;
	S.listening = getsockopt(ctl, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0 &&
	              acc != 0;
	if (S.listening && alive == -1) {
		errno = EINVAL; /* nothing would ever tell it to stop */
		return -1;
	}
	S.kids = calloc((size_t)max_children, sizeof *S.kids);
	if (S.kids == NULL || pipe(S.wake) == -1 || pipe(S.report) == -1)
		return -1;
	if (set_flags(S.wake[0], O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    set_flags(S.wake[1], O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    set_flags(S.report[0], O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    set_flags(S.report[1], O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    set_flags(ctl, O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    (alive != -1 && set_flags(alive, 0, FD_CLOEXEC) == -1))
		return -1;
	for (ci = 0; ci < FS_MAX_CONNS; ci++)
		S.conns[ci].fd = -1;
	fs_note_signals();
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		return -1;
	if (!S.listening)
		conn_add(ctl, geteuid());
	if (alive != -1) {
		char ready = 'R';

		(void)send(alive, &ready, 1, MSG_NOSIGNAL);
	}
	return 0;
}

int forkserver_start(void)
{
	const char *f0 = getenv("CENTIPEDE_FORK_SERVER_FIFO0");
	const char *f1 = getenv("CENTIPEDE_FORK_SERVER_FIFO1");
	const char *bad;
	long v[FS_NSETTINGS];
	int r;

	if (started)
		return 1;
	started = 1;
	/* Children see the environment the caller of forkserver serve had:
	 * not what serve set for the target alone, nor the channel. */
	fs_env_give_back();
	if (f0 != NULL && f1 != NULL && *f0 != '\0' && *f1 != '\0') {
		if (fs_check_threads() == -1)
			return -1;
		return fs_centipede_serve(f0, f1);
	}
	r = fs_settings_take(v, &bad);
	if (r == 0 && v[FS_SET_FD] == -1)
		return 1;
	if (r == -1 || fcntl((int)v[FS_SET_FD], F_GETFD) == -1) {
		fprintf(stderr, "forkserver: bad %s\n",
		        bad != NULL ? bad : fs_settings[FS_SET_FD].name);
		errno = EINVAL;
		return -1;
	}
	S.frame_ms = (int)v[FS_SET_FRAME_MS];
	S.handshake_ms = (int)v[FS_SET_HANDSHAKE_MS];
	S.user_conns = (size_t)v[FS_SET_USER_CONNS];
	if (fs_check_threads() == -1 ||
	    setup((int)v[FS_SET_FD], (int)v[FS_SET_ALIVE],
	          (int)v[FS_SET_MAX_CHILDREN]) == -1) {
		int err = errno;

		fprintf(stderr, "forkserver: cannot serve: %s\n", strerror(err));
		errno = err;
		return -1;
	}
	return serve();
}

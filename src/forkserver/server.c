/* SPDX-License-Identifier: ISC */
/*
 * server.c: the fork server inside the target. forkserver_start() reads
 * its settings from the environment (environ.h) and runs one poll loop
 * over its control channel, its connections (conn.c) and its children
 * (kids.c): it does what each whole frame asks, and exits, killing its
 * children, when its controller goes away.
 *
 * The control channel is a connected socket (its end of file is the
 * controller leaving) or a listening one (then an alive socket whose end
 * of file is the controller leaving, and which gets one byte when the
 * server is ready).
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
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "conn.h"
#include "environ.h"
#include "forkserver.h"
#include "kids.h"
#include "protocol.h"
#include "server.h"

static struct {
	int ctl, listening, alive;
	int wake[2];                     /* SIGCHLD's self-pipe */
	int handshake_ms;
	size_t user_conns;               /* one uid's connections at most */
} S;

static int started;

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

int fs_set_flags(int fd, int fl, int fdfl)
{
	int old = fcntl(fd, F_GETFL);

	if (old == -1 || fcntl(fd, F_SETFL, old | fl) == -1)
		return -1;
	old = fcntl(fd, F_GETFD);
	return old == -1 || fcntl(fd, F_SETFD, old | fdfl) == -1 ? -1 : 0;
}

void fs_close_held(size_t self, int dir)
{
	size_t ci, i;

	(void)close(S.ctl);
	if (S.alive != -1)
		(void)close(S.alive);
	if (S.wake[0] != -1) {
		(void)close(S.wake[0]);
		(void)close(S.wake[1]);
	}
	(void)close(fs_kids_report_fd());
	for (ci = 0; ci < fs_conns_end; ci++) {
		if (fs_conns[ci].fd == -1)
			continue;
		if (fs_conns[ci].fd != S.ctl)    /* the connected control socket */
			(void)close(fs_conns[ci].fd);
		/* A served frame's were closed by the server already. */
		for (i = 0; ci != self && !fs_conns[ci].served &&
		            i < fs_conns[ci].nfds; i++)
			(void)close(fs_conns[ci].fds[i]);
		if (fs_conns[ci].cwd != -1 && fs_conns[ci].cwd != dir)
			(void)close(fs_conns[ci].cwd);
	}
}

int fs_request(size_t ci)
{
	struct conn *c = &fs_conns[ci];
	const struct fsp_header *h = &c->h;
	struct fsp_want w;
	int in_child = 0;

	if (!c->greeted) {
		if (h->type != FSP_WANT || fsp_want_decode(c->body, h->len, &w) == -1) {
			fs_conn_error(ci, h->id, EPROTO, "expected WANT");
			c->closing = 1;
		} else if (w.version < FSP_VERSION_MIN || w.version > FSP_VERSION) {
			fs_conn_error(ci, 0, EPROTONOSUPPORT, "protocol version not spoken");
			c->closing = 1;
		} else {
			c->greeted = 1;
			c->greet_by = 0;
			c->quiet = (w.features & FSP_FEATURE_QUIET) != 0;
			c->keep_cwd = w.version >= 2 &&
			              (w.features & FSP_FEATURE_KEEP_CWD) != 0;
			c->version = w.version;
		}
	} else if (h->type == FSP_RUN) {
		/* Written only when it changes: a child writes nothing here. */
		in_child = fs_kids_run(ci, h, c->body);
		if (in_child == 2) {
			c->parked = 1;
			return 0;
		}
	} else if (h->type == FSP_SIGNAL) {
		fs_kids_signal(ci, h, c->body);
	} else {
		fs_conn_error(ci, h->id, EBADMSG, "not a request");
	}
	if (in_child)
		return 1;
	fs_conn_frame_done(ci);
	return 0;
}

/* Parked RUN requests take the slots that freed, in connection order
 * after the last one served. Returns 1 in a child. */
static int unpark(void)
{
	static size_t next;
	size_t i;

	for (i = 0; i < fs_conns_end && !fs_kids_full(); i++) {
		size_t ci = (next + i) % fs_conns_end;

		if (fs_conns[ci].fd == -1 || !fs_conns[ci].parked)
			continue;
		fs_conns[ci].parked = 0;
		next = ci + 1;
		if (fs_request(ci))
			return 1;
	}
	return 0;
}

static void shut_down(void)
{
	fs_kids_end();
	_exit(0);
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
	if (fs_set_flags(fd, O_NONBLOCK, FD_CLOEXEC) == -1) {
		close(fd);
		return;
	}
	if (getpeereid(fd, &uid, &gid) == -1)
		uid = (uid_t)-1;
	for (ci = 0; ci < fs_conns_end; ci++)
		if (fs_conns[ci].fd != -1 && fs_conns[ci].uid == uid)
			same++;
	if (same >= S.user_conns)
		fs_conn_refuse(fd, "too many connections of this user");
	else
		fs_conn_add(fd, uid, S.handshake_ms);
}

/* The self-pipe said a child ended: reaps, and starts the parked runs
 * that now have a slot. Returns 1 in a child. */
static int woken(void)
{
	char drain[64];

	/* Anything left wakes the next poll. */
	if (S.wake[0] != -1)
		(void)read(S.wake[0], drain, sizeof drain);
	fs_kids_reap();
	return unpark();
}

/* What the poll loop watches: conn[i] is the connection of p[first + i],
 * the first connection's entry. Together, so that a run writes one page
 * of them. */
struct watched {
	size_t conn[FS_MAX_CONNS];
	struct pollfd p[FS_MAX_CONNS + 4 + 2 * FS_MAX_CHILDREN];
};

/* Up to this many descriptors to watch, the tables live on poll_loop's
 * stack, in a page each run writes anyway; more, in a struct watched. */
#define WATCHED_ON_STACK 32

/* The poll loop, over w when its stack's tables are too small.
 * Returns only in a child (0). */
static int poll_loop(struct watched *w)
{
	struct pollfd near_p[WATCHED_ON_STACK];
	size_t near_conn[WATCHED_ON_STACK];

	for (;;) {
		size_t np = 0, i, ci, loops, first_conn;
		int timeout = fs_kids_deadline(), r;
		int near = 4 + 2 * fs_kids_running() + fs_conns_end <=
		           WATCHED_ON_STACK;
		struct pollfd *p = near ? near_p : w->p;
		size_t *conn = near ? near_conn : w->conn;

		if (fs_conn_deadlines(&timeout))
			return 0;

		if (S.wake[0] != -1) {
			p[np].fd = S.wake[0];
			p[np++].events = POLLIN;
		}
		p[np].fd = fs_kids_report_fd();
		p[np++].events = POLLIN;
		if (S.alive != -1) {
			p[np].fd = S.alive;
			p[np++].events = POLLIN;
		}
		if (S.listening) {
			p[np].fd = S.ctl;
			p[np++].events = POLLIN;
		}
		/* The children's loop sockets and pidfds, then the
		 * connections. */
		loops = np;
		np += fs_kids_poll_fds(p + np);
		first_conn = np;
		for (ci = 0; ci < fs_conns_end; ci++) {
			struct conn *c = &fs_conns[ci];

			if (c->fd == -1)
				continue;
			if (c->closing && c->outlen == 0) {
				fs_conn_close(ci);
				if (!S.listening)
					shut_down();
				continue;
			}
			conn[np - first_conn] = ci;
			p[np].fd = c->fd;
			p[np].events = (short)((c->parked || c->closing ? 0 : POLLIN) |
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
			if (S.wake[0] != -1 && p[i].fd == S.wake[0]) {
				if (woken())
					return 0;
			} else if (p[i].fd == fs_kids_report_fd()) {
				fs_kids_heard();
			} else if (p[i].fd == S.alive) {
				shut_down();
			} else if (S.listening && p[i].fd == S.ctl) {
				accept_one();
			} else if (i >= loops && i < first_conn) {
				fs_kids_polled(p[i].fd);
				if (unpark())
					return 0;
			} else {
				ci = conn[i - first_conn];
				if ((p[i].revents & POLLOUT) != 0)
					fs_conn_flush(ci);
				if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
				    fs_conn_read(ci))
					return 0;
				if ((p[i].revents & (POLLHUP | POLLERR)) != 0 &&
				    (p[i].revents & POLLIN) == 0)
					fs_conns[ci].closing = 1;
			}
		}
	}
}

/* Returns only in a child (0). The loop's large tables are static, with
 * room for the most descriptors it can watch (each child's loop socket
 * and pidfd): a child has nothing to free, which would write to the
 * server's pages and so copy them, and the pages past those in use are
 * never touched. */
static int serve(void)
{
	static struct watched w;

	return poll_loop(&w);
}

/* How the server learns that a child ended: from the child's pidfd,
 * polled with the rest, SIGCHLD at its default (whatever the target had:
 * ignored, children would be reaped behind the server's back); or, with
 * no pidfds or when the target has children of its own, from SIGCHLD,
 * whose handler writes to a self-pipe. 0, or -1 and errno with nothing
 * left open. */
static int watch_children(void)
{
	struct sigaction sa;
	int err;

	S.wake[0] = S.wake[1] = -1;
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	if (!fs_kids_have_pidfds()) {
		if (pipe(S.wake) == -1)
			return -1;
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	}
	if ((S.wake[0] == -1 ||
	     (fs_set_flags(S.wake[0], O_NONBLOCK, FD_CLOEXEC) == 0 &&
	      fs_set_flags(S.wake[1], O_NONBLOCK, FD_CLOEXEC) == 0)) &&
	    sigaction(SIGCHLD, &sa, NULL) == 0)
		return 0;
	err = errno;
	if (S.wake[0] != -1) {
		close(S.wake[0]);
		close(S.wake[1]);
		S.wake[0] = S.wake[1] = -1;
	}
	errno = err;
	return -1;
}

/* Takes the control channel (and alive), makes the server's pipes and
 * signal handlers; failing leaves none of them open. */
static int setup(int ctl, int alive, int max_children, int frame_ms)
{
	struct sigaction sa;
	int acc = 0;
	socklen_t len = sizeof acc;

	S.ctl = ctl;
	S.alive = alive;
	S.listening = getsockopt(ctl, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0 &&
	              acc != 0;
	if (S.listening && alive == -1) {
		errno = EINVAL; /* nothing would ever tell it to stop */
		return -1;
	}
	if (fs_set_flags(ctl, O_NONBLOCK, FD_CLOEXEC) == -1 ||
	    (alive != -1 && fs_set_flags(alive, 0, FD_CLOEXEC) == -1) ||
	    fs_kids_init((size_t)max_children, getpid()) == -1)
		return -1;
	if (watch_children() == -1) {
		fs_kids_fini();
		return -1;
	}
	fs_conn_init(frame_ms);
	/* The server's sends say MSG_NOSIGNAL, and SIGPIPE stays as the
	 * target had it; where a send cannot say so, the server ignores it. */
	if (MSG_NOSIGNAL == 0) {
		sa.sa_handler = SIG_IGN;
		sa.sa_flags = 0;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, NULL);
	}
	/* The target's dispositions and the server's (SIGCHLD's handler,
	 * SIGPIPE where ignored), which each child sets back to the
	 * default. */
	fs_note_signals();
	/* What the target buffered is written once, here, not before each
	 * fork: only the server's code runs in this process from now on, and
	 * it buffers no output, so no child starts with any. (A flush before
	 * each fork writes stdio's pages, which the fork then makes copy on
	 * write again: a page fault a run.) */
	fflush(NULL);
	/* A connected control socket is the controller's own: no deadline. */
	if (!S.listening)
		fs_conn_add(ctl, geteuid(), 0);
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
	S.handshake_ms = (int)v[FS_SET_HANDSHAKE_MS];
	fs_kids_allow_loops(v[FS_SET_LOOP] == 1);
	S.user_conns = (size_t)v[FS_SET_USER_CONNS];
	if (fs_check_threads() == -1 ||
	    setup((int)v[FS_SET_FD], (int)v[FS_SET_ALIVE],
	          (int)v[FS_SET_MAX_CHILDREN], (int)v[FS_SET_FRAME_MS]) == -1) {
		int err = errno;

		fprintf(stderr, "forkserver: cannot serve: %s\n", strerror(err));
		errno = err;
		return -1;
	}
	return serve();
}

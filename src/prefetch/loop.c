/* SPDX-License-Identifier: ISC */
/*
 * loop.c: one poll loop for every connection. Each connection owns an
 * input buffer holding at most one frame, the descriptors received ahead
 * of their frame, and the reply being sent. A frame is only handled when
 * the previous reply is gone, so a client that stops reading only stalls
 * itself. A connection whose framing is lost gets one error reply and is
 * closed; nothing a peer sends ends the loop except EXIT. A lock request
 * goes to the lock pool, and advice (or a replay: replay.c) is given a
 * bounded step per turn of the loop: meanwhile its connection waits,
 * unpolled, and the others go on. A socket peer is known by its uid
 * (from the kernel), which must agree on a version within the handshake
 * deadline and stay within its quotas of connections and of descriptors
 * in flight: a connection is only read from when what it could receive
 * fits in its uid's share (pf_conn_may_read). In pipe mode the
 * descriptors are shared with the parent: they are left blocking, and
 * are only read or written when poll says so. Messages are received with
 * a givefd_receiver, which never waits: one that stops half-way holds
 * only its own connection, closed after PREFETCHD_MESSAGE_MS.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "givefd.h"
#include "compat.h"
#include "handler.h"
#include "log.h"
#include "loop.h"
#include "monoclock.h"

/* Descriptors queued ahead of their frames: the most one frame carries,
 * and a few for frames pipelined behind it. */
#define PF_FDQ (PF_MAX_FDS_PER_FRAME + 8)
#define PF_ACCEPT_BACKOFF_MS 1000 /* out of descriptors: accept later */

struct pf_conn {
	struct pf_conn *next;
	uint64_t serial;
	int waiting;            /* for a lock job or advice: not polled */
	size_t waiting_fds;     /* the descriptors its request came with */
	struct pf_usage *usage; /* its uid's, which outlives it */
	int in, out;
	int last;               /* pipe mode: the loop ends with it */
	int shared;             /* pipe mode: left blocking, as found */
	int sock;               /* replies with send(): no descriptor leaves */
	int64_t hello_by;       /* monotonic ms; 0: no deadline */
	int closing;            /* close once the reply is sent */
	int eof;                /* the peer sent all it will send */
	struct givefd_receiver *rx;     /* made at the first read */
	int64_t begun;          /* a message began to arrive then; 0: none */
	struct pf_client cl;
	uint8_t ibuf[PF_MAX_FRAME];
	size_t ilen;
	int fdq[PF_FDQ];
	size_t nfdq;
	uint8_t obuf[PF_MAX_FRAME];
	size_t olen, opos;
};

struct pf_loop {
	struct pf_state *st;
	int listen_fd;
	struct pf_conn *conns;
	unsigned nconns;
	int stop;
	int notify_fd;          /* the lock pool's, or -1 */
	uint64_t serial;
	int hello_timeout;      /* seconds, 0: none */
	int64_t message_ms;     /* PREFETCHD_MESSAGE_MS */
	int64_t accept_after;   /* monotonic ms: backing off until then */
	int failed;             /* the listening socket broke */
};

static int pf_sig_pipe[2] = { -1, -1 };

static void pf_on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(pf_sig_pipe[1], &c, 1) == -1)
		errno = saved;
	errno = saved;
}

static int pf_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* How long a message begun may take to come whole:
 * PREFETCHD_MESSAGE_MS, or 5 s. */
#define PF_MESSAGE_MS 5000

static int64_t pf_message_ms(void)
{
	const char *s = getenv("PREFETCHD_MESSAGE_MS");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return PF_MESSAGE_MS;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v <= 86400000 ? v : PF_MESSAGE_MS;
}

struct pf_loop *pf_loop_new(struct pf_state *st, int listen_fd)
{
	struct pf_loop *lp = calloc(1, sizeof *lp);
	struct sigaction sa;

	if (lp == NULL)
		return NULL;
	lp->st = st;
	lp->listen_fd = listen_fd;
	lp->notify_fd = -1;
	lp->message_ms = pf_message_ms();
	if (pf_sig_pipe[0] == -1) {
		if (pipe2(pf_sig_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
			free(lp);
			return NULL;
		}
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = pf_on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	if (listen_fd != -1)
		pf_nonblock(listen_fd);
	return lp;
}

int pf_loop_signal_fd(void)
{
	return pf_sig_pipe[1];
}

void pf_loop_set_notify(struct pf_loop *lp, int fd)
{
	lp->notify_fd = fd;
}

void pf_loop_set_hello_timeout(struct pf_loop *lp, int seconds)
{
	lp->hello_timeout = seconds;
}

/* A new connection; in and out are closed if it cannot be made. */
static struct pf_conn *pf_conn_new(struct pf_loop *lp, int in, int out)
{
	struct pf_conn *c = NULL;

	if (lp->nconns >= PF_MAX_CONNS)
		errno = EMFILE;
	else
		c = malloc(sizeof *c);
	if (c == NULL) {
		int saved = errno;

		close(in);
		if (out != in)
			close(out);
		errno = saved;
		return NULL;
	}
	memset(c, 0, offsetof(struct pf_conn, ibuf));
	c->in = in;
	c->out = out;
	c->ilen = c->nfdq = c->olen = c->opos = 0;
	c->cl.owner = c;
	c->serial = ++lp->serial;
	c->next = lp->conns;
	lp->conns = c;
	lp->nconns++;
	lp->st->connections = lp->nconns;
	return c;
}

int pf_loop_add(struct pf_loop *lp, int in, int out, int last)
{
	struct pf_usage *u = pf_usage_get(&lp->st->usage, geteuid());
	struct pf_conn *c;

	if (u == NULL) {
		close(in);
		if (out != in)
			close(out);
		return -1;
	}
	c = pf_conn_new(lp, in, out);
	if (c == NULL)
		return -1;
	c->last = last;
	c->shared = 1;
	c->cl.uid = u->uid;
	c->cl.trusted = 1; /* the parent who started the daemon */
	c->usage = u;
	u->conns++;
	return 0;
}

static void pf_fdq_close(struct pf_conn *c, size_t from)
{
	size_t i;

	for (i = from; i < c->nfdq; i++)
		close(c->fdq[i]);
	if (from < c->nfdq)
		c->nfdq = from;
}

static void pf_conn_free(struct pf_loop *lp, struct pf_conn *c)
{
	c->usage->conns--;
	pf_client_release(&c->cl);
	pf_session_drop_owner(lp->st, c);
	pf_usage_trim(&lp->st->usage);
	pf_fdq_close(c, 0);
	givefd_receiver_free(c->rx);
	close(c->in);
	if (c->out != c->in)
		close(c->out);
	if (c->last)
		lp->stop = 1;
	free(c);
	lp->nconns--;
	lp->st->connections = lp->nconns;
}

/* Sends some of the reply: what a socket takes without blocking, or, on
 * a descriptor shared with the parent, what poll said fits (a pipe takes
 * PIPE_BUF bytes once writable). A socket peer gets plain bytes; the
 * parent, through libgivefd, what its backend expects. */
static ssize_t pf_conn_send(struct pf_conn *c, const void *buf, size_t len)
{
	if (c->sock)
		return send(c->out, buf, len, MSG_NOSIGNAL);
	if (c->shared && len > PIPE_BUF)
		len = PIPE_BUF;
	return givefd_send(c->out, NULL, 0, buf, len);
}

/* Sends what is left of the reply: 0 done or waiting, -1 connection gone.
 * A shared descriptor gets one write per call, after poll. */
static int pf_conn_flush(struct pf_conn *c)
{
	while (c->opos < c->olen) {
		ssize_t n = pf_conn_send(c, c->obuf + c->opos, c->olen - c->opos);

		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -1;
		}
		c->opos += (size_t)n;
		if (c->shared && c->opos < c->olen)
			return 0;
	}
	c->olen = c->opos = 0;
	return c->closing ? -1 : 0;
}

/* Moves the n descriptors queued for this frame into fds. */
static void pf_fdq_take(struct pf_conn *c, size_t n, int *fds)
{
	memcpy(fds, c->fdq, n * sizeof c->fdq[0]);
	memmove(c->fdq, c->fdq + n, (c->nfdq - n) * sizeof c->fdq[0]);
	c->nfdq -= n;
}

/* Handles every whole frame in the input while no reply is pending. */
static void pf_conn_frames(struct pf_loop *lp, struct pf_conn *c)
{
	while (c->olen == 0 && !c->closing && !c->waiting && !lp->stop) {
		struct pf_header hdr;
		struct pf_request req;
		struct pf_writer w;
		int whole = pf_frame_peek(c->ibuf, c->ilen, PF_MAX_FRAME, &hdr);
		int fds[PF_FDQ];
		size_t i;

		pf_writer_init(&w, c->obuf, sizeof c->obuf);
		if (whole == 0)
			break;
		if (whole < 0 || hdr.nfds > c->nfdq) {
			/* Framing is lost: say why, then hang up. */
			pf_handle_error(&hdr, whole < 0 ? errno : EPROTO, &w);
			pf_log(LOG_DEBUG, "closing a connection: %s",
			       strerror(whole < 0 ? errno : EPROTO));
			c->olen = w.len;
			c->closing = 1;
			break;
		}
		pf_fdq_take(c, hdr.nfds, fds);
		if (pf_request_decode(c->ibuf, hdr.len, &req) == 0) {
			pf_handle(lp->st, &c->cl, &req, fds, &w);
			if (c->cl.deferred != NULL) {
				c->cl.deferred->conn = c->serial;
				pf_lockpool_submit(c->cl.deferred);
				c->cl.deferred = NULL;
				c->waiting = 1;
			} else if (pf_client_stepping(&c->cl)) {
				c->waiting = 1;
			}
			c->waiting_fds = c->waiting ? hdr.nfds : 0;
		} else {
			pf_handle_error(&hdr, errno, &w);
			for (i = 0; i < hdr.nfds; i++)
				close(fds[i]);
		}
		c->olen = w.len;
		memmove(c->ibuf, c->ibuf + hdr.len, c->ilen - hdr.len);
		c->ilen -= hdr.len;
		if (c->ilen == 0)
			pf_fdq_close(c, 0); /* descriptors no frame claimed */
		if (c->cl.hello)
			c->hello_by = 0;
		if (c->cl.stop)
			lp->stop = 1;
		if (!c->shared && pf_conn_flush(c) == -1)
			c->closing = 1;
	}
}

/* Counts afresh what each uid has sent and no request has settled yet:
 * descriptors queued ahead of their frame, or held by a request under
 * way. Reads add to it as they go (pf_conn_read). */
static void pf_count_pending(struct pf_loop *lp)
{
	struct pf_usage *u;
	struct pf_conn *c;

	for (u = lp->st->usage; u != NULL; u = u->next)
		u->pending = 0;
	for (c = lp->conns; c != NULL; c = c->next)
		c->usage->pending += (unsigned)(c->nfdq + c->waiting_fds);
}

/* Whether a read on c, with the most descriptors it could bring, keeps
 * its uid within its quota of descriptors in flight. A connection that
 * holds all its uid's may always read (it can hold no more than PF_FDQ),
 * so that its frame can come whole whatever the quota. A connection that
 * may not read waits, unpolled, holding up only that uid's requests; the
 * one of them that read last can always read on, so they never all wait
 * for each other. */
static int pf_conn_may_read(const struct pf_loop *lp, const struct pf_conn *c)
{
	unsigned pending = c->usage->pending;

	return pending == c->nfdq ||
	       pending + (PF_FDQ - c->nfdq) <= lp->st->limits.pending;
}

/* Reads what the peer sent: 0, 1 at its end (the frames already in are
 * still answered, for a peer that only shut down its sending side), or -1
 * when the connection should end now. */
static int pf_conn_read(struct pf_conn *c)
{
	int fds[PF_FDQ];
	size_t nfds = PF_FDQ - c->nfdq, i;
	ssize_t n;

	if (c->ilen == sizeof c->ibuf)
		return 0; /* waiting for the reply to go before reading more */
	/* Pipe mode's descriptors come from the parent that started us. */
	if (c->rx == NULL &&
	    (c->rx = givefd_receiver_new(c->in, c->last ? GIVEFD_TRUST_WRITERS
	                                 : 0)) == NULL)
		return -1;
	/* Never waits: a message still arriving stays in c->rx. */
	n = givefd_receiver_recv(c->rx, fds, &nfds, c->ibuf + c->ilen,
	                         sizeof c->ibuf - c->ilen);
	if (!givefd_receiver_pending(c->rx))
		c->begun = 0;
	else if (c->begun == 0)
		c->begun = (int64_t)util_now_ms();
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return errno == EPIPE ? 1 : -1;
	}
	for (i = 0; i < nfds; i++)
		c->fdq[c->nfdq++] = fds[i];
	c->usage->pending += (unsigned)nfds;
	if (n == 0 && nfds == 0)
		return 1;
	c->ilen += (size_t)n;
	return 0;
}

/* Takes a connection in as its peer's uid, within that uid's quota. */
static void pf_take(struct pf_loop *lp, int fd)
{
	struct pf_usage *u;
	struct pf_conn *c;
	uid_t uid;
	gid_t gid;

	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || pf_nonblock(fd) == -1 ||
	    getpeereid(fd, &uid, &gid) == -1 ||
	    (u = pf_usage_get(&lp->st->usage, uid)) == NULL) {
		pf_log(LOG_WARNING, "refusing a connection: %s", strerror(errno));
		close(fd);
		return;
	}
	if (u->conns >= lp->st->limits.conns) {
		pf_log(LOG_DEBUG, "uid %ld has %u connections: refusing another",
		       (long)uid, u->conns);
		close(fd);
		pf_usage_trim(&lp->st->usage);
		return;
	}
	c = pf_conn_new(lp, fd, fd);
	if (c == NULL) {
		pf_log(LOG_WARNING, "refusing a connection: %s", strerror(errno));
		pf_usage_trim(&lp->st->usage);
		return;
	}
	c->sock = 1;
	c->cl.uid = uid;
	c->cl.trusted = uid == 0 || uid == geteuid();
	if (lp->hello_timeout > 0)
		c->hello_by = (int64_t)util_now_ms() + (int64_t)1000 * lp->hello_timeout;
	c->usage = u;
	u->conns++;
}

/* Takes the next connection. hup: poll said the listener hung up or
 * failed, so that an accept that fails, whatever the reason, means it is
 * dead (a shut-down Unix listener answers EAGAIN for ever). */
static void pf_accept(struct pf_loop *lp, int hup)
{
	int fd = accept(lp->listen_fd, NULL, NULL);

	if (fd != -1) {
		pf_take(lp, fd);
		return;
	}
	switch (hup ? EINVAL : errno) {
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case EINTR:
	case ECONNABORTED:
	case EPROTO:
		return;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		/* The connection waits in the backlog; poll would report it
		 * again at once, so the listener rests a while. */
		pf_log(LOG_WARNING, "cannot accept (%s): trying again in %d ms",
		       strerror(errno), PF_ACCEPT_BACKOFF_MS);
		lp->accept_after = (int64_t)util_now_ms() + PF_ACCEPT_BACKOFF_MS;
		return;
	default:
		pf_log(LOG_ERR, "the listening socket failed: %s",
		       hup ? "it hung up" : strerror(errno));
		lp->failed = 1;
		lp->stop = 1;
	}
}

/* Hangs up on connections that did not agree on a version in time, or
 * whose message did not come whole in time, and says how long poll may
 * wait for the next deadline (-1: none). */
static int pf_deadlines(struct pf_loop *lp, int64_t now)
{
	int64_t next = -1;
	struct pf_conn *c;

	for (c = lp->conns; c != NULL; c = c->next) {
		int64_t message_by = c->begun != 0 ? c->begun + lp->message_ms : 0;

		if (c->closing == 2)
			continue;
		if (c->hello_by != 0 && c->hello_by <= now) {
			pf_log(LOG_DEBUG, "closing a connection silent past the "
			       "handshake deadline");
			c->closing = 2;
			continue;
		}
		if (message_by != 0 && message_by <= now) {
			pf_log(LOG_DEBUG, "closing a connection: message not "
			       "finished in time");
			c->closing = 2;
			continue;
		}
		if (c->hello_by != 0 && (next == -1 || c->hello_by < next))
			next = c->hello_by;
		if (message_by != 0 && (next == -1 || message_by < next))
			next = message_by;
	}
	if (lp->accept_after > now && (next == -1 || lp->accept_after < next))
		next = lp->accept_after;
	if (next == -1)
		return -1;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}


/* Ends the wait with a reply of len bytes in obuf, sends it and goes on
 * with the frames already in. */
static void pf_conn_resume(struct pf_loop *lp, struct pf_conn *c, size_t len)
{
	c->olen = len;
	c->waiting = 0;
	c->waiting_fds = 0;
	if (!c->shared && pf_conn_flush(c) == -1) {
		c->closing = 2;
		return;
	}
	pf_conn_frames(lp, c);
	if ((c->closing || c->eof) && c->olen == 0 && !c->waiting)
		c->closing = 2;
}

/* Gives each connection's advice under way one step, and answers those
 * that are over: 1 if some is left for the next turn. */
static int pf_advice_turn(struct pf_loop *lp)
{
	struct pf_conn *c;
	int more = 0;

	for (c = lp->conns; c != NULL; c = c->next) {
		struct pf_writer w;

		if (!pf_client_stepping(&c->cl) || c->closing == 2)
			continue;
		pf_writer_init(&w, c->obuf, sizeof c->obuf);
		pf_handle_advice_step(lp->st, &c->cl, &w);
		if (pf_client_stepping(&c->cl)) {
			more = 1;
			continue;
		}
		pf_conn_resume(lp, c, w.len);
		more |= pf_client_stepping(&c->cl);
	}
	return more;
}

/* Answers the requests whose lock jobs came back. */
static void pf_jobs_done(struct pf_loop *lp)
{
	struct pf_lock_job *job = pf_lockpool_take();

	while (job != NULL) {
		struct pf_lock_job *next = job->next;
		struct pf_conn *c;

		for (c = lp->conns; c != NULL && c->serial != job->conn; c = c->next)
			;
		if (c != NULL && c->waiting) {
			struct pf_writer w;

			pf_writer_init(&w, c->obuf, sizeof c->obuf);
			pf_handle_lock_done(lp->st, job, &w);
			pf_conn_resume(lp, c, w.len);
		} else {
			pf_lock_finish(lp->st, job);
		}
		free(job);
		job = next;
	}
}

static void pf_conn_event(struct pf_loop *lp, struct pf_conn *c,
                          short in_ev, short out_ev)
{
	int gone = 0;

	if (out_ev & (POLLOUT | POLLERR | POLLHUP))
		gone = pf_conn_flush(c) == -1;
	if (!gone && c->olen == 0 && !c->eof && pf_conn_may_read(lp, c) &&
	    (in_ev & (POLLIN | POLLERR | POLLHUP))) {
		int r = pf_conn_read(c);

		gone = r == -1;
		c->eof = r == 1;
	}
	if (!gone) {
		pf_conn_frames(lp, c);
		gone = (c->closing || c->eof) && c->olen == 0 && !c->waiting;
	}
	if (gone)
		c->closing = 2;
}

int pf_loop_run(struct pf_loop *lp)
{
	struct pollfd *pfd = malloc((3 + 2 * PF_MAX_CONNS) * sizeof *pfd);
	int more = 0;

	if (pfd == NULL)
		return -1;
	while (!lp->stop) {
		struct pf_conn *c, **pp;
		nfds_t n = 0;
		char sig[16];
		int64_t now = (int64_t)util_now_ms();
		int timeout = pf_deadlines(lp, now);

		if (more)
			timeout = 0;
		pfd[n].fd = pf_sig_pipe[0];
		pfd[n++].events = POLLIN;
		pfd[n].fd = lp->listen_fd;
		pfd[n++].events = lp->nconns < PF_MAX_CONNS &&
		                  lp->accept_after <= now ? POLLIN : 0;
		pfd[n].fd = lp->notify_fd;
		pfd[n++].events = POLLIN;
		/* One entry for a socket: poll fails (EINVAL) when asked about
		 * more entries than RLIMIT_NOFILE. A connection with nothing
		 * to send that may not read is left out, lest a hang-up be
		 * reported to it on every turn. */
		pf_count_pending(lp);
		for (c = lp->conns; c != NULL; c = c->next) {
			short in = c->olen == 0 && pf_conn_may_read(lp, c) ?
			           POLLIN : 0;
			short out = c->olen > 0 ? POLLOUT : 0;
			int idle = c->waiting || (in | out) == 0;

			pfd[n].fd = idle ? -1 : c->in;
			pfd[n++].events = c->in == c->out ? in | out : in;
			if (c->in != c->out) {
				pfd[n].fd = idle ? -1 : c->out;
				pfd[n++].events = out;
			}
		}
		if (poll(pfd, n, timeout) == -1) {
			if (errno == EINTR)
				continue;
			pf_log(LOG_ERR, "poll: %s", strerror(errno));
			free(pfd);
			return -1;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(pf_sig_pipe[0], sig, sizeof sig) > 0) {
				pf_log(LOG_INFO, "stopping on signal %d", sig[0]);
				lp->stop = 1;
			}
		}
		n = 3;
		for (c = lp->conns; c != NULL; c = c->next) {
			short in = pfd[n++].revents;
			short out = c->in == c->out ? in : pfd[n++].revents;

			if ((in | out) != 0)
				pf_conn_event(lp, c, in, out);
		}
		if (pfd[2].revents & POLLIN)
			pf_jobs_done(lp);
		more = pf_advice_turn(lp);
		pf_deadlines(lp, (int64_t)util_now_ms());
		for (pp = &lp->conns; *pp != NULL;) {
			c = *pp;
			if (c->closing == 2) {
				*pp = c->next;
				pf_conn_free(lp, c);
			} else {
				pp = &c->next;
			}
		}
		if (lp->listen_fd != -1 && pfd[1].revents != 0)
			pf_accept(lp, (pfd[1].revents &
			               (POLLHUP | POLLERR | POLLNVAL)) != 0);
	}
	/* Let the client that asked to stop see its reply. */
	{
		struct pf_conn *c;

		for (c = lp->conns; c != NULL; c = c->next)
			if (c->olen > 0 && c->cl.stop) {
				int fl = c->shared ? -1 : fcntl(c->out, F_GETFL);

				if (fl != -1)
					fcntl(c->out, F_SETFL, fl & ~O_NONBLOCK);
				while (c->olen > 0 && pf_conn_flush(c) == 0)
					;
			}
	}
	/* Lock jobs still under way are waited for and settled. */
	if (lp->notify_fd != -1) {
		struct pf_lock_job *job = pf_lockpool_stop();

		while (job != NULL) {
			struct pf_lock_job *next = job->next;

			pf_lock_finish(lp->st, job);
			free(job);
			job = next;
		}
		lp->notify_fd = -1;
	}
	free(pfd);
	if (lp->failed) {
		errno = EIO;
		return -1;
	}
	return 0;
}

void pf_loop_free(struct pf_loop *lp)
{
	while (lp->conns != NULL) {
		struct pf_conn *c = lp->conns;

		lp->conns = c->next;
		pf_conn_free(lp, c);
	}
	free(lp);
}

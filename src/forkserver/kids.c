/* SPDX-License-Identifier: ISC */
/*
 * kids.c: the fork server's children (kids.h). A child says through one
 * pipe, before it returns into the target, whether its descriptors are in
 * place: STARTED waits for that, and a child that failed ends its run
 * with ERROR instead of EXITED. A child's end is reported once it is
 * reaped, what is left of its process group killed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <givefd.h>
#include "conn.h"
#include "forkserver.h"
#include "kids.h"
#include "loop.h"
#include "server.h"

struct child {
	pid_t pid;                       /* 0: slot free */
	int conn;                        /* -1: nobody to tell */
	uint32_t id;
	long long deadline;              /* 0: none */
	int timedout;
	int unannounced;                 /* STARTED wanted, not yet sent */
	int err;                         /* its set-up failed: errno */
	long failed;                     /* and the target it failed at */
	int loop;                        /* our end of its loop socket, -1 */
	int idle;                        /* looping, between two runs */
	int pidfd;                       /* readable once it ended, or -1 */
};

/* What a child says of its set-up on the report pipe before it returns
 * into the target: err 0 when all is in place (said only when its client
 * wants STARTED), else the errno and the target that failed (-1: none).
 * Smaller than PIPE_BUF, so written whole. */
struct setup_word {
	pid_t pid;
	int err;
	long failed;
};

/* The exit code of a child whose set-up failed, after its setup_word. */
#define SETUP_FAILED_EXIT 127

static struct {
	/* Out of the children's reach (fs_unshared_alloc): the server writes
	 * a slot right after each fork, which would copy a page it shared. */
	struct child *kids;
	/* The descriptors of the children alive, written before each fork
	 * for the new child to close. */
	int *held;
	size_t max, running;
	int report[2];                   /* struct setup_word, from children */
	pid_t server;
	int loops;                       /* children get a loop socket */
	int home;                        /* with loops: the server's directory,
	                                  * for runs that want it; or -1 */
	int pidfds;                      /* each child gets a pidfd */
	/* The RUN being started. Here, beside what else a run writes: the
	 * server's pages a run touches are written again after each fork. */
	struct fsp_run run;
} K;

void fs_kids_allow_loops(int yes)
{
	K.loops = yes;
}

/* Whether this process has children already: the target's own, whose
 * ends no pidfd tells of, so that the server must reap on SIGCHLD. */
static int has_children(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof info);
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

static void free_tables(void)
{
	fs_unshared_free(K.kids, K.max * sizeof *K.kids);
	K.kids = NULL;
	free(K.held);
	K.held = NULL;
}

int fs_kids_init(size_t max, pid_t server)
{
	size_t k;
	int err, fd;

	K.max = max;
	K.server = server;
	K.kids = fs_unshared_alloc(max * sizeof *K.kids);
	K.held = calloc(2 * max, sizeof *K.held);
	if (K.kids == NULL || K.held == NULL) {
		err = errno;
		free_tables();
		errno = err;
		return -1;
	}
	/* Without it (a directory it may not read) a persistent child stays
	 * in the directory of its last run. */
	K.home = K.loops ? open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	for (k = 0; k < max; k++)
		K.kids[k].loop = K.kids[k].pidfd = -1;
	if (!has_children() && (fd = fs_pidfd_open(server)) != -1) {
		close(fd);
		K.pidfds = 1;
	}
	if (pipe(K.report) == 0) {
		if (fs_set_flags(K.report[0], O_NONBLOCK, FD_CLOEXEC) == 0 &&
		    fs_set_flags(K.report[1], O_NONBLOCK, FD_CLOEXEC) == 0)
			return 0;
		err = errno;
		close(K.report[0]);
		close(K.report[1]);
		errno = err;
	}
	err = errno;
	if (K.home != -1)
		close(K.home);
	free_tables();
	errno = err;
	return -1;
}

void fs_kids_fini(void)
{
	close(K.report[0]);
	close(K.report[1]);
	if (K.home != -1)
		close(K.home);
	free_tables();
}

int fs_kids_have_pidfds(void)
{
	return K.pidfds;
}

int fs_kids_report_fd(void)
{
	return K.report[0];
}

size_t fs_kids_max(void)
{
	return K.max;
}

static void kill_child(struct child *k, int sig)
{
	/* The group first (grandchildren), then the child, which may have
	 * left its group or not made it yet: it does that itself, before
	 * any of the target's code runs. Every kill of a child's group here
	 * goes with one of the child, so the server need not make the group
	 * for it after the fork. */
	(void)kill(-k->pid, sig);
	(void)kill(k->pid, sig);
}

/* A persistent child waiting for its next run. */
static struct child *idle_child(void)
{
	size_t k;

	for (k = 0; k < K.max; k++)
		if (K.kids[k].pid != 0 && K.kids[k].idle && K.kids[k].loop != -1)
			return &K.kids[k];
	return NULL;
}

size_t fs_kids_running(void)
{
	return K.running;
}

int fs_kids_full(void)
{
	return K.running >= K.max && idle_child() == NULL;
}

/* Gives run h (body, decoded into run) of connection c to a persistent
 * child between two runs: the frame and its descriptors on the loop
 * socket, with dir (or -1) as its working directory. 0, or -1 (the child
 * is killed, and not reported). */
static int hand_over(struct child *kid, const struct conn *c,
                     const struct fsp_header *h, const unsigned char *body,
                     struct fsp_run *run, int dir)
{
	static unsigned char msg[FS_LOOP_HDR + FSP_MAX_BODY];
	static unsigned char frame[FSP_HDR_SIZE + FSP_MAX_BODY];
	int fds[FSP_MAX_FDS];
	size_t nfds = run->ntargets, len = h->len;
	unsigned version = c->version;
	uint32_t flags;
	long n;

	/* The child is where its last run left it: a run that wants the
	 * server's directory is sent that. */
	if (dir == -1)
		dir = K.home;
	memcpy(fds, c->fds, nfds * sizeof *fds);
	if (dir != -1)
		fds[nfds++] = dir;
	flags = (run->runflags & ~FSP_RUNF_SAME_CWD) |
	        (dir != -1 ? FSP_RUNF_CWD : 0);
	if (flags != run->runflags) {
		/* The directory kept, or the server's: sent as if sent. */
		run->runflags = flags;
		version = FSP_VERSION;
		n = fsp_run_encode(h->id, version, run, frame, sizeof frame);
		if (n < FSP_HDR_SIZE)
			goto failed;
		len = (size_t)n - FSP_HDR_SIZE;
		body = frame + FSP_HDR_SIZE;
	}
	fs_loop_header(msg, version, h->flags, len);
	memcpy(msg + FS_LOOP_HDR, body, len);
	len += FS_LOOP_HDR;
	if (givefd_send(kid->loop, fds, nfds, msg, len) != (ssize_t)len)
		goto failed;
	kid->idle = 0;
	return 0;
failed:
	kill_child(kid, SIGKILL);
	kid->idle = 0;
	return -1;
}

/* A child whose end the server could not watch: killed and reaped at
 * once, its loop socket (or -1) closed; errno kept. */
static void unwatched(pid_t pid, int loop)
{
	int err = errno, st;

	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (loop != -1)
		close(loop);
	errno = err;
}

/* A slot's request: connection ci's RUN h, with deadline ms. */
static void take_run(struct child *kid, size_t ci, const struct fsp_header *h,
                     uint32_t timeout_ms)
{
	kid->conn = (int)ci;
	kid->id = h->id;
	kid->timedout = 0;
	kid->deadline = timeout_ms > 0 ? util_now_ms() + timeout_ms : 0;
	kid->unannounced = (h->flags & FSP_RUN_QUIET) == 0;
	kid->err = 0;
}

static struct child *find_child(int ci, uint32_t id)
{
	size_t k;

	for (k = 0; k < K.max; k++)
		if (K.kids[k].pid != 0 && K.kids[k].conn == ci &&
		    K.kids[k].id == id)
			return &K.kids[k];
	return NULL;
}

/* The descriptors of the children alive (their loop sockets and pidfds)
 * into K.held, for a child about to be forked, which cannot read the
 * table; their number. */
static size_t note_held(void)
{
	size_t k, n = 0;

	for (k = 0; k < K.max; k++) {
		if (K.kids[k].loop != -1)
			K.held[n++] = K.kids[k].loop;
		if (K.kids[k].pidfd != -1)
			K.held[n++] = K.kids[k].pidfd;
	}
	return n;
}

int fs_kids_run(size_t ci, const struct fsp_header *h,
                const unsigned char *body)
{
	struct conn *c = &fs_conns[ci];
	struct fsp_run *run = &K.run;
	struct child *slot = NULL;
	size_t k, j;
	size_t nheld;
	int loop[2], dir;
	pid_t pid;

	if (fsp_run_decode(body, h->len, c->version, run) == -1) {
		fs_conn_forget_dir(ci);
		fs_conn_run_error(ci, h->id, EBADMSG, "malformed RUN request");
		return 0;
	}
	if (FSP_RUN_NFDS(run) != fs_conn_frame_fds(ci)) {
		fs_conn_forget_dir(ci);
		fs_conn_run_error(ci, h->id, EPROTO, "descriptor count differs from targets");
		return 0;
	}
	dir = fs_conn_run_dir(ci, h->id, run);
	if (dir == -2)
		return 0;
	for (k = 0; k < run->ntargets; k++)
		for (j = 0; j < k; j++)
			if (run->targets[j] == run->targets[k]) {
				fs_conn_run_error(ci, h->id, EINVAL, "one target named twice");
				return 0;
			}
	if (h->id == 0 || find_child((int)ci, h->id) != NULL) {
		fs_conn_run_error(ci, h->id, EEXIST, "request id 0 or in use");
		return 0;
	}
	while ((slot = idle_child()) != NULL) {
		if (hand_over(slot, c, h, body, run, dir) == 0) {
			take_run(slot, ci, h, run->timeout_ms);
			return 0;
		}
	}
	for (k = 0; k < K.max && slot == NULL; k++)
		if (K.kids[k].pid == 0)
			slot = &K.kids[k];
	if (slot == NULL)
		return 2;
	loop[0] = loop[1] = -1;
	if (K.loops && socketpair(AF_UNIX, SOCK_SEQPACKET, 0, loop) == -1) {
		fs_conn_run_error(ci, h->id, errno, "socketpair failed");
		return 0;
	}
	if (loop[0] != -1)
		(void)fs_set_flags(loop[0], O_NONBLOCK, FD_CLOEXEC);
	/* All but the pid and pidfd, before the fork: each page of its own
	 * the server writes while the child lives and shares it is copied
	 * (about 2 us here), against a quarter of that once the child is
	 * gone. */
	take_run(slot, ci, h, run->timeout_ms);
	slot->loop = loop[0];
	slot->idle = 0;
	K.running++;
	fs_conn_frame_served(ci);
	nheld = note_held();
	pid = fork();
	if (pid == -1) {
		fs_conn_run_error(ci, h->id, errno, "fork failed");
		K.running--;
		slot->loop = -1;
		if (loop[0] != -1) {
			close(loop[0]);
			close(loop[1]);
		}
		return 0;
	}
	if (pid == 0) {
		struct setup_word w;
		int report = K.report[1];

		w.err = 0;
		w.failed = -1;
		if (K.home != -1)
			(void)close(K.home);
		for (k = 0; k < nheld; k++)     /* loop[0] among them */
			(void)close(K.held[k]);
		fs_close_held(ci, dir);
		if (fs_die_with(K.server) == -1 ||
		    (loop[1] != -1 && fs_loop_begin(loop[1], run) == -1) ||
		    (w.failed = FS_FAILED_CWD, fs_child_cwd(dir)) == -1 ||
		    fs_child_enter(c->fds, run->targets, run->ntargets,
		                   &report, &w.failed) == -1 ||
		    (w.failed = FS_FAILED_ENV, fs_child_env(run)) == -1) {
			w.err = errno;
			w.pid = getpid();
			(void)write(report, &w, sizeof w);
			_exit(SETUP_FAILED_EXIT);
		}
		if ((h->flags & FSP_RUN_QUIET) == 0) {
			w.pid = getpid();
			(void)write(report, &w, sizeof w);
		}
		(void)close(report);
		/* The server's state stays as it is, its memory reachable:
		 * writing to it would only copy its pages into the child. */
		fs_child_args(run);
		return 1;
	}
	if (loop[1] != -1)
		close(loop[1]);
	if (K.pidfds && (slot->pidfd = fs_pidfd_open(pid)) == -1) {
		K.running--;
		slot->loop = -1;
		unwatched(pid, loop[0]);
		fs_conn_run_error(ci, h->id, errno, "cannot watch the child");
		return 0;
	}
	slot->pid = pid;
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
		fs_conn_put((size_t)kid->conn, buf, fsp_started_encode(kid->id,
		         (uint32_t)kid->pid, buf, sizeof buf));
}

/* What the children said of their set-up. */
void fs_kids_heard(void)
{
	struct setup_word w;
	size_t k;

	while (read(K.report[0], &w, sizeof w) == (ssize_t)sizeof w) {
		for (k = 0; k < K.max && K.kids[k].pid != w.pid; k++)
			;
		if (k == K.max || w.pid == 0)
			continue;
		if (w.err == 0) {
			announce(&K.kids[k]);
		} else {
			K.kids[k].err = w.err;
			K.kids[k].failed = w.failed;
		}
	}
}

size_t fs_kids_poll_fds(struct pollfd *p)
{
	size_t k, n = 0;

	for (k = 0; k < K.max; k++) {
		if (K.kids[k].pid == 0)
			continue;
		if (K.kids[k].loop != -1) {
			p[n].fd = K.kids[k].loop;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
		if (K.kids[k].pidfd != -1) {
			p[n].fd = K.kids[k].pidfd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	}
	return n;
}

/* A persistent child ended a run: EXITED with status 0 for it, and the
 * child waits for the next. */
static void run_done(struct child *kid)
{
	unsigned char buf[FSP_HDR_SIZE + 8];
	struct fsp_exited e;

	if (kid->conn >= 0) {
		announce(kid);
		e.status = 0;
		e.flags = 0;
		fs_conn_put((size_t)kid->conn, buf,
		         fsp_exited_encode(kid->id, &e, buf, sizeof buf));
	}
	kid->conn = -1;
	kid->id = 0;
	kid->deadline = 0;
	kid->unannounced = 0;
	kid->idle = 1;
}

static void reap_watched(struct child *kid);

void fs_kids_polled(int fd)
{
	struct child *kid = NULL;
	struct fs_loop_word w;
	size_t k;
	ssize_t n;

	for (k = 0; k < K.max && kid == NULL; k++) {
		if (K.kids[k].pid != 0 && K.kids[k].pidfd == fd) {
			reap_watched(&K.kids[k]);
			return;
		}
		if (K.kids[k].pid != 0 && K.kids[k].loop == fd)
			kid = &K.kids[k];
	}
	if (kid == NULL)
		return;
	while ((n = recv(fd, &w, sizeof w, 0)) == (ssize_t)sizeof w) {
		if (w.what == FS_LOOP_SET && w.err == 0) {
			announce(kid);
		} else if (w.what == FS_LOOP_SET) {
			kid->err = w.err;
			kid->failed = w.failed;
		} else if (w.what == FS_LOOP_DONE && kid->timedout == 0) {
			run_done(kid);
		}
	}
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	               errno != EINTR)) {
		/* It closed its end: no more runs; its exit is reaped. */
		close(kid->loop);
		kid->loop = -1;
		kid->idle = 0;
	}
}

void fs_kids_signal(size_t ci, const struct fsp_header *h,
                    const unsigned char *body)
{
	struct fsp_signal s;
	struct child *k;

	if (fsp_signal_decode(body, h->len, &s) == -1) {
		fs_conn_error(ci, h->id, EBADMSG, "malformed SIGNAL request");
		return;
	}
	k = find_child((int)ci, h->id);
	if (k == NULL) {
		fs_conn_error(ci, h->id, ESRCH, "no such child");
		return;
	}
	if ((s.flags & FSP_SIGNAL_GROUP) != 0)
		(void)kill(-k->pid, (int)s.signo);
	if (kill(k->pid, (int)s.signo) == -1 && errno != ESRCH)
		fs_conn_error(ci, h->id, errno, "kill failed");
}

/* Tells the client of a child that ended, and frees its slot: EXITED, or
 * for a child whose set-up failed the ERROR that ends its run. */
static void report_exit(struct child *kid, int status)
{
	unsigned char buf[FSP_HDR_SIZE + 8];
	struct fsp_exited e;
	char msg[64];

	/* Closed first: once told, a client may count our descriptors. */
	if (kid->pidfd != -1) {
		close(kid->pidfd);
		kid->pidfd = -1;
	}
	if (kid->conn >= 0 && kid->err != 0) {
		if (kid->failed >= 0)
			snprintf(msg, sizeof msg, "cannot make descriptor %ld in"
			         " the child", kid->failed);
		else if (kid->failed == FS_FAILED_CWD)
			snprintf(msg, sizeof msg, "cannot enter the caller's"
			         " working directory in the child");
		else if (kid->failed == FS_FAILED_ENV)
			snprintf(msg, sizeof msg, "cannot set the environment"
			         " in the child");
		else
			snprintf(msg, sizeof msg, "the child's set-up failed");
		fs_conn_run_error((size_t)kid->conn, kid->id, kid->err, msg);
	} else if (kid->conn >= 0) {
		announce(kid);
		e.status = (uint32_t)status;
		e.flags = kid->timedout ? FSP_EXIT_TIMEDOUT : 0;
		fs_conn_put((size_t)kid->conn, buf,
		         fsp_exited_encode(kid->id, &e, buf, sizeof buf));
	}
	kid->pid = 0;
	kid->idle = 0;
	if (kid->loop != -1) {
		close(kid->loop);
		kid->loop = -1;
	}
	K.running--;
}

/* Reaps the children that ended, one waitid a child however many run.
 * What is left of a child's process group is killed while its zombie
 * still holds the group's id. A child the target started before its fork
 * point is reaped too, as nobody else will, and not reported. */
void fs_kids_reap(void)
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
		fs_kids_heard();     /* what it said is all there now */
		for (k = 0; k < K.max && kid == NULL; k++)
			if (K.kids[k].pid == pid)
				kid = &K.kids[k];
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

/* A child whose pidfd poll reported ended: the same as fs_kids_reap, for
 * that child alone. What it said of its set-up is read only when there
 * can be something: a STARTED still owed, or the exit code of a set-up
 * that failed. */
static void reap_watched(struct child *kid)
{
	int st = 0;
	pid_t r;

	(void)kill(-kid->pid, SIGKILL);
	do
		r = waitpid(kid->pid, &st, WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r != kid->pid)
		return;                 /* the next poll tries again */
	if (kid->unannounced ||
	    (WIFEXITED(st) && WEXITSTATUS(st) == SETUP_FAILED_EXIT))
		fs_kids_heard();
	report_exit(kid, st);
}

int fs_kids_deadline(void)
{
	long long now = util_now_ms(), first = 0;
	size_t k;

	for (k = 0; k < K.max; k++) {
		struct child *kid = &K.kids[k];

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

void fs_kids_orphan(size_t ci)
{
	size_t k;

	for (k = 0; k < K.max; k++) {
		if (K.kids[k].pid != 0 && K.kids[k].conn == (int)ci) {
			kill_child(&K.kids[k], SIGKILL);
			K.kids[k].conn = -1;
		}
	}
}

void fs_kids_end(void)
{
	size_t k;

	for (k = 0; k < K.max; k++) {
		if (K.kids[k].pid != 0) {
			int st;

			kill_child(&K.kids[k], SIGKILL);
			while (waitpid(K.kids[k].pid, &st, 0) == -1 && errno == EINTR)
				;
			(void)kill(-K.kids[k].pid, SIGKILL);
		}
	}
}

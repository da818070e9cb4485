/* SPDX-License-Identifier: ISC */
/*
 * test_trust.c: attacks on the trust model of the pipe backends (procfd,
 * pidfd), played by real processes of real users over real FIFOs and
 * sockets: forged handles from another user, a sender's own deadline
 * against a killed or stopped helper, a root receiver asked to reopen
 * what only root may read, opens that could block or grab a terminal, a
 * handle from the receiver itself, and library edge cases. Tests that
 * need two users create them (useradd) and skip when not root.
 */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "givefd.h"
#include "handoff_handle.h"
#include "handoff_ops.h"
#include "testutil.h"

static const char *const backends[] = { "procfd", "pidfd" };
static const unsigned wires[] = { GFD_HANDLE_PROCFD, GFD_HANDLE_PIDFD };

/* ---- users ---------------------------------------------------------- */

struct user {
	char name[32];
	uid_t uid;
	gid_t gid;
	int made;
};

static struct user user_a, user_b;

static int make_user(struct user *u, const char *prefix)
{
	char cmd[128];
	struct passwd *pw;

	snprintf(u->name, sizeof u->name, "%s%ld", prefix, (long)getpid());
	snprintf(cmd, sizeof cmd,
	         "useradd -M -N -s /usr/sbin/nologin %s >/dev/null 2>&1", u->name);
	if (system(cmd) != 0)
		return -1;
	u->made = 1;
	pw = getpwnam(u->name);
	if (pw == NULL)
		return -1;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return 0;
}

static void drop_user(struct user *u)
{
	char cmd[128];

	if (!u->made)
		return;
	snprintf(cmd, sizeof cmd, "userdel -f %s >/dev/null 2>&1", u->name);
	if (system(cmd) != 0)
		fprintf(stderr, "test_trust: userdel %s failed\n", u->name);
	u->made = 0;
}

static void drop_users(void)
{
	drop_user(&user_a);
	drop_user(&user_b);
}

/* Skips the calling test unless two fresh users exist (root, useradd). */
static void need_users(void)
{
	static int tried, ok;

	if (!tried) {
		tried = 1;
		if (geteuid() != 0) {
			fprintf(stderr, "  skipped: needs root to create users\n");
		} else if (access("/usr/sbin/useradd", X_OK) != 0 &&
		           access("/sbin/useradd", X_OK) != 0) {
			fprintf(stderr, "  skipped: no useradd\n");
		} else {
			atexit(drop_users);
			ok = make_user(&user_a, "gfdA") == 0 &&
			     make_user(&user_b, "gfdB") == 0;
			if (!ok)
				fprintf(stderr, "  skipped: useradd failed\n");
		}
	}
	if (!ok)
		skip();
}

static int become(const struct user *u)
{
	/* Dumpable again, as a process that user started would be: /proc/PID
	 * is then the user's, and the user may trace it. */
	return setgroups(0, NULL) == 0 && setresgid(u->gid, u->gid, u->gid) == 0 &&
	       setresuid(u->uid, u->uid, u->uid) == 0 &&
	       prctl(PR_SET_DUMPABLE, 1) == 0 ? 0 : -1;
}

/* Children forked here, so that those a failed test left running end
 * before their user is deleted (and its uid given to someone else). */
static pid_t forked[4096];
static int n_forked;

/* Kills and reaps the children not yet reaped: waitpid says which are
 * still ours, so no pid that has been reused is touched. */
static void end_children(void)
{
	int i, st;

	for (i = 0; i < n_forked; i++)
		if (waitpid(forked[i], &st, WNOHANG) == 0) {
			kill(forked[i], SIGKILL);
			waitpid(forked[i], &st, 0);
		}
	n_forked = 0;
}

/* Forks a child that becomes u (NULL: stays) and exits with fn(arg). */
static pid_t fork_as(const struct user *u, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid > 0 && n_forked < 4096)
		forked[n_forked++] = pid;
	if (pid == 0) {
		alarm(60);      /* a test that failed midway leaves none behind */
		if (u != NULL && become(u) == -1)
			_exit(98);
		_exit(fn(arg));
	}
	return pid;
}

/* ---- small tools ---------------------------------------------------- */

/* Directories made here, removed with what is left in them at exit (a
 * test that failed midway leaves its FIFO or socket behind). */
static char made_dirs[32][64];
static int n_made_dirs;

static void remove_made_dirs(void)
{
	int i;

	for (i = 0; i < n_made_dirs; i++) {
		char cmd[128];

		if (access(made_dirs[i], F_OK) != 0)
			continue;
		snprintf(cmd, sizeof cmd, "rm -rf '%.63s'", made_dirs[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "test_trust: could not remove %s\n", made_dirs[i]);
	}
}

/* A fresh 0755 directory for another user's files and FIFOs. */
static void make_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/givefd-trust-XXXXXX");
	assert_non_null(mkdtemp(dir));
	if (n_made_dirs < 32)
		snprintf(made_dirs[n_made_dirs++], sizeof made_dirs[0], "%s", dir);
	assert_int_equal(chmod(dir, 0755), 0);
	if (user_a.made)
		assert_int_equal(chown(dir, user_a.uid, user_a.gid), 0);
}

static int read_all(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
	return write(fd, buf, n) == (ssize_t)n ? 0 : -1;
}

/* Waits for one byte on fd (a go-ahead between processes). */
static int wait_byte(int fd)
{
	char c;

	return read_all(fd, &c, 1);
}

/* A secret of the attacker's choosing and the proof bytes a holder must
 * show for it, made the way the library's sender makes them. */
static void make_proof(unsigned char secret[GFD_SECRET_LEN],
                       unsigned char proof[GFD_PROOF_LEN])
{
	struct gfd_offer of;

	assert_int_equal(gfd_offer_secret(&of), 0);
	memcpy(secret, of.secret, GFD_SECRET_LEN);
	memcpy(proof, of.proof_bytes, GFD_PROOF_LEN);
}

/* Writes a handle as the library's sender does: on a message socket the
 * magic alone, then the rest; elsewhere all at once. */
static int write_handle(int chan, const struct gfd_handle *h, int message)
{
	unsigned char out[GFD_HANDLE_MAX];
	ssize_t n = gfd_handle_encode(h, out, sizeof out);

	if (n == -1)
		return -1;
	if (!message)
		return write_all(chan, out, (size_t)n);
	if (send(chan, out, GFD_HANDLE_MAGIC_LEN, 0) != GFD_HANDLE_MAGIC_LEN ||
	    send(chan, out + GFD_HANDLE_MAGIC_LEN, (size_t)n - GFD_HANDLE_MAGIC_LEN,
	         0) != n - GFD_HANDLE_MAGIC_LEN)
		return -1;
	return 0;
}

static void fill_handle(struct gfd_handle *h, unsigned wire, pid_t sender,
                        pid_t holder, int proof, int answer, int fd)
{
	memset(h, 0, sizeof *h);
	h->backend = wire;
	h->sender_pid = (uint32_t)sender;
	h->holder_pid = (uint32_t)holder;
	h->proof_fd = proof;
	h->answer_fd = answer;
	h->nfds = 1;
	h->fds[0] = fd;
	if (getentropy(h->secret, sizeof h->secret) != 0)
		memset(h->secret, 0x5a, sizeof h->secret);
}

static int sendmsg_fd(int sock, const void *buf, size_t len, int fd)
{
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *c;

	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.space;
	msg.msg_controllen = sizeof u.space;
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sendmsg(sock, &msg, 0) == (ssize_t)len ? 0 : -1;
}

/* ---- the victim: a process of user A holding things worth naming ------ */

/* What the victim holds: its first 16 bytes (an old-style proof, the
 * secret itself) or all 32 (as long as a proof now is). */
static const char victim_message[GFD_PROOF_LEN] = "victim-message!victim-message!!";
static size_t victim_len = GFD_SECRET_LEN;

struct victim_fds {
	pid_t pid;
	int secret_file;        /* a 0600 file of A's */
	int pipe_r, pipe_w;
	int sock_keep, sock_queued;     /* the message waits on sock_queued */
	int regular;            /* a 16-byte regular file */
	int memfd;              /* a sealed memfd holding victim_message */
};

struct victim {
	pid_t pid;
	int report;             /* victim_fds arrive here */
	int done;               /* the test writes a byte: check and exit */
	struct victim_fds f;
};

struct victim_arg {
	const char *secret_path;
	int report, done;
};

/* Victim body: holds its objects, reports their numbers, waits, then
 * checks nothing was written into or taken out of them. */
static int victim_body(void *p)
{
	struct victim_arg *a = p;
	struct victim_fds f;
	int pp[2], sp[2];
	char buf[64];
	char rpath[] = "/tmp/givefd-trust-reg-XXXXXX";

	f.pid = getpid();
	f.secret_file = open(a->secret_path, O_RDONLY);
	TU_CHECK(f.secret_file >= 0);
	TU_CHECK(pipe(pp) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	f.pipe_r = pp[0];
	f.pipe_w = pp[1];
	f.sock_keep = sp[0];
	f.sock_queued = sp[1];
	TU_CHECK(sendmsg_fd(sp[0], victim_message, victim_len, f.secret_file) == 0);
	f.regular = mkstemp(rpath);
	TU_CHECK(f.regular >= 0);
	unlink(rpath);
	TU_CHECK(write(f.regular, victim_message, victim_len) == (ssize_t)victim_len);
	f.memfd = memfd_create("victim", MFD_ALLOW_SEALING);
	TU_CHECK(f.memfd >= 0);
	TU_CHECK(write(f.memfd, victim_message, victim_len) == (ssize_t)victim_len);
	TU_CHECK(fcntl(f.memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK |
	               F_SEAL_GROW | F_SEAL_WRITE) == 0);
	TU_CHECK(write_all(a->report, &f, sizeof f) == 0);
	TU_CHECK(wait_byte(a->done) == 0);
	/* Nothing written into its pipe or onto its socket pair. */
	TU_CHECK(fcntl(pp[0], F_SETFL, O_NONBLOCK) == 0);
	TU_CHECK(read(pp[0], buf, sizeof buf) == -1 && errno == EAGAIN);
	TU_CHECK(recv(sp[0], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	/* Its queued message still there, whole. */
	TU_CHECK(recv(sp[1], buf, sizeof buf, MSG_DONTWAIT | MSG_PEEK) == (ssize_t)victim_len);
	TU_CHECK(memcmp(buf, victim_message, victim_len) == 0);
	return 0;
}

static void start_victim(struct victim *v, const char *secret_path)
{
	int rep[2], done[2];
	struct victim_arg a;

	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(done), 0);
	a.secret_path = secret_path;
	a.report = rep[1];
	a.done = done[0];
	v->pid = fork_as(&user_a, victim_body, &a);
	close(rep[1]);
	close(done[0]);
	v->report = rep[0];
	v->done = done[1];
	assert_int_equal(read_all(v->report, &v->f, sizeof v->f), 0);
}

/* Tells the victim to check itself, and asserts it found nothing amiss. */
static void end_victim(struct victim *v)
{
	assert_int_equal(write(v->done, "x", 1), 1);
	close(v->done);
	close(v->report);
	tu_assert_child_ok(v->pid);
}

/* A 0600 file of A's with a secret in it, in dir. */
static void make_secret_file(const char *dir, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/secret", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "top secret\n", 11), 11);
	assert_int_equal(fchown(fd, user_a.uid, user_a.gid), 0);
	close(fd);
}

/* ---- 1. forged handles from another user ------------------------------ */

enum proof_kind { PROOF_PIPE, PROOF_SOCKPAIR, PROOF_REGULAR, PROOF_MEMFD, NPROOFS };
static const char *const proof_names[] = { "pipe", "socket pair", "regular file",
	                                   "sealed memfd" };

/* The handle an attacker writes naming the victim's objects. */
static void forge(struct gfd_handle *h, size_t b, enum proof_kind k,
                  const struct victim_fds *f, int known_bytes)
{
	int proof, answer;

	switch (k) {
	case PROOF_PIPE:
		proof = b == 0 ? f->pipe_r : f->pipe_w;
		answer = f->pipe_w;
		break;
	case PROOF_SOCKPAIR:
		proof = answer = f->sock_queued;
		break;
	case PROOF_REGULAR:
		proof = f->regular;
		answer = b == 0 ? f->pipe_w : f->regular;
		break;
	default:
		proof = f->memfd;
		answer = b == 0 ? f->pipe_w : f->memfd;
		break;
	}
	if (b == 1)
		answer = proof;
	fill_handle(h, wires[b], f->pid, f->pid, proof, answer, f->secret_file);
	if (known_bytes)
		/* Old-style: the proof bytes were the secret; an attacker who
		 * knows what the victim holds names those bytes as S. New-style
		 * the proof is a hash of S: no S names existing bytes, and the
		 * attacker's best is the same guess. */
		memcpy(h->secret, victim_message, sizeof h->secret);
}

enum chan_kind { CH_FIFO, CH_DGRAM };

struct attacker_arg {
	const char *path;
	enum chan_kind kind;
	struct gfd_handle h;
};

static int attacker_body(void *p)
{
	struct attacker_arg *a = p;
	int fd;

	if (a->kind == CH_FIFO) {
		fd = open(a->path, O_WRONLY | O_NONBLOCK);
		TU_CHECK(fd >= 0);
		TU_CHECK(write_handle(fd, &a->h, 0) == 0);
	} else {
		struct sockaddr_un sa;

		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		TU_CHECK(fd >= 0);
		memset(&sa, 0, sizeof sa);
		sa.sun_family = AF_UNIX;
		snprintf(sa.sun_path, sizeof sa.sun_path, "%s", a->path);
		TU_CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
		TU_CHECK(write_handle(fd, &a->h, 1) == 0);
	}
	close(fd);
	return 0;
}

struct receiver_arg {
	const char *path;
	enum chan_kind kind;
	int flags;
	int go;                 /* a byte here: the handle is written */
	int ready;              /* the receiver writes a byte: channel open */
	int want_errno;         /* 0: any failure of EPERM/ECONNABORTED */
};

/* Receiver of user A: opens its FIFO or binds its datagram socket (0622,
 * 0666: B may write), waits for the attacker, receives. */
static int receiver_body(void *p)
{
	struct receiver_arg *a = p;
	int fds[4] = { -1, -1, -1, -1 }, chan;
	size_t nfds = 4;
	char buf[32];
	ssize_t n;

	if (a->kind == CH_FIFO) {
		chan = open(a->path, O_RDONLY | O_NONBLOCK);
		TU_CHECK(chan >= 0);
	} else {
		struct sockaddr_un sa;

		chan = socket(AF_UNIX, SOCK_DGRAM, 0);
		TU_CHECK(chan >= 0);
		memset(&sa, 0, sizeof sa);
		sa.sun_family = AF_UNIX;
		snprintf(sa.sun_path, sizeof sa.sun_path, "%s", a->path);
		TU_CHECK(bind(chan, (struct sockaddr *)&sa, sizeof sa) == 0);
		TU_CHECK(chmod(a->path, 0666) == 0);
	}
	TU_CHECK(write(a->ready, "r", 1) == 1);
	TU_CHECK(wait_byte(a->go) == 0);
	TU_CHECK(fcntl(chan, F_SETFL, 0) == 0);
	alarm(20);
	n = givefd_recv_flags(chan, fds, &nfds, buf, sizeof buf, a->flags);
	alarm(0);
	if (n != -1 || (errno != EPERM && errno != ECONNABORTED) ||
	    (a->want_errno != 0 && errno != a->want_errno)) {
		fprintf(stderr, "  receive gave %zd nfds %zu errno %d (%s)\n", n,
		        nfds, errno, strerror(errno));
		TU_CHECK(0);
	}
	TU_CHECK(fds[0] == -1);
	close(chan);
	return 0;
}

/* One forged handle from B to A's receiver over a FIFO or a datagram
 * socket; the victim checks itself afterwards. */
static void forged_once(const char *dir, enum chan_kind kind, int flags,
                        const struct gfd_handle *h, int want_errno)
{
	struct attacker_arg at;
	struct receiver_arg ra;
	char path[128];
	int ready[2], go[2];
	pid_t r, w;

	snprintf(path, sizeof path, "%s/chan", dir);
	if (kind == CH_FIFO) {
		assert_int_equal(mkfifo(path, 0622), 0);
		assert_int_equal(chmod(path, 0622), 0);
		assert_int_equal(chown(path, user_a.uid, user_a.gid), 0);
	}
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	ra.path = path;
	ra.kind = kind;
	ra.flags = flags;
	ra.go = go[0];
	ra.ready = ready[1];
	ra.want_errno = want_errno;
	r = fork_as(&user_a, receiver_body, &ra);
	close(ready[1]);
	close(go[0]);
	assert_int_equal(wait_byte(ready[0]), 0);
	at.path = path;
	at.kind = kind;
	at.h = *h;
	w = fork_as(&user_b, attacker_body, &at);
	tu_assert_child_ok(w);
	assert_int_equal(write(go[1], "g", 1), 1);
	tu_assert_child_ok(r);
	close(ready[0]);
	close(go[1]);
	unlink(path);
}

/* Attack: user B writes handles naming a process of A's (its pipe, its
 * own socket pair with a message waiting, a regular file, a sealed memfd)
 * into A's FIFO (0622) and datagram socket (0666). A refuses them all,
 * with and without GIVEFD_TRUST_WRITERS; nothing reaches A; the victim's
 * pipe and socket pair are untouched. */
static void test_forged_handle_from_other_user(void **state)
{
	char dir[64], secret[128];
	size_t b;
	int k, c, trust;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	make_secret_file(dir, secret, sizeof secret);
	for (b = 0; b < 2; b++) {
		for (k = 0; k < NPROOFS; k++) {
			for (c = CH_FIFO; c <= CH_DGRAM; c++) {
				for (trust = 0; trust < 2; trust++) {
					struct victim v;
					struct gfd_handle h;

					fprintf(stderr, "  %s, proof %s, over %s, %s\n",
					        backends[b], proof_names[k],
					        c == CH_FIFO ? "fifo" : "dgram",
					        trust ? "trusting writers" : "no flag");
					start_victim(&v, secret);
					forge(&h, b, (enum proof_kind)k, &v.f, 0);
					forged_once(dir, (enum chan_kind)c,
					            trust ? GIVEFD_TRUST_WRITERS : 0,
					            &h, EPERM);
					end_victim(&v);
				}
			}
		}
	}
	unlink(secret);
	assert_int_equal(rmdir(dir), 0);
}

/* Attack: the victim holds a sealed memfd of its own and a socket pair
 * whose 16 queued bytes the attacker knows; B names them with those bytes
 * as the secret (an old-style proof). The proof must be a function of the
 * secret no victim can have by chance, so A refuses. */
static void test_known_bytes_cannot_be_named(void **state)
{
	static const size_t lens[] = { GFD_SECRET_LEN, GFD_PROOF_LEN };
	char dir[64], secret[128];
	size_t b, l;
	int k;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	make_secret_file(dir, secret, sizeof secret);
	for (l = 0; l < 2; l++) {
		victim_len = lens[l];
		for (b = 0; b < 2; b++) {
			for (k = PROOF_SOCKPAIR; k < NPROOFS; k += 2) {
				struct victim v;
				struct gfd_handle h;

				fprintf(stderr, "  %s, victim's %s with %zu known bytes\n",
				        backends[b], proof_names[k], victim_len);
				start_victim(&v, secret);
				forge(&h, b, (enum proof_kind)k, &v.f, 1);
				forged_once(dir, CH_FIFO, GIVEFD_TRUST_WRITERS, &h, EPERM);
				end_victim(&v);
			}
		}
	}
	victim_len = GFD_SECRET_LEN;
	unlink(secret);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- 1b. pidfd: a proof planted in a victim's connection ------------- */

struct conn_arg {
	const char *path;       /* the receiver's listening socket */
	char abstract[40];      /* B's server, in the abstract namespace */
	int in, out;            /* pipes from and to the test */
	struct gfd_handle h;
};

static void abstract_addr(struct sockaddr_un *sa, socklen_t *len, const char *name)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static void path_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof sa->sun_path, "%s", path);
}

/* Receiver of A's, on a listening path socket anyone may connect to: no
 * flag needed, the kernel names the peer. */
static int conn_receiver(void *p)
{
	struct conn_arg *a = p;
	struct sockaddr_un sa;
	int l, c, fds[2] = { -1, -1 };
	size_t nfds = 2;
	ssize_t n;

	path_addr(&sa, a->path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(l >= 0 && bind(l, (struct sockaddr *)&sa, sizeof sa) == 0);
	TU_CHECK(chmod(a->path, 0666) == 0 && listen(l, 4) == 0);
	TU_CHECK(write(a->out, "r", 1) == 1);
	c = accept(l, NULL, NULL);
	TU_CHECK(c >= 0);
	n = givefd_recv_flags(c, fds, &nfds, NULL, 0, 0);
	if (n != -1 || errno != EPERM || fds[0] != -1) {
		fprintf(stderr, "  receive gave %zd nfds %zu errno %d (%s)\n", n,
		        nfds, errno, strerror(errno));
		TU_CHECK(0);
	}
	close(c);
	close(l);
	return 0;
}

/* Victim of A's: a client of B's server. Reports its connection's
 * number, waits, then finds the bytes B sent still queued there. */
static int conn_victim(void *p)
{
	struct conn_arg *a = p;
	struct sockaddr_un sa;
	socklen_t len;
	unsigned char buf[64];
	int c, num[2];

	abstract_addr(&sa, &len, a->abstract);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(c >= 0 && connect(c, (struct sockaddr *)&sa, len) == 0);
	num[0] = (int)getpid();
	num[1] = c;
	TU_CHECK(write_all(a->out, num, sizeof num) == 0);
	TU_CHECK(wait_byte(a->in) == 0);
	TU_CHECK(recv(c, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT) == GFD_PROOF_LEN);
	close(c);
	return 0;
}

/* Attacker B: serves, plants the proof bytes (and a descriptor of its own)
 * in the victim's connection, then sends the receiver a handle that names
 * the victim as holder and that connection as proof. */
static int conn_attacker(void *p)
{
	struct conn_arg *a = p;
	struct sockaddr_un sa;
	socklen_t len;
	unsigned char proof[GFD_PROOF_LEN], c;
	int l, conn, chan, num[2], mine;

	abstract_addr(&sa, &len, a->abstract);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(l >= 0 && bind(l, (struct sockaddr *)&sa, len) == 0 && listen(l, 4) == 0);
	TU_CHECK(write(a->out, "r", 1) == 1);
	TU_CHECK(read_all(a->in, num, sizeof num) == 0);
	conn = accept(l, NULL, NULL);
	TU_CHECK(conn >= 0);
	fill_handle(&a->h, GFD_HANDLE_PIDFD, getpid(), num[0], num[1], num[1], 0);
	make_proof(a->h.secret, proof);
	mine = open("/dev/null", O_RDONLY);
	TU_CHECK(mine >= 0 && sendmsg_fd(conn, proof, sizeof proof, mine) == 0);
	path_addr(&sa, a->path);
	chan = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(chan >= 0 && connect(chan, (struct sockaddr *)&sa, sizeof sa) == 0);
	TU_CHECK(write_handle(chan, &a->h, 0) == 0);
	TU_CHECK(write(a->out, "s", 1) == 1);
	TU_CHECK(wait_byte(a->in) == 0);
	/* No answer came through the victim's connection. */
	TU_CHECK(recv(conn, &c, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	close(chan);
	close(conn);
	close(mine);
	close(l);
	return 0;
}

/* Attack (pidfd): B, a server that A's victim is a client of, writes the
 * proof bytes of a secret of its choosing into that connection, then
 * sends A's receiver (over a path socket B connected to, so the kernel
 * names B as the sender) a handle naming the victim as holder and the
 * victim's connection as the proof. SO_PEERCRED of that connection names
 * B, as it would for a socket pair B made, so a check on it alone lets B
 * make the receiver take from the victim's stream and answer into it.
 * The receiver must refuse and leave the victim's bytes queued. */
static void test_pidfd_proof_in_victims_connection(void **state)
{
	struct conn_arg a;
	char dir[64], path[128];
	int to_b[2], from_b[2], to_v[2], from_v[2], from_r[2], num[2];
	pid_t r, b, v;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/recv", dir);
	assert_int_equal(pipe(to_b), 0);
	assert_int_equal(pipe(from_b), 0);
	assert_int_equal(pipe(to_v), 0);
	assert_int_equal(pipe(from_v), 0);
	assert_int_equal(pipe(from_r), 0);
	memset(&a, 0, sizeof a);
	a.path = path;
	snprintf(a.abstract, sizeof a.abstract, "givefd-trust-%ld", (long)getpid());
	a.out = from_r[1];
	r = fork_as(&user_a, conn_receiver, &a);
	assert_int_equal(wait_byte(from_r[0]), 0);
	a.in = to_b[0];
	a.out = from_b[1];
	b = fork_as(&user_b, conn_attacker, &a);
	assert_int_equal(wait_byte(from_b[0]), 0);
	a.in = to_v[0];
	a.out = from_v[1];
	v = fork_as(&user_a, conn_victim, &a);
	assert_int_equal(read_all(from_v[0], num, sizeof num), 0);
	assert_int_equal(write_all(to_b[1], num, sizeof num), 0);
	assert_int_equal(wait_byte(from_b[0]), 0);
	tu_assert_child_ok(r);
	/* B looks at its end before the victim closes its own. */
	assert_int_equal(write(to_b[1], "x", 1), 1);
	tu_assert_child_ok(b);
	assert_int_equal(write(to_v[1], "x", 1), 1);
	tu_assert_child_ok(v);
	close(to_b[0]); close(to_b[1]); close(from_b[0]); close(from_b[1]);
	close(to_v[0]); close(to_v[1]); close(from_v[0]); close(from_v[1]);
	close(from_r[0]); close(from_r[1]);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- channels of every kind, the sender a child ------------------------ */

enum kind { K_STREAM, K_SEQPACKET, K_DGRAM, K_PIPE, K_FIFO, K_PATHSOCK, NKINDS };
static const char *const kind_names[] = {
	"socket pair stream", "socket pair seqpacket", "socket pair dgram",
	"pipe", "fifo", "connected path socket"
};

typedef int (*sender_fn)(int chan, void *arg);

/* Forks a sender that runs fn on its end of a fresh channel of kind k;
 * *chan gets the receiver's end. On a path socket the child connects, so
 * the kernel names it as the peer. */
static pid_t fork_sender(enum kind k, int *chan, sender_fn fn, void *arg)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	char dir[64], path[96];
	struct sockaddr_un sa;
	int ends[2] = { -1, -1 }, l = -1;
	pid_t pid;

	dir[0] = '\0';
	if (k <= K_DGRAM)
		assert_int_equal(socketpair(AF_UNIX, types[k], 0, ends), 0);
	else if (k == K_PIPE)
		assert_int_equal(pipe(ends), 0);
	else {
		snprintf(dir, sizeof dir, "/tmp/givefd-trust-XXXXXX");
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/c", dir);
		if (k == K_FIFO) {
			assert_int_equal(mkfifo(path, 0600), 0);
			ends[0] = open(path, O_RDONLY | O_NONBLOCK);
			assert_true(ends[0] >= 0);
			assert_int_equal(fcntl(ends[0], F_SETFL, 0), 0);
		} else {
			path_addr(&sa, path);
			l = socket(AF_UNIX, SOCK_STREAM, 0);
			assert_true(l >= 0);
			assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
			assert_int_equal(listen(l, 1), 0);
		}
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int c = ends[1];

		alarm(120);
		if (k == K_FIFO) {
			close(ends[0]);
			c = open(path, O_WRONLY);
		} else if (k == K_PATHSOCK) {
			close(l);
			c = socket(AF_UNIX, SOCK_STREAM, 0);
			if (c == -1 || connect(c, (struct sockaddr *)&sa, sizeof sa) == -1)
				_exit(97);
		} else {
			close(ends[0]);
		}
		_exit(fn(c, arg));
	}
	if (k == K_PATHSOCK) {
		ends[0] = accept(l, NULL, NULL);
		assert_true(ends[0] >= 0);
		close(l);
	}
	if (k == K_FIFO) {
		/* Data, not the end of a writer that has not come yet. */
		struct pollfd pfd = { ends[0], POLLIN, 0 };

		assert_int_equal(poll(&pfd, 1, -1), 1);
	}
	if (ends[1] != -1)
		close(ends[1]);
	if (dir[0] != '\0') {
		unlink(path);
		rmdir(dir);
	}
	*chan = ends[0];
	return pid;
}

static void set_timeout(const char *ms)
{
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", ms, 1);
}

/* ---- 10. self-receive ------------------------------------------------- */

struct self_recv {
	int chan;
	ssize_t n;
	int err;
	int fd;
};

static void *self_receiver(void *p)
{
	struct self_recv *r = p;
	size_t nfds = 1;

	r->fd = -1;
	r->n = givefd_recv_flags(r->chan, &r->fd, &nfds, NULL, 0, GIVEFD_TRUST_WRITERS);
	r->err = errno;
	return NULL;
}

/* Attack: a process receives its own handle (a thread reads the pipe its
 * other thread sends on). It must not take from itself, and must say so
 * at once: the sender hears a refusal (ECONNABORTED), not its minute-long
 * deadline (ETIMEDOUT). */
static void test_self_receive(void **state)
{
	size_t b;

	(void)state;
	set_timeout("60000");
	for (b = 0; b < 2; b++) {
		struct self_recv r;
		pthread_t t;
		int p[2], fd = open("/dev/null", O_RDONLY);
		ssize_t n;

		fprintf(stderr, "  %s\n", backends[b]);
		assert_int_equal(givefd_use_backend(backends[b]), 0);
		assert_int_equal(pipe(p), 0);
		r.chan = p[0];
		assert_int_equal(pthread_create(&t, NULL, self_receiver, &r), 0);
		alarm(90);
		n = givefd_send(p[1], &fd, 1, "x", 1);
		assert_int_equal(n, -1);
		assert_int_equal(errno, ECONNABORTED);
		assert_int_equal(pthread_join(t, NULL), 0);
		alarm(0);
		assert_int_equal(r.n, -1);
		assert_int_equal(r.err, EPERM);
		assert_int_equal(r.fd, -1);
		close(fd);
		close(p[0]);
		close(p[1]);
	}
	unsetenv("GIVEFD_HANDOFF_TIMEOUT_MS");
}

/* ---- 9. library edge cases ------------------------------------------- */

static const char *const all_backends[] = { "scm_rights", "procfd", "pidfd" };

/* A count far beyond the array: E2BIG before any element is read. */
static void test_huge_counts_refused(void **state)
{
	static const size_t counts[] = { SIZE_MAX, (size_t)1 << 20 };
	size_t b, c;

	(void)state;
	for (b = 0; b < 3; b++) {
		for (c = 0; c < 2; c++) {
			int sv[2], one = 0;
			char x;

			assert_int_equal(givefd_use_backend(all_backends[b]), 0);
			assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
			assert_int_equal(givefd_send(sv[0], &one, counts[c], "x", 1), -1);
			assert_int_equal(errno, E2BIG);
			assert_int_equal(recv(sv[1], &x, 1, MSG_DONTWAIT), -1);
			assert_int_equal(errno, EAGAIN);
			close(sv[0]);
			close(sv[1]);
		}
	}
}

/* An empty message is EINVAL, and nothing reaches the peer. */
static void test_empty_send_refused(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 3; b++) {
		int sv[2];
		char x;

		assert_int_equal(givefd_use_backend(all_backends[b]), 0);
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_int_equal(givefd_send(sv[0], NULL, 0, NULL, 0), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(recv(sv[1], &x, 1, MSG_DONTWAIT), -1);
		assert_int_equal(errno, EAGAIN);
		close(sv[0]);
		close(sv[1]);
	}
}

static int send_devnull_bare(int chan, void *arg)
{
	int fd = open("/dev/null", O_RDONLY);

	TU_CHECK(givefd_use_backend(arg) == 0);
	TU_CHECK(fd >= 0 && givefd_send(chan, &fd, 1, NULL, 0) == 0);
	close(fd);
	return 0;
}

/* Descriptors without payload, received with a buffer: 0 bytes of
 * payload (the byte that carries them is not payload). */
static void test_fds_without_payload(void **state)
{
	size_t b;
	int k;

	(void)state;
	for (b = 0; b < 3; b++) {
		for (k = K_STREAM; k <= K_SEQPACKET; k++) {
			char buf[16];
			size_t nfds = 1;
			int fd = -1, chan;
			pid_t pid = fork_sender((enum kind)k, &chan, send_devnull_bare,
			                        (void *)all_backends[b]);

			assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), 0);
			assert_int_equal(nfds, 1);
			assert_true(fd >= 0);
			close(fd);
			close(chan);
			tu_assert_child_ok(pid);
		}
	}
}

struct stale_arg {
	const char *backend;
	int report, wait;
};

/* Sends with a short deadline nobody meets, reports its errno, and stays
 * alive (so the handle's holder still exists) until told. */
static int send_and_time_out(int chan, void *p)
{
	struct stale_arg *a = p;
	int fd = open("/dev/null", O_RDONLY), err;

	TU_CHECK(givefd_use_backend(a->backend) == 0);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "200", 1);
	TU_CHECK(fd >= 0 && givefd_send(chan, &fd, 1, "s", 1) == -1);
	err = errno;
	TU_CHECK(write_all(a->report, &err, sizeof err) == 0);
	TU_CHECK(wait_byte(a->wait) == 0);
	close(fd);
	return 0;
}

/* A handle read after its sender gave up: ECONNABORTED, nothing taken. */
static void test_stale_handle_after_timeout(void **state)
{
	size_t b;

	(void)state;
	for (b = 0; b < 2; b++) {
		struct stale_arg a;
		int rep[2], w[2], chan, fd = -1, err;
		size_t nfds = 1;
		char buf[4];
		pid_t pid;

		assert_int_equal(pipe(rep), 0);
		assert_int_equal(pipe(w), 0);
		a.backend = backends[b];
		a.report = rep[1];
		a.wait = w[0];
		pid = fork_sender(K_PIPE, &chan, send_and_time_out, &a);
		assert_int_equal(read_all(rep[0], &err, sizeof err), 0);
		assert_int_equal(err, ETIMEDOUT);
		assert_int_equal(tu_recv_own(chan, &fd, &nfds, buf, sizeof buf), -1);
		assert_int_equal(errno, ECONNABORTED);
		assert_int_equal(fd, -1);
		assert_int_equal(write(w[1], "x", 1), 1);
		tu_assert_child_ok(pid);
		close(chan);
		close(rep[0]); close(rep[1]); close(w[0]); close(w[1]);
	}
}

/* ---- 8. opt-in --------------------------------------------------------- */

struct optin_arg {
	const char *backend;
	int want_ok;
};

static int send_optin(int chan, void *p)
{
	struct optin_arg *a = p;
	int fd = open("/dev/null", O_RDONLY);
	ssize_t n;

	TU_CHECK(givefd_use_backend(a->backend) == 0);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "300", 1);
	TU_CHECK(fd >= 0);
	n = givefd_send(chan, &fd, 1, "o", 1);
	close(fd);
	TU_CHECK(a->want_ok ? n == 1 : n == -1);
	return 0;
}

/* A genuine handle over a channel nobody can attribute (a pipe, a FIFO, a
 * socket pair the receiver made) is refused without GIVEFD_TRUST_WRITERS
 * (and the sender does not report success), accepted with it; over a path
 * socket the sender connected it needs no flag. */
static void test_opt_in(void **state)
{
	static const int kinds[] = { K_PIPE, K_FIFO, K_STREAM, K_PATHSOCK };
	size_t b, k;
	int trust;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (k = 0; k < 4; k++) {
			for (trust = 0; trust < 2; trust++) {
				int ok = trust || kinds[k] == K_PATHSOCK, fd = -1, chan;
				struct optin_arg a = { backends[b], ok };
				size_t nfds = 1;
				char buf[4];
				ssize_t n;
				pid_t pid;

				fprintf(stderr, "  %s over %s, %s\n", backends[b],
				        kind_names[kinds[k]], trust ? "flag" : "no flag");
				pid = fork_sender((enum kind)kinds[k], &chan, send_optin, &a);
				n = givefd_recv_flags(chan, &fd, &nfds, buf, sizeof buf,
				                      trust ? GIVEFD_TRUST_WRITERS : 0);
				if (ok) {
					assert_int_equal(n, 1);
					assert_true(fd >= 0);
					close(fd);
				} else {
					assert_int_equal(n, -1);
					assert_int_equal(errno, EPERM);
					assert_int_equal(fd, -1);
				}
				tu_assert_child_ok(pid);
				close(chan);
			}
		}
	}
}

/* ---- 3. helper killed or stopped ------------------------------------- */

struct helper_arg {
	const char *backend;
	int report;
};

static int send_via_helper(int chan, void *p)
{
	struct helper_arg *a = p;
	int fd = open("/dev/null", O_RDONLY), res[2];

	TU_CHECK(givefd_use_backend(a->backend) == 0);
	setenv("GIVEFD_HANDOFF_HELPER", "1", 1);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "300", 1);
	TU_CHECK(fd >= 0);
	res[0] = (int)givefd_send(chan, &fd, 1, "h", 1);
	res[1] = errno;
	close(fd);
	TU_CHECK(write_all(a->report, res, sizeof res) == 0);
	return 0;
}

/* Reads the handle's fixed part off a stream without taking anything. */
static void read_fixed(int chan, struct gfd_handle *h)
{
	unsigned char head[GFD_HANDLE_FIXED];

	assert_int_equal(read_all(chan, head, sizeof head), 0);
	assert_int_equal(gfd_handle_decode_fixed(head, h), 0);
}

/* Attack: the receiver reads the handle but does not take, and the
 * helper is killed (its end of the answer channel closes) or stopped
 * (it never does anything again). Only the receiver's 'T' means taken:
 * killed, the sender fails; stopped, it keeps its own deadline and fails
 * with ETIMEDOUT. */
static void test_helper_killed_or_stopped(void **state)
{
	static const int sigs[] = { SIGKILL, SIGSTOP };
	size_t b, s;

	(void)state;
	for (b = 0; b < 2; b++) {
		for (s = 0; s < 2; s++) {
			struct helper_arg a;
			struct gfd_handle h;
			int rep[2], res[2], chan;
			pid_t pid;

			fprintf(stderr, "  %s, helper %s\n", backends[b],
			        s == 0 ? "killed" : "stopped");
			assert_int_equal(pipe(rep), 0);
			a.backend = backends[b];
			a.report = rep[1];
			pid = fork_sender(K_STREAM, &chan, send_via_helper, &a);
			read_fixed(chan, &h);
			assert_true(h.holder_pid != 0 && h.holder_pid != (uint32_t)pid);
			assert_int_equal(kill((pid_t)h.holder_pid, sigs[s]), 0);
			alarm(30);
			assert_int_equal(read_all(rep[0], res, sizeof res), 0);
			alarm(0);
			assert_int_equal(res[0], -1);
			if (s == 1)
				assert_int_equal(res[1], ETIMEDOUT);
			tu_assert_child_ok(pid);
			close(chan);
			close(rep[0]);
			close(rep[1]);
		}
	}
}

/* ---- 5. no blocking opens, no terminal -------------------------------- */

static int send_fifo_reader(int chan, void *p)
{
	int nonblock = *(int *)p, fd;
	char dir[] = "/tmp/givefd-trust-XXXXXX", path[64];

	TU_CHECK(givefd_use_backend("procfd") == 0);
	TU_CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/f", dir);
	TU_CHECK(mkfifo(path, 0600) == 0);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	unlink(path);
	rmdir(dir);
	TU_CHECK(fd >= 0);
	if (!nonblock)
		TU_CHECK(fcntl(fd, F_SETFL, 0) == 0);
	TU_CHECK(givefd_send(chan, &fd, 1, NULL, 0) == 0);
	close(fd);
	return 0;
}

/* Attack: the read end of a FIFO with no writer, given by procfd: a
 * reopen without O_NONBLOCK waits for a writer forever. The receive
 * returns, the descriptor is that FIFO, and O_NONBLOCK is as it was. */
static void test_fifo_without_writer(void **state)
{
	int nonblock;

	(void)state;
	for (nonblock = 0; nonblock < 2; nonblock++) {
		int chan, fd = -1;
		size_t nfds = 1;
		struct stat st;
		pid_t pid = fork_sender(K_STREAM, &chan, send_fifo_reader, &nonblock);

		alarm(20);
		assert_int_equal(tu_recv_own(chan, &fd, &nfds, NULL, 0), 0);
		alarm(0);
		assert_int_equal(nfds, 1);
		assert_int_equal(fstat(fd, &st), 0);
		assert_true(S_ISFIFO(st.st_mode));
		assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
		assert_int_equal((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, nonblock);
		close(fd);
		close(chan);
		tu_assert_child_ok(pid);
	}
}

/* Child: leads a session of its own with no terminal, receives, and
 * must still have no controlling terminal. */
static int ttyless_receiver(int chan, void *p)
{
	int fd = -1, tty;
	size_t nfds = 1;

	(void)p;
	TU_CHECK(setsid() != -1);
	TU_CHECK(tu_recv_own(chan, &fd, &nfds, NULL, 0) == 0 && nfds == 1);
	TU_CHECK(isatty(fd));
	tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	TU_CHECK(tty == -1 && errno == ENXIO);
	close(fd);
	return 0;
}

/* Attack: a pty slave given by procfd to a session leader without a
 * terminal: a reopen without O_NOCTTY would make it the receiver's
 * controlling terminal. */
static void test_pty_not_acquired(void **state)
{
	int master, slave, chan;
	pid_t pid;

	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master == -1) {
		fprintf(stderr, "  skipped: no pty (%s)\n", strerror(errno));
		skip();
	}
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(slave >= 0);
	assert_int_equal(givefd_use_backend("procfd"), 0);
	pid = tu_fork_peer(SOCK_STREAM, &chan, ttyless_receiver, NULL);
	assert_int_equal(givefd_send(chan, &slave, 1, NULL, 0), 0);
	tu_assert_child_ok(pid);
	close(chan);
	close(slave);
	close(master);
}

/* ---- 4. procfd and privilege ----------------------------------------- */

struct path_arg {
	const char *file;
	char name[40];
	int want_ok;
};

/* B (or A): connects to the receiver's abstract socket and gives an
 * O_PATH descriptor of file by procfd. */
static int send_opath(void *p)
{
	struct path_arg *a = p;
	struct sockaddr_un sa;
	socklen_t len;
	int c, fd;
	ssize_t n;

	TU_CHECK(givefd_use_backend("procfd") == 0);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "2000", 1);
	fd = open(a->file, O_PATH | O_CLOEXEC);
	TU_CHECK(fd >= 0);
	abstract_addr(&sa, &len, a->name);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	TU_CHECK(c >= 0 && connect(c, (struct sockaddr *)&sa, len) == 0);
	n = givefd_send(c, &fd, 1, NULL, 0);
	TU_CHECK(a->want_ok ? n == 0 : n == -1);
	close(c);
	close(fd);
	return 0;
}

static int listen_abstract(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	abstract_addr(&sa, &len, name);
	if (l == -1 || bind(l, (struct sockaddr *)&sa, len) == -1 || listen(l, 1) == -1)
		return -1;
	return l;
}

struct opath_recv {
	const char *file;
	int got_errno;
};

/* A's receiver of an O_PATH descriptor from A. */
static int recv_opath_as_a(void *p)
{
	struct path_arg a;
	int l, c, fd = -1;
	size_t nfds = 1;
	char x;
	pid_t pid;

	memcpy(&a, p, sizeof a);
	l = listen_abstract(a.name);
	TU_CHECK(l >= 0);
	pid = fork();
	if (pid == 0)
		_exit(send_opath(&a));
	c = accept(l, NULL, NULL);
	TU_CHECK(c >= 0);
	TU_CHECK(givefd_recv_flags(c, &fd, &nfds, NULL, 0, 0) == 0 && nfds == 1);
	TU_CHECK((fcntl(fd, F_GETFL) & O_PATH) == O_PATH);
	TU_CHECK(read(fd, &x, 1) == -1 && errno == EBADF);
	close(fd);
	close(c);
	close(l);
	{
		int st;

		TU_CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return 0;
}

/* Attack: B gives root an O_PATH descriptor of a root-only file by
 * procfd: reopened with root's rights it would become readable. Root
 * takes by procfd only from root: EPERM, nothing. And A to A: O_PATH
 * arrives as O_PATH, not readable. */
static void test_opath_and_privilege(void **state)
{
	struct path_arg a;
	char dir[64], file[128];
	int l, c, fd = -1, wfd;
	size_t nfds = 1;
	pid_t pid;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	snprintf(file, sizeof file, "%s/root-only", dir);
	wfd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(wfd >= 0);
	assert_int_equal(write(wfd, "root secret\n", 12), 12);
	close(wfd);
	memset(&a, 0, sizeof a);
	a.file = file;
	snprintf(a.name, sizeof a.name, "givefd-trust-opath-%ld", (long)getpid());
	a.want_ok = 0;
	l = listen_abstract(a.name);
	assert_true(l >= 0);
	pid = fork_as(&user_b, send_opath, &a);
	c = accept(l, NULL, NULL);
	assert_true(c >= 0);
	assert_int_equal(givefd_recv_flags(c, &fd, &nfds, NULL, 0, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(fd, -1);
	tu_assert_child_ok(pid);
	close(c);
	close(l);
	/* A to A. */
	assert_int_equal(chown(file, user_a.uid, user_a.gid), 0);
	a.want_ok = 1;
	pid = fork_as(&user_a, recv_opath_as_a, &a);
	tu_assert_child_ok(pid);
	unlink(file);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- 6. signal storm ---------------------------------------------------- */

static volatile sig_atomic_t storm_ticks;

static void storm_tick(int sig)
{
	(void)sig;
	storm_ticks++;
}

/* SIGALRM every 50 us, without SA_RESTART: every wait sees EINTR. */
static void storm_start(void)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = storm_tick;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_interval.tv_usec = 50;
	it.it_value.tv_usec = 50;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void storm_stop(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

static long storm_count(void)
{
	const char *e = getenv("TRUST_STORM_COUNT");
	long n = e != NULL ? strtol(e, NULL, 10) : 2000;

	return n > 0 ? n : 2000;
}

struct storm_arg {
	const char *backend;
	long count;
};

static int storm_sender(int chan, void *p)
{
	struct storm_arg *a = p;
	int fd = open("/dev/null", O_RDONLY), before;
	long i, failed = 0;

	TU_CHECK(givefd_use_backend(a->backend) == 0 && fd >= 0);
	alarm(0);
	before = tu_count_open_fds();
	storm_start();
	for (i = 0; i < a->count; i++)
		if (givefd_send(chan, &fd, 1, "s", 1) != 1) {
			if (failed++ == 0)
				fprintf(stderr, "  send %ld: %s\n", i, strerror(errno));
		}
	storm_stop();
	TU_CHECK(failed == 0);
	TU_CHECK(tu_count_open_fds() == before);
	close(fd);
	return 0;
}

/* Attack (on robustness): signals without SA_RESTART every 50 us in both
 * sender and receiver, over every channel, for both backends: no
 * transfer fails and no descriptor leaks. */
static void test_signal_storm(void **state)
{
	long count = storm_count();
	size_t b;
	int k;

	(void)state;
	fprintf(stderr, "  %ld transfers per backend and channel\n", count);
	for (b = 0; b < 2; b++) {
		for (k = 0; k < NKINDS; k++) {
			struct storm_arg a = { backends[b], count };
			long i, failed = 0;
			int chan, before;
			pid_t pid = fork_sender((enum kind)k, &chan, storm_sender, &a);

			fprintf(stderr, "  %s over %s\n", backends[b], kind_names[k]);
			before = tu_count_open_fds();
			storm_start();
			for (i = 0; i < count; i++) {
				int fd = -1;
				size_t nfds = 1;
				char buf[4];

				if (tu_recv_own(chan, &fd, &nfds, buf, sizeof buf) != 1 ||
				    nfds != 1) {
					if (failed++ == 0)
						fprintf(stderr, "  receive %ld: %s\n", i,
						        strerror(errno));
				}
				if (fd != -1)
					close(fd);
			}
			storm_stop();
			assert_int_equal(failed, 0);
			assert_int_equal(tu_count_open_fds(), before);
			tu_assert_child_ok(pid);
			close(chan);
		}
	}
}

/* ---- 2. root sender to another user: the helper holds nothing else ---- */

/* The parent pid in /proc/PID/stat, or -1. */
static long ppid_of(long pid)
{
	char path[48], text[512], *cp;
	long ppid = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	if (fgets(text, sizeof text, f) != NULL && (cp = strrchr(text, ')')) != NULL &&
	    sscanf(cp + 1, " %*c %ld", &ppid) != 1)
		ppid = -1;
	fclose(f);
	return ppid;
}

/* Whether one of pid's arguments contains name. */
static int cmdline_names(long pid, const char *name)
{
	char path[48], args[4096];
	ssize_t n, at;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = read(fd, args, sizeof args - 1);
	close(fd);
	for (at = 0; at < n; at += (ssize_t)strlen(args + at) + 1) {
		args[n] = '\0';
		if (strstr(args + at, name) != NULL)
			return 1;
	}
	return 0;
}

/* A child of parent whose program this process may see and is
 * givefd-helper, or -1. */
static long helper_child_of(long parent)
{
	struct dirent *e;
	long found = -1;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		long pid = strtol(e->d_name, NULL, 10);
		char path[48], exe[256];
		ssize_t n;

		if (pid <= 0 || pid == (long)getpid() || ppid_of(pid) != parent)
			continue;
		snprintf(path, sizeof path, "/proc/%ld/exe", pid);
		n = readlink(path, exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = '\0';
			if (strstr(exe, "givefd-helper") != NULL)
				found = pid;
		}
		/* Under qemu-user exe is the emulator; the program's path is
		 * among the arguments it was started with. */
		if (found != pid && cmdline_names(pid, "givefd-helper"))
			found = pid;
	}
	closedir(d);
	return found;
}

/* Whether the marker is anywhere in pid's readable memory. */
static int memory_holds(long pid, const char *marker)
{
	char path[48], line[512];
	size_t mlen = strlen(marker);
	int mem, found = 0;
	FILE *maps;

	snprintf(path, sizeof path, "/proc/%ld/maps", pid);
	maps = fopen(path, "re");
	snprintf(path, sizeof path, "/proc/%ld/mem", pid);
	mem = open(path, O_RDONLY | O_CLOEXEC);
	if (maps == NULL || mem == -1) {
		if (maps != NULL)
			fclose(maps);
		if (mem != -1)
			close(mem);
		return -1;
	}
	while (!found && fgets(line, sizeof line, maps) != NULL) {
		unsigned long lo, hi;
		char perms[8];
		char *buf;

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
		    hi - lo > (64ul << 20))
			continue;
		buf = malloc(hi - lo);
		if (buf == NULL)
			continue;
		if (pread(mem, buf, hi - lo, (off_t)lo) == (ssize_t)(hi - lo))
			found = memmem(buf, hi - lo, marker, mlen) != NULL;
		free(buf);
	}
	fclose(maps);
	close(mem);
	return found;
}

struct scan_arg {
	char name[40];
	const char *marker;
	pid_t sender;
};

/* B's receiver: finds the helper its root peer started, looks at it, then
 * receives. */
static int scanning_receiver(void *p)
{
	struct scan_arg *a = p;
	char path[48], text[1024], *uid;
	struct pollfd pfd;
	int l, c, fd = -1;
	size_t nfds = 1;
	long helper;
	ssize_t n;
	FILE *f;

	l = listen_abstract(a->name);
	TU_CHECK(l >= 0);
	c = accept(l, NULL, NULL);
	TU_CHECK(c >= 0);
	pfd.fd = c;
	pfd.events = POLLIN;
	TU_CHECK(poll(&pfd, 1, -1) == 1);
	/* Its program is givefd-helper, which this user may see. */
	helper = helper_child_of(a->sender);
	TU_CHECK(helper > 0);
	snprintf(path, sizeof path, "/proc/%ld/status", helper);
	f = fopen(path, "re");
	TU_CHECK(f != NULL);
	n = (ssize_t)fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n > 0 ? n : 0] = '\0';
	uid = strstr(text, "\nUid:");
	TU_CHECK(uid != NULL);
	{
		unsigned long r, e, s2, fs;

		TU_CHECK(sscanf(uid + 5, "%lu %lu %lu %lu", &r, &e, &s2, &fs) == 4);
		TU_CHECK(r == getuid() && e == getuid() && s2 == getuid() && fs == getuid());
	}
	TU_CHECK(memory_holds(helper, a->marker) == 0);
	TU_CHECK(givefd_recv_flags(c, &fd, &nfds, NULL, 0, 0) == 0 && nfds == 1);
	close(fd);
	close(c);
	close(l);
	return 0;
}

/* Attack: a user who receives from root reads the memory of the process
 * it may take from. That process (the helper) must be givefd-helper
 * running as that user, holding nothing of the root sender's memory (a
 * marker in the sender's heap is not there), and the transfer works. */
static void test_root_sender_helper_holds_nothing(void **state)
{
	struct scan_arg a;
	struct sockaddr_un sa;
	socklen_t len;
	char *marker;
	int c, fd, i;
	pid_t pid;

	(void)state;
	need_users();
	marker = malloc(64);
	assert_non_null(marker);
	snprintf(marker, 64, "gfd-heap-marker-%ld-", (long)getpid());
	for (i = (int)strlen(marker); i < 40; i++)
		marker[i] = (char)('a' + (rand() % 26));
	marker[40] = '\0';
	memset(&a, 0, sizeof a);
	snprintf(a.name, sizeof a.name, "givefd-trust-scan-%ld", (long)getpid());
	a.marker = marker;
	a.sender = getpid();
	pid = fork_as(&user_b, scanning_receiver, &a);
	abstract_addr(&sa, &len, a.name);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	for (i = 0; connect(c, (struct sockaddr *)&sa, len) == -1 && i < 1000; i++)
		usleep(10000);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (i = 0; i < 2; i++) {
		if (i == 1) {
			/* Again by pidfd, on a fresh connection. */
			tu_assert_child_ok(pid);
			close(c);
			pid = fork_as(&user_b, scanning_receiver, &a);
			c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
			while (connect(c, (struct sockaddr *)&sa, len) == -1)
				usleep(10000);
		}
		fprintf(stderr, "  %s\n", backends[i]);
		assert_int_equal(givefd_use_backend(backends[i]), 0);
		assert_int_equal(givefd_send(c, &fd, 1, NULL, 0), 0);
	}
	tu_assert_child_ok(pid);
	close(c);
	close(fd);
	free(marker);
}

/* ---- 7. pid reuse ------------------------------------------------------- */

static int send_and_hang(int chan, void *p)
{
	int fd = open("/dev/null", O_RDONLY);

	TU_CHECK(givefd_use_backend(p) == 0 && fd >= 0);
	(void)givefd_send(chan, &fd, 1, NULL, 0);
	return 1;
}

struct lookalike {
	const struct gfd_handle *h;
	int ready, done;
	pid_t want;
};

static int move_high(int fd)
{
	int n = fcntl(fd, F_DUPFD_CLOEXEC, 200);

	close(fd);
	return n;
}

/* In the process that got the dead sender's pid: objects like the
 * sender's at the same numbers, with other bytes; afterwards none was
 * touched. */
static int lookalike_body(void *p)
{
	struct lookalike *a = p;
	const struct gfd_handle *h = a->h;
	char buf[32], other[GFD_SECRET_LEN] = "lookalike-bytes";
	int ends[2], keep, mfd;

	if (getpid() != a->want)
		return 3;
	a->ready = move_high(a->ready);
	a->done = move_high(a->done);
	if (h->backend == GFD_HANDLE_PROCFD) {
		TU_CHECK(pipe(ends) == 0);
		keep = move_high(ends[0]);
		ends[1] = move_high(ends[1]);
		mfd = memfd_create("lookalike", MFD_ALLOW_SEALING);
		TU_CHECK(mfd >= 0 && write(mfd, other, sizeof other) == 16);
		TU_CHECK(fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK |
		               F_SEAL_GROW | F_SEAL_WRITE) == 0);
		TU_CHECK(dup2(mfd, h->proof_fd) == h->proof_fd);
		TU_CHECK(dup2(ends[1], h->answer_fd) == h->answer_fd);
		TU_CHECK(dup2(mfd, h->fds[0]) == h->fds[0]);
	} else {
		TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, ends) == 0);
		keep = move_high(ends[0]);
		ends[1] = move_high(ends[1]);
		TU_CHECK(sendmsg_fd(keep, other, sizeof other, keep) == 0);
		TU_CHECK(dup2(ends[1], h->proof_fd) == h->proof_fd);
	}
	TU_CHECK(write(a->ready, "r", 1) == 1);
	TU_CHECK(wait_byte(a->done) == 0);
	if (h->backend == GFD_HANDLE_PROCFD) {
		TU_CHECK(fcntl(keep, F_SETFL, O_NONBLOCK) == 0);
		TU_CHECK(read(keep, buf, sizeof buf) == -1 && errno == EAGAIN);
	} else {
		TU_CHECK(recv(keep, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN);
		TU_CHECK(recv(h->proof_fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT) == 16);
	}
	return 0;
}

/* Makes a process with pid want that runs lookalike_body: 0 when ready,
 * -1 when it could not be had. */
static int fork_with_pid(struct lookalike *a, pid_t *child)
{
	int tries;

	for (tries = 0; tries < 200; tries++) {
		int rp[2], dp[2], st;
		char c;
		FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "we");
		pid_t pid;

		if (f == NULL)
			return -1;
		fprintf(f, "%ld", (long)a->want - 1);
		if (fclose(f) != 0)
			return -1;
		assert_int_equal(pipe(rp), 0);
		assert_int_equal(pipe(dp), 0);
		a->ready = rp[1];
		a->done = dp[0];
		pid = fork_as(NULL, lookalike_body, a);
		close(rp[1]);
		close(dp[0]);
		if (read(rp[0], &c, 1) == 1) {
			close(rp[0]);
			a->done = dp[1];
			*child = pid;
			return 0;
		}
		close(rp[0]);
		close(dp[1]);
		assert_int_equal(waitpid(pid, &st, 0), pid);
	}
	return -1;
}

/* Attack: the sender dies after writing its handle, and a process that
 * gets the same pid holds lookalike objects at the same numbers (a sealed
 * memfd, a socket pair with a message queued) with other bytes. The
 * receiver refuses and takes nothing. */
static void test_pid_reuse(void **state)
{
	size_t b;

	(void)state;
	if (geteuid() != 0 || access("/proc/sys/kernel/ns_last_pid", W_OK) != 0) {
		fprintf(stderr, "  skipped: ns_last_pid not writable\n");
		skip();
	}
	for (b = 0; b < 2; b++) {
		unsigned char head[GFD_HANDLE_MAX];
		struct gfd_handle h;
		struct lookalike a;
		struct pollfd pfd;
		int chan, fd = -1, st;
		size_t nfds = 1;
		pid_t pid, child = -1;
		ssize_t n;

		a.done = -1;
		fprintf(stderr, "  %s\n", backends[b]);
		pid = fork_sender(K_STREAM, &chan, send_and_hang, (void *)backends[b]);
		pfd.fd = chan;
		pfd.events = POLLIN;
		assert_int_equal(poll(&pfd, 1, -1), 1);
		n = recv(chan, head, sizeof head, MSG_PEEK);
		assert_true(n >= GFD_HANDLE_FIXED);
		assert_int_equal(gfd_handle_decode_fixed(head, &h), 0);
		if (gfd_handle_lists_fds(h.backend)) {
			assert_true((size_t)n >= gfd_handle_size(&h));
			assert_int_equal(gfd_handle_decode_fds(head + GFD_HANDLE_FIXED, &h), 0);
		}
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		a.h = &h;
		a.want = pid;
		if (fork_with_pid(&a, &child) == -1) {
			close(chan);
			fprintf(stderr, "  skipped: could not get pid %ld again\n", (long)pid);
			skip();
		}
		n = tu_recv_own(chan, &fd, &nfds, NULL, 0);
		assert_int_equal(n, -1);
		assert_true(errno == EPERM || errno == ECONNABORTED);
		assert_int_equal(fd, -1);
		assert_int_equal(write(a.done, "x", 1), 1);
		close(a.done);
		tu_assert_child_ok(child);
		close(chan);
	}
}

/* ---- 1d. naming a live helper of an unrelated transfer ---------------- */

struct unrelated_arg {
	const char *backend;
	int report;             /* the sender's pid, then its result */
};

/* A's sender with a helper, whose receiver never takes: reports its pid,
 * then whether givefd_send failed (it must). */
static int unrelated_sender(void *p)
{
	struct unrelated_arg *a = p;
	int sv[2], fd = open("/dev/null", O_RDONLY), res[2];

	TU_CHECK(givefd_use_backend(a->backend) == 0 && fd >= 0);
	setenv("GIVEFD_HANDOFF_HELPER", "1", 1);
	setenv("GIVEFD_HANDOFF_TIMEOUT_MS", "5000", 1);
	TU_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	res[0] = (int)getpid();
	TU_CHECK(write_all(a->report, res, sizeof(int)) == 0);
	res[0] = (int)givefd_send(sv[0], &fd, 1, NULL, 0);
	res[1] = errno;
	TU_CHECK(write_all(a->report, res, sizeof res) == 0);
	close(sv[0]);
	close(sv[1]);
	close(fd);
	return 0;
}

/* Attack: B names a live helper of an unrelated transfer of A's (found
 * in /proc) as the holder. A's receiver refuses; the unrelated sender,
 * whose own receiver never took, does not report success. */
static void test_forged_handle_names_live_helper(void **state)
{
	char dir[64];
	size_t b;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	for (b = 0; b < 2; b++) {
		struct unrelated_arg a;
		struct gfd_handle h;
		int rep[2], sender, res[2], i;
		long helper = -1;
		pid_t pid;

		fprintf(stderr, "  %s\n", backends[b]);
		assert_int_equal(pipe(rep), 0);
		a.backend = backends[b];
		a.report = rep[1];
		pid = fork_as(&user_a, unrelated_sender, &a);
		assert_int_equal(read_all(rep[0], &sender, sizeof sender), 0);
		for (i = 0; i < 2000 && helper == -1; i++) {
			helper = helper_child_of(sender);
			if (helper == -1)
				usleep(1000);
		}
		assert_true(helper > 0);
		fill_handle(&h, wires[b], sender, (pid_t)helper, 0, b == 0 ? 1 : 0,
		            b == 0 ? 2 : 0);
		forged_once(dir, CH_FIFO, GIVEFD_TRUST_WRITERS, &h, 0);
		assert_int_equal(read_all(rep[0], res, sizeof res), 0);
		assert_int_equal(res[0], -1);
		tu_assert_child_ok(pid);
		close(rep[0]);
		close(rep[1]);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* ---- 1e. a handle that claims to come from the receiver itself --------- */

struct selfname_arg {
	const char *path;
	unsigned char proof[GFD_PROOF_LEN];
	int report, go;
};

/* A's receiver on its FIFO, without GIVEFD_TRUST_WRITERS. It holds a
 * socket pair of its own on which bytes from elsewhere wait (as when a
 * child of its forwards what a client sent): here, the proof bytes of B's
 * secret. Nothing may be written into that pair. */
static int selfname_receiver(void *p)
{
	struct selfname_arg *a = p;
	int sp[2], chan, fd = -1, num[2];
	unsigned char buf[64];
	size_t nfds = 1;
	ssize_t n;

	chan = open(a->path, O_RDONLY | O_NONBLOCK);
	TU_CHECK(chan >= 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	TU_CHECK(write_all(sp[0], a->proof, sizeof a->proof) == 0);
	num[0] = (int)getpid();
	num[1] = sp[1];
	TU_CHECK(write_all(a->report, num, sizeof num) == 0);
	TU_CHECK(wait_byte(a->go) == 0);
	TU_CHECK(fcntl(chan, F_SETFL, 0) == 0);
	n = givefd_recv_flags(chan, &fd, &nfds, NULL, 0, 0);
	TU_CHECK(n == -1 && errno == EPERM && fd == -1);
	/* Nothing answered into its pair; the bytes still wait. */
	TU_CHECK(recv(sp[0], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	TU_CHECK(recv(sp[1], buf, sizeof buf, MSG_DONTWAIT | MSG_PEEK) == GFD_PROOF_LEN);
	close(sp[0]);
	close(sp[1]);
	close(chan);
	return 0;
}

/* Attack (pidfd): B writes into A's FIFO, read without
 * GIVEFD_TRUST_WRITERS, a handle that claims the receiver itself as
 * sender and holder. The opt-in must not be skipped for such a handle:
 * refused at once (EPERM) with nothing opened, peeked or written. */
static void test_handle_claiming_receiver_as_sender(void **state)
{
	struct selfname_arg a;
	struct attacker_arg at;
	char dir[64], path[128];
	int rep[2], go[2], num[2];
	pid_t r, w;

	(void)state;
	need_users();
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/chan", dir);
	assert_int_equal(mkfifo(path, 0622), 0);
	assert_int_equal(chmod(path, 0622), 0);
	assert_int_equal(chown(path, user_a.uid, user_a.gid), 0);
	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(go), 0);
	memset(&at, 0, sizeof at);
	make_proof(at.h.secret, a.proof);
	a.path = path;
	a.report = rep[1];
	a.go = go[0];
	r = fork_as(&user_a, selfname_receiver, &a);
	assert_int_equal(read_all(rep[0], num, sizeof num), 0);
	{
		unsigned char secret[GFD_SECRET_LEN];

		memcpy(secret, at.h.secret, sizeof secret);
		fill_handle(&at.h, GFD_HANDLE_PIDFD, num[0], num[0], num[1], num[1], 0);
		memcpy(at.h.secret, secret, sizeof secret);
	}
	at.path = path;
	at.kind = CH_FIFO;
	w = fork_as(&user_b, attacker_body, &at);
	tu_assert_child_ok(w);
	assert_int_equal(write(go[1], "g", 1), 1);
	tu_assert_child_ok(r);
	close(rep[0]); close(rep[1]); close(go[0]); close(go[1]);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_forged_handle_from_other_user),
		TU_TEST(test_known_bytes_cannot_be_named),
		TU_TEST(test_pidfd_proof_in_victims_connection),
		TU_TEST(test_handle_claiming_receiver_as_sender),
		TU_TEST(test_self_receive),
		TU_TEST(test_huge_counts_refused),
		TU_TEST(test_empty_send_refused),
		TU_TEST(test_fds_without_payload),
		TU_TEST(test_stale_handle_after_timeout),
		TU_TEST(test_opt_in),
		TU_TEST(test_helper_killed_or_stopped),
		TU_TEST(test_fifo_without_writer),
		TU_TEST(test_pty_not_acquired),
		TU_TEST(test_opath_and_privilege),
		TU_TEST(test_root_sender_helper_holds_nothing),
		TU_TEST(test_pid_reuse),
		TU_TEST(test_forged_handle_names_live_helper),
		TU_TEST(test_signal_storm),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	end_children();
	remove_made_dirs();
	drop_users();
	return rc;
}

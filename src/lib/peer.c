/*
 * peer.c: the trust check. A handle names a pid; before anything is taken
 * from it the receiver proves that it is a live helper started by the
 * sender for this transfer (its parent is the sender, its name carries the
 * nonce), or for a direct handle the sender itself in the middle of this
 * transfer (it holds the answer channel whose inode is the nonce, and the
 * other end of this very pipe or FIFO); that it runs as this user; and,
 * where the channel gives credentials, that the sender is the peer. The
 * pid stays pinned (pidfd, /proc/PID) so that it cannot be reused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"
#include "internal.h"
#include "handoff.h"

int gfd_read_proc_file(int dir, const char *path, char *text, size_t size)
{
	ssize_t n;
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	do
		n = read(fd, text, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EPROTO : errno;
		return -1;
	}
	text[n] = '\0';
	return 0;
}

/* Reads /proc/PID/stat: the name between the outer parentheses and the
 * parent pid after them. */
static int read_stat(int dir, char name[16], long *ppid)
{
	char text[512], *open_paren, *close_paren;
	size_t len;

	if (gfd_read_proc_file(dir, "stat", text, sizeof text) == -1)
		return -1;
	open_paren = strchr(text, '(');
	close_paren = strrchr(text, ')');
	if (open_paren == NULL || close_paren == NULL || close_paren < open_paren)
		return -1;
	len = (size_t)(close_paren - open_paren - 1);
	if (len > 15)
		return -1;
	memcpy(name, open_paren + 1, len);
	name[len] = '\0';
	/* ") S PPID ..." */
	if (sscanf(close_paren + 1, " %*c %ld", ppid) != 1)
		return -1;
	return 0;
}

/* What the channel says of the sender. */
enum peer_word { PEER_SILENT, PEER_CONFIRMS, PEER_DENIES };

/* Where the channel tells who wrote to it, the sender must be that one, of
 * this user (or this is root). A socket pair made by this very process
 * tells nothing, nor does a pipe. Sets *is_socket. */
static enum peer_word ask_channel(int chan, const struct gfd_handle *h,
                                  pid_t self, int *is_socket)
{
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	*is_socket = 1;
	if (getsockopt(chan, SOL_SOCKET, SO_PEERCRED, &cred, &size) == -1) {
		*is_socket = errno != ENOTSOCK;
		return PEER_SILENT;
	}
	if (cred.pid <= 0 || cred.pid == self)
		return PEER_SILENT;
	return (uint32_t)cred.pid == h->sender_pid &&
	       (cred.uid == geteuid() || geteuid() == 0) ? PEER_CONFIRMS
	                                                 : PEER_DENIES;
#else
	struct stat st;

	(void)h;
	(void)self;
	*is_socket = fstat(chan, &st) == 0 && S_ISSOCK(st.st_mode);
	return PEER_SILENT;
#endif
}

/* A pidfd becomes readable when its process exits; /proc/PID's entries
 * vanish then too (its directory descriptor stays valid but empty). */
static int still_alive(int pidfd, int dir)
{
	if (pidfd != -1) {
		struct pollfd pfd;

		pfd.fd = pidfd;
		pfd.events = POLLIN;
		return poll(&pfd, 1, 0) == 0;
	}
	return faccessat(dir, "stat", R_OK, 0) == 0;
}

/* Pins pid with a pidfd (pidfd handles) or else opens /proc/PID and
 * checks its owner: 0, or -1 (errno ENOSYS when the kernel
 * has no pidfd, anything else a refusal). */
static int pin(const struct gfd_handle *h, struct gfd_proc *p)
{
	char path[32];
	struct stat st;

#ifdef HAVE_PIDFD_SYSCALLS
	if (h->backend == GFD_HANDLE_PIDFD) {
		p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
		if (p->pidfd == -1)
			return -1;
	}
#endif
	if ((h->flags & GFD_HANDLE_DIRECT) && p->pidfd != -1)
		return 0;
	snprintf(path, sizeof path, "/proc/%lu", (unsigned long)p->pid);
	p->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dir == -1 || fstat(p->dir, &st) == -1)
		return -1;
	if (st.st_uid != geteuid() && geteuid() != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

static int is_helper(const struct gfd_handle *h, const struct gfd_proc *p)
{
	char name[16], expected[16];
	long ppid;

	if (read_stat(p->dir, name, &ppid) == -1)
		return 0;
	gfd_helper_name(h->nonce, expected);
	return ppid == (long)h->sender_pid && strcmp(name, expected) == 0;
}

/* The far end of a direct sender's answer channel: a socket (pidfd) or a
 * pipe (procfd) whose inode is the nonce. */
static int is_answer_end(const struct stat *st, const struct gfd_handle *h)
{
	return (h->backend == GFD_HANDLE_PIDFD ? S_ISSOCK(st->st_mode)
	                                       : S_ISFIFO(st->st_mode)) &&
	       (uint64_t)st->st_ino == h->nonce;
}

/* A direct sender holds, at the numbers it gave, its answer channel's end
 * and, unless the channel vouched for it, the other end of this pipe or
 * FIFO (a socket pair's other end cannot be recognised) and runs as this
 * user. Only stat through /proc: nothing is opened. */
static int is_direct_sender(int chan, int is_socket, enum peer_word word,
                            const struct gfd_handle *h, pid_t pid)
{
	char path[48];
	struct stat st, mine;

	snprintf(path, sizeof path, "/proc/%ld/fd/%ld", (long)pid, (long)h->answer_fd);
	if (stat(path, &st) == -1 || !is_answer_end(&st, h))
		return 0;
	if (word == PEER_CONFIRMS)
		return 1;
	snprintf(path, sizeof path, "/proc/%ld", (long)pid);
	if (stat(path, &st) == -1 || (st.st_uid != geteuid() && geteuid() != 0))
		return 0;
	if (is_socket)
		return 1;
	snprintf(path, sizeof path, "/proc/%ld/fd/%ld", (long)pid, (long)h->chan_fd);
	return fstat(chan, &mine) == 0 && stat(path, &st) == 0 &&
	       st.st_dev == mine.st_dev && st.st_ino == mine.st_ino;
}

/* Takes (pidfd) or opens (procfd: a write-only, non-blocking description
 * of our own) the far end of the direct sender's answer channel, checking
 * that it is still the one named. */
static int take_answer_end(const struct gfd_handle *h, struct gfd_proc *p)
{
	struct stat st;

	if (p->pidfd != -1) {
#ifdef HAVE_PIDFD_SYSCALLS
		p->answer = (int)syscall(SYS_pidfd_getfd, p->pidfd, h->answer_fd, 0u);
#endif
	} else {
		char path[32];

		snprintf(path, sizeof path, "fd/%ld", (long)h->answer_fd);
		p->answer = openat(p->dir, path,
		                O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	}
	return p->answer != -1 && fstat(p->answer, &st) == 0 && is_answer_end(&st, h)
	       ? 0 : -1;
}

int gfd_peer_open(int chan, const struct gfd_handle *h, struct gfd_proc *p)
{
	int direct = (h->flags & GFD_HANDLE_DIRECT) != 0, is_socket;
	pid_t self = getpid();
	enum peer_word word = ask_channel(chan, h, self, &is_socket);

	p->dir = -1;
	p->pidfd = -1;
	p->answer = -1;
	p->pid = (pid_t)(direct ? h->sender_pid : h->helper_pid);
	if (word == PEER_DENIES)
		goto refuse;
	if (h->nfds == 0)
		return 0;
	if (h->sender_pid == (uint32_t)self)
		goto refuse;
	if (pin(h, p) == -1) {
		if (errno == ENOSYS)
			return -1;
		goto refuse;
	}
	if (direct ? !is_direct_sender(chan, is_socket, word, h, p->pid) :
	             !is_helper(h, p))
		goto refuse;
	/* Still the process the pidfd and the directory were opened on. */
	if (!still_alive(p->pidfd, p->dir))
		goto refuse;
	if (direct && take_answer_end(h, p) == -1)
		goto refuse;
	return 0;
refuse:
	gfd_peer_release(p, GFD_NOTHING);
	errno = EPERM;
	return -1;
}

/* Writes the byte a direct sender reads (direct.c), never blocking: 0, or
 * -1 when the sender no longer listens (it gave up, or is gone). */
static int answer(const struct gfd_proc *p, enum gfd_outcome outcome)
{
	char c = outcome == GFD_TAKEN ? 'T' : 'R';
	struct gfd_sigpipe_guard guard;
	ssize_t n;

	if (p->pidfd != -1) {
		do
			n = send(p->answer, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		return n == 1 ? 0 : -1;
	}
	gfd_sigpipe_hold(&guard);
	do
		n = write(p->answer, &c, 1);
	while (n == -1 && errno == EINTR);
	gfd_sigpipe_release(&guard);
	return n == 1 ? 0 : -1;
}

int gfd_peer_release(struct gfd_proc *p, enum gfd_outcome outcome)
{
	int saved = errno, rc = 0;
	int sig = outcome == GFD_TAKEN ? SIGKILL :
	          outcome == GFD_REFUSED ? SIGTERM : 0;

	if (p->answer != -1) {
		if (outcome != GFD_NOTHING && answer(p, outcome) == -1 &&
		    outcome == GFD_TAKEN) {
			saved = ECONNABORTED;
			rc = -1;
		}
		close(p->answer);
		p->answer = -1;
		sig = 0;
	}
	if (sig != 0 && p->dir != -1) {
		/* Without pidfd_send_signal (Linux before 5.1, some sandboxes
		 * and valgrind refuse it), kill by pid: the helper is the
		 * sender's unreaped child, so its pid cannot have been reused. */
#ifdef HAVE_PIDFD_SYSCALLS
		if (syscall(SYS_pidfd_send_signal, p->pidfd != -1 ? p->pidfd : p->dir,
		            sig, NULL, 0) == -1 && errno == ENOSYS)
			kill(p->pid, sig);
#else
		kill(p->pid, sig);
#endif
	}
	if (p->pidfd != -1)
		close(p->pidfd);
	if (p->dir != -1)
		close(p->dir);
	p->pidfd = -1;
	p->dir = -1;
	errno = saved;
	return rc;
}

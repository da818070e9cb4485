/*
 * peer.c: the trust check. A handle names a pid; before anything is taken
 * from it the receiver proves that it is a live helper started by the
 * sender for this transfer: its parent is the sender, its name carries the
 * nonce, it runs as this user, and where the channel gives credentials the
 * sender is the peer. /proc/PID stays open so the pid cannot be reused.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"
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

/* Where the channel tells who wrote to it, the sender must be that one.
 * A socket pair made by this very process tells nothing. */
static int sender_is_peer(int chan, const struct gfd_handle *h)
{
#ifdef HAVE_SO_PEERCRED_UCRED
	struct ucred cred;
	socklen_t size = sizeof cred;

	if (getsockopt(chan, SOL_SOCKET, SO_PEERCRED, &cred, &size) == -1 ||
	    cred.pid <= 0 || cred.pid == getpid())
		return 1;
	return (uint32_t)cred.pid == h->sender_pid &&
	       (cred.uid == geteuid() || geteuid() == 0);
#else
	(void)chan;
	(void)h;
	return 1;
#endif
}

static int helper_alive(int pidfd, int dir)
{
#ifdef HAVE_PIDFD_SYSCALLS
	if (syscall(SYS_pidfd_send_signal, pidfd != -1 ? pidfd : dir, 0,
	            NULL, 0) == 0)
		return 1;
	if (errno != ENOSYS && errno != EBADF && errno != EINVAL)
		return 0;
#endif
	return faccessat(dir, "stat", R_OK, 0) == 0;
}

int gfd_peer_open(int chan, const struct gfd_handle *h, struct gfd_proc *p)
{
	char path[32], name[16], expected[16];
	struct stat st;
	long ppid;

	p->dir = -1;
	p->pidfd = -1;
	p->pid = (pid_t)h->helper_pid;
	if (h->nfds == 0)
		return sender_is_peer(chan, h) ? 0 : (errno = EPERM, -1);
	if (h->sender_pid == (uint32_t)getpid() || !sender_is_peer(chan, h))
		goto refuse;
#ifdef HAVE_PIDFD_SYSCALLS
	if (h->backend == GFD_HANDLE_PIDFD) {
		p->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)h->helper_pid, 0);
		if (p->pidfd == -1) {
			if (errno == ENOSYS)
				return -1;
			goto refuse;
		}
	}
#endif
	snprintf(path, sizeof path, "/proc/%lu", (unsigned long)h->helper_pid);
	p->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dir == -1 || fstat(p->dir, &st) == -1 ||
	    read_stat(p->dir, name, &ppid) == -1)
		goto refuse;
	gfd_helper_name(h->nonce, expected);
	if (ppid != (long)h->sender_pid || strcmp(name, expected) != 0 ||
	    (st.st_uid != geteuid() && geteuid() != 0))
		goto refuse;
	/* Still the process the pidfd and the directory were opened on. */
	if (!helper_alive(p->pidfd, p->dir))
		goto refuse;
	return 0;
refuse:
	gfd_peer_release(p, 0);
	errno = EPERM;
	return -1;
}

void gfd_peer_release(struct gfd_proc *p, int sig)
{
	int saved = errno;

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
}

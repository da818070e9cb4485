/* SPDX-License-Identifier: ISC */
/*
 * prefetchd.c: the page-cache prefetch daemon's command line and set-up:
 * pipe mode or a listening socket (or the one systemd passed), the lock
 * budget and the per-uid limits, the user to become, the sandbox, then
 * the event loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "givefd.h"
#include "lockpool.h"
#include "log.h"
#include "loop.h"
#include "prefetch.h"
#include "sandbox.h"
#include "session.h"
#include "size.h"
#include "sockpath.h"
#include "parseint.h"
#include "unixsock.h"

#define PF_BUDGET_UNLIMITED ((uint64_t)1 << 30)
#define PF_LOCK_WORKERS 2
#define PF_HELLO_TIMEOUT 10

struct pf_opts {
	int in_fd, out_fd;
	const char *socket;
	const char *group;
	const char *user;
	uint64_t max_locked;
	int max_locked_set;
	uint64_t max_readahead;
	long hello_timeout;
	long max_conns, max_sessions, max_files, max_pending; /* -1: derived */
	int seccomp;
	int syslog;
};

static void usage(FILE *to)
{
	fputs("usage: prefetchd [options]\n"
	      "  --input-fd N --output-fd M  serve one parent over these descriptors\n"
	      "  --socket PATH      listen on a Unix socket, mode 0600 (default\n"
	      "                     " PREFETCH_DEFAULT_SOCKET " as root, else\n"
	      "                     $XDG_RUNTIME_DIR/" PF_SOCKET_NAME
	      "; or the socket systemd\n"
	      "                     passes in LISTEN_FDS)\n"
	      "  --socket-group GROUP  let GROUP connect too (mode 0660)\n"
	      "  --max-locked SIZE  locked-memory budget, K/M/G suffixes\n"
	      "                     (default: RLIMIT_MEMLOCK)\n"
	      "  --max-readahead SIZE  advice per request at most (default: no limit)\n"
	      "  --max-conns-per-user N     connections of one uid at once\n"
	      "  --max-sessions-per-user N  sessions of one uid (default 256)\n"
	      "  --max-files-per-user N     files one uid registers, in all its\n"
	      "                     sessions\n"
	      "  --max-pending-fds-per-user N  descriptors one uid has sent that no\n"
	      "                     request has settled yet (defaults: from\n"
	      "                     RLIMIT_NOFILE)\n"
	      "  --hello-timeout SECS  close a connection that has not said HELLO\n"
	      "                     by then (default 10, 0: never)\n"
	      "  --user USER        run as USER once set up (when started as root)\n"
	      "  --no-seccomp       do not install the seccomp filter\n"
	      "  --syslog           log to syslog instead of stderr\n"
	      "  -v, --verbose      log every failed request\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n", to);
}

/* A count on the command line: 0 and *out, or -1. */
static int pf_parse_count(const char *s, long *out)
{
	return util_parse_long(s, 0, INT_MAX, out);
}

static int pf_parse_fd(const char *s, int *fd)
{
	long v;

	if (pf_parse_count(s, &v) == -1)
		return -1;
	*fd = (int)v;
	return 0;
}


static int pf_options(int argc, char **argv, struct pf_opts *o)
{
	static const struct option longopts[] = {
		{ "input-fd", required_argument, NULL, 'i' },
		{ "output-fd", required_argument, NULL, 'o' },
		{ "socket", required_argument, NULL, 's' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "max-locked", required_argument, NULL, 'm' },
		{ "max-readahead", required_argument, NULL, 'r' },
		{ "max-conns-per-user", required_argument, NULL, 'C' },
		{ "max-sessions-per-user", required_argument, NULL, 'E' },
		{ "max-files-per-user", required_argument, NULL, 'F' },
		{ "max-pending-fds-per-user", required_argument, NULL, 'P' },
		{ "hello-timeout", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'u' },
		{ "no-seccomp", no_argument, NULL, 'S' },
		{ "syslog", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->in_fd = o->out_fd = -1;
	o->seccomp = 1;
	o->hello_timeout = PF_HELLO_TIMEOUT;
	o->max_conns = o->max_sessions = o->max_files = o->max_pending = -1;
	while ((c = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'o':
			if (pf_parse_fd(optarg, c == 'i' ? &o->in_fd : &o->out_fd) == -1) {
				fprintf(stderr, "prefetchd: bad descriptor '%s'\n", optarg);
				return 2;
			}
			break;
		case 's': o->socket = optarg; break;
		case 'g': o->group = optarg; break;
		case 'u': o->user = optarg; break;
		case 'm':
		case 'r':
			if (pf_parse_size(optarg, c == 'm' ? &o->max_locked :
			                  &o->max_readahead) == -1) {
				fprintf(stderr, "prefetchd: bad size '%s'\n", optarg);
				return 2;
			}
			if (c == 'm')
				o->max_locked_set = 1;
			break;
		case 'C':
		case 'E':
		case 'F':
		case 'P':
		case 't':
			if (pf_parse_count(optarg, c == 'C' ? &o->max_conns :
			                   c == 'E' ? &o->max_sessions :
			                   c == 'F' ? &o->max_files :
			                   c == 'P' ? &o->max_pending :
			                   &o->hello_timeout) == -1) {
				fprintf(stderr, "prefetchd: bad number '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S': o->seccomp = 0; break;
		case 'l':
			pf_log_syslog("prefetchd");
			o->syslog = 1;
			break;
		case 'v': pf_log_verbose(1); break;
		case 'h': usage(stdout); exit(0);
		case 'V': puts("prefetchd (" PACKAGE_NAME ") " PACKAGE_VERSION); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || (o->in_fd < 0) != (o->out_fd < 0) ||
	    (o->in_fd >= 0 && (o->socket != NULL || o->group != NULL))) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* 1 if this process may lock memory past RLIMIT_MEMLOCK: it holds
 * CAP_IPC_LOCK (bit 14 of CapEff where /proc says), or is root where it
 * does not, and keeps it (no --user). */
static int pf_lock_unbounded(const struct pf_opts *o)
{
	char line[128];
	unsigned long long caps;
	int found = 0, rc;
	FILE *f;

	if (o->user != NULL)
		return 0;
	f = fopen("/proc/self/status", "re");
	if (f == NULL)
		return geteuid() == 0;
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = sscanf(line, "CapEff: %llx", &caps) == 1;
	fclose(f);
	rc = found ? (caps >> 14) & 1 : geteuid() == 0;
	return rc;
}

/* The budget: what was asked, within RLIMIT_MEMLOCK (raised if allowed,
 * ignored when the limit does not bind this process). */
static uint64_t pf_budget(const struct pf_opts *o)
{
	struct rlimit rl;
	uint64_t want = o->max_locked;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == -1 ||
	    (o->max_locked_set && pf_lock_unbounded(o)))
		return o->max_locked_set ? want : 0;
	if (!o->max_locked_set)
		return rl.rlim_cur == RLIM_INFINITY ? PF_BUDGET_UNLIMITED :
		       (uint64_t)rl.rlim_cur;
	if (rl.rlim_cur != RLIM_INFINITY && want > (uint64_t)rl.rlim_cur) {
		struct rlimit up = rl;

		up.rlim_cur = (rlim_t)want;
		if (rl.rlim_max != RLIM_INFINITY && (uint64_t)rl.rlim_max < want)
			up.rlim_max = (rlim_t)want;
		if (setrlimit(RLIMIT_MEMLOCK, &up) == -1) {
			pf_log(LOG_WARNING, "--max-locked %llu is over RLIMIT_MEMLOCK "
			       "(%llu) which cannot be raised: using the limit",
			       (unsigned long long)want,
			       (unsigned long long)rl.rlim_cur);
			want = (uint64_t)rl.rlim_cur;
		}
	}
	return want;
}

/* 0 if fd is a listening Unix stream socket, else -1 and a reason. */
static int pf_check_listener(int fd, const char **why)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof addr;
	int type, listening;
	socklen_t size = sizeof type;

	*why = "not open";
	if (fcntl(fd, F_GETFD) == -1)
		return -1;
	*why = "not a socket";
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == -1)
		return -1;
	*why = "not a Unix-domain socket";
	memset(&addr, 0, sizeof addr);
	if (getsockname(fd, (struct sockaddr *)&addr, &len) == -1 ||
	    addr.ss_family != AF_UNIX)
		return -1;
	*why = "not a stream socket";
	if (type != SOCK_STREAM)
		return -1;
	*why = "not listening";
	size = sizeof listening;
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == -1 ||
	    !listening)
		return -1;
	return 0;
}

/* The socket systemd passed, if it passed one to this process: the
 * descriptor, -1 if none was passed, -2 if what was passed is unusable. */
static int pf_systemd_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
	const char *why;
	int fd = 3;

	if (pid == NULL || n == NULL || atol(pid) != (long)getpid())
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (atoi(n) != 1) {
		pf_log(LOG_ERR, "systemd passed %s sockets, expected 1", n);
		return -2;
	}
	if (pf_check_listener(fd, &why) == -1) {
		pf_log(LOG_ERR, "LISTEN_FDS: descriptor 3 is %s, not a listening "
		       "Unix stream socket: not starting", why);
		return -2;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		pf_log(LOG_ERR, "LISTEN_FDS: descriptor 3: %s", strerror(errno));
		return -2;
	}
	return fd;
}

/* Who may connect: the daemon's user, and group gid if not -1. */
static int pf_socket_access(const char *path, gid_t gid)
{
	if (gid == (gid_t)-1)
		return chmod(path, 0600);
	if (chown(path, (uid_t)-1, gid) == -1)
		return -1;
	return chmod(path, 0660);
}

/* The listening socket at path (a leftover socket whose server is gone
 * is replaced), open to gid's members too when gid is not -1. */
static int pf_listen(const char *path, gid_t gid)
{
	int fd = util_bind_unix(path, 1);

	if (fd == -1)
		return -1;
	if (pf_socket_access(path, gid) == -1 || listen(fd, 128) == -1) {
		int saved = errno;

		unlink(path);
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int pf_lookup_group(const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);
	char *end;
	unsigned long n;

	if (gr != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	n = strtoul(name, &end, 10);
	if (*name == '\0' || *end != '\0')
		return -1;
	*gid = (gid_t)n;
	return 0;
}

/* Opens as many descriptors as allowed, and bounds each client uid's
 * share of them (unless set on the command line). */
static void pf_limits(const struct pf_opts *o, struct pf_state *st)
{
	struct rlimit rl;
	unsigned long nofile = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur != rl.rlim_max) {
			struct rlimit up = rl;

			up.rlim_cur = rl.rlim_max;
			if (setrlimit(RLIMIT_NOFILE, &up) == 0)
				rl = up;
		}
		if (rl.rlim_cur != RLIM_INFINITY)
			nofile = (unsigned long)rl.rlim_cur;
		else
			nofile = 1ul << 20;
	}
	pf_limits_default(&st->limits, nofile);
	if (o->max_conns >= 0)
		st->limits.conns = (unsigned)o->max_conns;
	if (o->max_sessions >= 0)
		st->limits.sessions = (unsigned)o->max_sessions;
	if (o->max_files >= 0)
		st->limits.files = (unsigned)o->max_files;
	if (o->max_pending >= 0)
		st->limits.pending = (unsigned)o->max_pending;
	st->max_readahead = o->max_readahead;
}

/* Becomes the user asked for, starts the lock workers and installs the
 * filter: 1 when it is in, 0 when running without one, -1 on failure. */
static int pf_confine(const struct pf_opts *o, struct pf_loop *lp)
{
	struct pf_sandbox sb;
	int notify, writes[3];

	if (o->user != NULL) {
		uid_t uid;
		gid_t gid;

		if (pf_sandbox_lookup(o->user, &uid, &gid) == -1) {
			pf_log(LOG_ERR, "unknown user %s", o->user);
			return -1;
		}
		if (pf_sandbox_drop(uid, gid) == -1) {
			pf_log(LOG_ERR, "cannot become %s: %s", o->user, strerror(errno));
			return -1;
		}
	}
	/* The workers start as the final user, and before the filter, which
	 * then covers them too. */
	if (pf_lockpool_start(PF_LOCK_WORKERS, &notify) == 0)
		pf_loop_set_notify(lp, notify);
	else
		pf_log(LOG_WARNING, "no lock workers (%s): locking holds up the loop",
		       strerror(errno));
	writes[0] = STDERR_FILENO;
	writes[1] = pf_loop_signal_fd();
	writes[2] = pf_lockpool_wakeup_fd();
	sb.pipe_mode = o->in_fd >= 0;
	/* libgivefd measures its limits on the first send, with calls the
	 * filter refuses: have that done now. */
	if (sb.pipe_mode)
		givefd_max_fds();
	sb.syslog = o->syslog;
	sb.write_fds = writes;
	sb.nwrite_fds = writes[2] == -1 ? 2 : 3;
	if (o->seccomp && pf_sandbox_seccomp(&sb) == -1) {
		if (errno != ENOTSUP) {
			pf_log(LOG_ERR, "cannot install the seccomp filter: %s",
			       strerror(errno));
			return -1;
		}
		pf_log(LOG_INFO, "built without seccomp: running unconfined");
		return 0;
	}
	return o->seccomp;
}

int main(int argc, char **argv)
{
	struct pf_opts o;
	struct pf_state st;
	struct pf_loop *lp;
	const char *path = NULL;
	char defpath[PATH_MAX];
	gid_t gid = (gid_t)-1;
	int rc = pf_options(argc, argv, &o), listen_fd = -1, confined = 0;

	if (rc != 0)
		return rc;
	if (o.group != NULL && pf_lookup_group(o.group, &gid) == -1) {
		pf_log(LOG_ERR, "unknown group %s", o.group);
		return 1;
	}
	pf_state_init(&st, pf_budget(&o));
	pf_limits(&o, &st);
	if (o.in_fd < 0) {
		listen_fd = pf_systemd_socket();
		if (listen_fd == -2)
			return 1;
		if (listen_fd == -1) {
			path = o.socket != NULL ? o.socket :
			       pf_default_socket(defpath, sizeof defpath, 1);
			listen_fd = path == NULL ? -1 : pf_listen(path, gid);
			if (listen_fd == -1) {
				pf_log(LOG_ERR, "%s: %s", path != NULL ? path : "socket",
				       strerror(errno));
				return 1;
			}
		}
	}
	lp = pf_loop_new(&st, listen_fd);
	if (lp != NULL)
		pf_loop_set_hello_timeout(lp, (int)o.hello_timeout);
	if (lp == NULL ||
	    (o.in_fd >= 0 && pf_loop_add(lp, o.in_fd, o.out_fd, 1) == -1)) {
		pf_log(LOG_ERR, "cannot start: %s", strerror(errno));
		return 1;
	}
	confined = pf_confine(&o, lp);
	if (confined == -1) {
		rc = 1;
	} else {
		pf_log(LOG_INFO, "serving %s, lock budget %llu bytes; per uid %u "
		       "connections, %u sessions, %u files, %u descriptors in "
		       "flight",
		       path != NULL ? path : listen_fd != -1 ? "the systemd socket" :
		       "the parent", (unsigned long long)st.budget,
		       st.limits.conns, st.limits.sessions, st.limits.files,
		       st.limits.pending);
		rc = pf_loop_run(lp) == -1 ? 1 : 0;
	}
	pf_loop_free(lp);
	pf_state_free(&st);
	if (listen_fd != -1)
		close(listen_fd);
	/* The filter allows no unlink: a confined daemon leaves its socket,
	 * which the next one replaces. */
	if (path != NULL && confined == 0 && unlink(path) == -1 && errno != ENOENT)
		pf_log(LOG_DEBUG, "leaving %s: %s", path, strerror(errno));
	return rc;
}

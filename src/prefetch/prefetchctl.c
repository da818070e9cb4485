/* SPDX-License-Identifier: ISC */
/*
 * prefetchctl.c: the command-line client of prefetchd: warm, lock, unlock,
 * status, dump, evict and stop. Files are always opened here, with this
 * user's rights, and handed to the daemon as descriptors: the daemon then
 * never looks a path up, works the same whoever runs it, and a file this
 * user cannot open cannot be prefetched on its behalf.
 *
 * Exit status: 0 success, 1 a file or request failed, 2 usage, 3 the
 * daemon could not be reached, 4 warm gave up before every page was in or
 * evict left pages resident.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "prefetch.h"
#include "ctl.h"
#include "ctl_trace.h"
#include "sockpath.h"

#define CTL_LOCK_SID 0x70666c6bu /* "pflk": the persistent lock session */

static void usage(FILE *to)
{
	fputs("usage: prefetchctl [--socket PATH] [--server-user USER] COMMAND "
	      "[options] [FILE...]\n"
	      "  warm [--kind K] [--no-wait] [--timeout SECS] [--range R] FILE...\n"
	      "                  prefetch the files (kinds: fadvise, readahead, mmap,\n"
	      "                  mlock; default fadvise) and wait until they are in;\n"
	      "                  mmap and mlock unlock them as warm returns\n"
	      "  lock [--kind mmap|mlock] [--range R] FILE...\n"
	      "                  keep the files locked in memory after returning\n"
	      "  unlock FILE...  release what lock holds for the files\n"
	      "  status [--local] [--json] [-v] [--range R] FILE...\n"
	      "                  resident pages, sizes and percentage per file, and a\n"
	      "                  total; -v a page map; here when no daemon answers\n"
	      "  dump [--json]   the daemon's sessions and files\n"
	      "  evict [--range R] FILE...\n"
	      "                  drop the files' clean pages from the cache (locally);\n"
	      "                  exit 4 naming the files whose pages stayed (locked, mapped)\n"
	      "  stop            ask the daemon to exit\n"
	      "  record [--cold] -o TRACE -- COMMAND [ARGS...]\n"
	      "  replay [--local] TRACE [-- COMMAND [ARGS...]]\n"
	      "  trace show [--json] [--ranges] TRACE\n"
	      "  FILE: a directory stands for its regular files (no symlink followed),\n"
	      "  - for paths on standard input, one a line (NUL-separated after -0)\n"
	      "  --range OFFSET:LENGTH  only those bytes of each file (sizes with K, M,\n"
	      "                  G; OFFSET: to the end)\n"
	      "  --socket PATH   the daemon's socket (default $PREFETCHD_SOCKET, else\n"
	      "                  $XDG_RUNTIME_DIR/" PF_SOCKET_NAME " if there, else "
	      PREFETCH_DEFAULT_SOCKET ")\n"
	      "  --server-user USER  trust a daemon running as USER too (by default\n"
	      "                  only one running as you or as root)\n"
	      "  -h, --help      show this help\n"
	      "  -V, --version   show the version\n", to);
}

prefetch_t *ctl_connect(const struct ctl *ctl)
{
	uid_t server = (uid_t)-1;
	prefetch_t *p = prefetch_connect_trusting(ctl->socket, ctl->server_uid,
	                                          &server);
	char buf[PATH_MAX];
	const char *path = ctl->socket;
	int saved;

	if (p != NULL)
		return p;
	saved = errno;
	if (path == NULL)
		path = pf_default_socket(buf, sizeof buf, 0);
	if (errno == EPERM && server != (uid_t)-1)
		fprintf(stderr, "prefetchctl: refusing the daemon at %s: it runs as "
		        "uid %ld, not as you (uid %ld) or root; --server-user to "
		        "trust it\n", path != NULL ? path : "?", (long)server,
		        (long)geteuid());
	else
		fprintf(stderr, "prefetchctl: cannot reach prefetchd at %s: %s\n",
		        path != NULL ? path : "?", strerror(errno));
	errno = saved;
	return NULL;
}

/* A user name or number: 0, or -1. */
static int ctl_lookup_user(const char *name, uid_t *uid)
{
	struct passwd *pw = getpwnam(name);
	char *end;
	unsigned long n;

	if (pw != NULL) {
		*uid = pw->pw_uid;
		return 0;
	}
	n = strtoul(name, &end, 10);
	if (*name == '\0' || *end != '\0')
		return -1;
	*uid = (uid_t)n;
	return 0;
}

int ctl_open(const char *path)
{
	/* O_NONBLOCK: a fifo must not hang us before fstat says what it is
	 * (it changes nothing for a regular file). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd == -1) {
		int err = errno;

		ctl_progress_break();
		fprintf(stderr, "prefetchctl: %s: %s\n", path, strerror(err));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		ctl_progress_break();
		fprintf(stderr, "prefetchctl: %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	return fd;
}

const char *ctl_label(const char *path, char *buf, size_t len)
{
	static char cwd[PATH_MAX];
	int n;

	if (*path == '/')
		return path;
	if (*cwd == '\0' && getcwd(cwd, sizeof cwd) == NULL)
		return path;
	n = snprintf(buf, len, "%s%s%s", cwd, cwd[1] != '\0' ? "/" : "", path);
	return n > 0 && (size_t)n < len ? buf : path;
}

uint32_t ctl_new_session(prefetch_t *p, const char *what, int flags)
{
	uint32_t sid = ((uint32_t)getpid() << 12) ^ (uint32_t)time(NULL);
	int i;

	for (i = 0; i < 64; i++, sid++) {
		if (sid == PREFETCH_ALL_SESSIONS || sid == CTL_LOCK_SID)
			continue;
		if (prefetch_session_create(p, sid, what, flags) == 0)
			return sid;
		if (errno != EEXIST)
			break;
	}
	fprintf(stderr, "prefetchctl: cannot create a session: %s\n", strerror(errno));
	return PREFETCH_ALL_SESSIONS;
}

/* The persistent lock session goes once it holds no file: after unlock
 * let go of the last one, or a lock that failed for every file. */
static void drop_empty_lock_session(prefetch_t *p)
{
	struct prefetch_stats st;

	if (prefetch_dump(p, CTL_LOCK_SID, NULL, NULL, NULL, &st) == 0 &&
	    st.files == 0)
		prefetch_session_destroy(p, CTL_LOCK_SID);
}

/* The file operands after the options (a "--" dropped) and a connection
 * to the daemon for them; NULL with *rc set: 2 no file, 3 no daemon. */
static prefetch_t *connect_for_files(const struct ctl *ctl, int *argc,
                                     char ***argv, int *rc)
{
	prefetch_t *p;

	if (*argc > 0 && strcmp((*argv)[0], "--") == 0) {
		(*argc)--;
		(*argv)++;
	}
	if (*argc == 0) {
		usage(stderr);
		*rc = 2;
		return NULL;
	}
	p = ctl_connect(ctl);
	if (p == NULL)
		*rc = 3;
	return p;
}

static int cmd_lock(const struct ctl *ctl, int argc, char **argv)
{
	struct ctl_range range = { 0, 0, 0 };
	int kind = PREFETCH_MLOCK, rc = 0, i, used;
	prefetch_t *p;

	while ((used = ctl_range_option(&argc, &argv, &range)) == 1 ||
	       (used == 0 && argc > 2 && strcmp(argv[0], "--kind") == 0)) {
		if (used == 1)
			continue;
		kind = prefetch_kind_parse(argv[1]);
		if (kind != PREFETCH_MMAP && kind != PREFETCH_MLOCK) {
			fprintf(stderr, "prefetchctl: lock takes --kind mmap or mlock\n");
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	if (used == -1)
		return 2;
	p = connect_for_files(ctl, &argc, &argv, &rc);
	if (p == NULL)
		return rc;
	if (prefetch_session_create(p, CTL_LOCK_SID, "prefetchctl lock",
	                            PREFETCH_PERSISTENT) == -1 && errno != EEXIST) {
		fprintf(stderr, "prefetchctl: %s\n", strerror(errno));
		prefetch_close(p);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		int fd = ctl_open(argv[i]), tries, reg;
		char label[PATH_MAX];
		struct stat st;
		uint32_t fid;

		if (fd == -1 || fstat(fd, &st) == -1) {
			if (fd != -1)
				close(fd);
			rc = 1;
			continue;
		}
		/* Locking again replaces what was held. */
		prefetch_unregister_fd(p, CTL_LOCK_SID, fd);
		fid = (uint32_t)st.st_ino ^ (uint32_t)((uint64_t)st.st_ino >> 32);
		for (tries = 0, reg = -1; tries < 64; tries++, fid++) {
			reg = prefetch_register_fd_named(p, CTL_LOCK_SID, fid, fd,
			                                 ctl_label(argv[i], label,
			                                           sizeof label));
			if (reg == 0 || errno != EEXIST)
				break;
		}
		if (reg == -1 ||
		    prefetch_readahead(p, CTL_LOCK_SID, fid, kind, range.off, range.len,
		                       NULL) == -1) {
			ctl_report_error(p, argv[i], reg == -1 ? "register" : "lock");
			if (reg == 0)
				prefetch_unregister(p, CTL_LOCK_SID, fid);
			rc = 1;
		}
		close(fd);
	}
	drop_empty_lock_session(p);
	prefetch_close(p);
	return rc;
}

static int cmd_unlock(const struct ctl *ctl, int argc, char **argv)
{
	prefetch_t *p;
	int rc = 0, i;

	p = connect_for_files(ctl, &argc, &argv, &rc);
	if (p == NULL)
		return rc;
	for (i = 0; i < argc; i++) {
		int fd = ctl_open(argv[i]);

		if (fd == -1) {
			rc = 1;
			continue;
		}
		if (prefetch_unregister_fd(p, CTL_LOCK_SID, fd) == -1) {
			fprintf(stderr, "prefetchctl: %s: %s\n", argv[i],
			        errno == ENOENT ? "not locked" : strerror(errno));
			rc = 1;
		}
		close(fd);
	}
	drop_empty_lock_session(p);
	prefetch_close(p);
	return rc;
}

static int cmd_stop(const struct ctl *ctl)
{
	prefetch_t *p = ctl_connect(ctl);
	int rc;

	if (p == NULL)
		return 3;
	rc = prefetch_exit(p);
	if (rc == -1)
		fprintf(stderr, "prefetchctl: stop: %s\n", strerror(errno));
	prefetch_close(p);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "server-user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl ctl;
	const char *cmd;
	int c;

	memset(&ctl, 0, sizeof ctl);
	ctl.server_uid = (uid_t)-1;
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': ctl.socket = optarg; break;
		case 'u':
			if (ctl_lookup_user(optarg, &ctl.server_uid) == -1) {
				fprintf(stderr, "prefetchctl: unknown user '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("prefetchctl (" PACKAGE_NAME ") " PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind++];
	argc -= optind;
	argv += optind;
	if ((strcmp(cmd, "warm") == 0 || strcmp(cmd, "lock") == 0 ||
	     strcmp(cmd, "unlock") == 0 || strcmp(cmd, "status") == 0 ||
	     strcmp(cmd, "evict") == 0) && ctl_expand(&argc, &argv) == -1)
		return 1;
	if (strcmp(cmd, "warm") == 0)
		return ctl_warm(&ctl, argc, argv);
	if (strcmp(cmd, "lock") == 0)
		return cmd_lock(&ctl, argc, argv);
	if (strcmp(cmd, "unlock") == 0)
		return cmd_unlock(&ctl, argc, argv);
	if (strcmp(cmd, "status") == 0)
		return ctl_status(&ctl, argc, argv);
	if (strcmp(cmd, "dump") == 0)
		return ctl_dump(&ctl, argc, argv);
	if (strcmp(cmd, "evict") == 0)
		return ctl_evict(argc, argv);
	if (strcmp(cmd, "record") == 0)
		return ctl_record(argc, argv);
	if (strcmp(cmd, "replay") == 0)
		return ctl_replay(&ctl, argc, argv);
	if (strcmp(cmd, "trace") == 0)
		return ctl_trace(argc, argv);
	if (strcmp(cmd, "stop") == 0 && argc == 0)
		return cmd_stop(&ctl);
	fprintf(stderr, "prefetchctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}

/* SPDX-License-Identifier: ISC */
/*
 * prefetch.h: the client API of prefetchd, the page-cache prefetch daemon.
 * See prefetch(3). Every function returning int returns 0, or -1 and sets
 * errno: either the daemon's answer (ENOENT no such session or file,
 * EEXIST, ENOMEM lock budget exceeded, EOPNOTSUPP advice ignored by the
 * file system, ...) or a transport error (EPIPE, EBADMSG, ...), after
 * which the connection is unusable.
 */
#ifndef PREFETCH_H
#define PREFETCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The system daemon's socket. A user's own daemon listens in
 * $XDG_RUNTIME_DIR/prefetchd.sock, which clients try first. */
#define PREFETCH_DEFAULT_SOCKET "/run/prefetchd.sock"

/* Readahead kinds. */
#define PREFETCH_FADVISE 0    /* POSIX_FADV_WILLNEED, in chunks */
#define PREFETCH_READAHEAD 1  /* readahead(2) */
#define PREFETCH_MMAP 2       /* a locked, populated mapping, held */
#define PREFETCH_MLOCK 3      /* a mapping locked with mlock(2), held */

/* Session flags. */
#define PREFETCH_PERSISTENT 0x01 /* outlives the connection */

#define PREFETCH_ALL_SESSIONS 0u

typedef struct prefetch prefetch_t;

struct prefetch_residency {
	uint32_t fid;
	uint64_t size;      /* bytes */
	uint64_t pages;
	uint64_t resident;  /* pages in the page cache */
	int method;         /* 1 cachestat, 2 mincore, 0 not measured */
	int trusted;        /* 0: the daemon could not measure this file */
};

struct prefetch_session_info {
	uint32_t sid;
	int persistent;
	const char *description;
	size_t nfiles;
};

struct prefetch_file_info {
	uint32_t sid, fid;
	uint64_t size;
	uint64_t locked;    /* bytes held locked for this file */
	const char *name;   /* the path registered, or "" for a descriptor */
};

struct prefetch_replay_result {
	unsigned warmed;    /* files whose recorded ranges were advised */
	unsigned changed;   /* files no longer as recorded: left alone */
	unsigned skipped;   /* files missing, refused, over a limit or failed */
	uint64_t bytes;     /* data bytes advised */
};

/* One file of prefetch_warm_fds: the caller fills fd, name, off and len;
 * error and done are the answer. */
struct prefetch_warm_file {
	int fd;             /* the daemon gets its own copy; the caller keeps fd */
	const char *name;   /* a label for dumps, as prefetch_register_fd_named's
	                       (may be NULL) */
	uint64_t off, len;  /* the range to prefetch (len 0: to the end) */
	int error;          /* 0, or why the file is not registered */
	uint64_t done;      /* the bytes covered */
};

struct prefetch_stats {
	uint64_t locked, budget;
	unsigned connections, sessions, files;
	int truncated;      /* the dump did not fit in one reply */
};

/* Connects to the daemon's socket (NULL: $PREFETCHD_SOCKET, else
 * $XDG_RUNTIME_DIR/prefetchd.sock if there is one, else the default) and
 * agrees on the protocol version. Nothing is sent to a daemon that runs
 * as another user than this process's or root: EPERM. */
prefetch_t *prefetch_connect(const char *path);
/* The same, also trusting a daemon that runs as uid trusted ((uid_t)-1:
 * nobody else). On EPERM, *server (may be NULL) gets the uid the daemon
 * runs as. */
prefetch_t *prefetch_connect_trusting(const char *path, uid_t trusted,
                                      uid_t *server);
/* Talks to a daemon over descriptors it was started with (pipe mode); the
 * handle owns them once this succeeds (on failure they stay the caller's). */
prefetch_t *prefetch_attach(int in_fd, int out_fd);
void prefetch_close(prefetch_t *p);

int prefetch_session_create(prefetch_t *p, uint32_t sid,
                            const char *description, int flags);
int prefetch_session_destroy(prefetch_t *p, uint32_t sid);

/* The daemon opens path itself: only for a client of the daemon's own
 * uid or root (EPERM otherwise), and only a regular file (EINVAL). */
int prefetch_register_path(prefetch_t *p, uint32_t sid, uint32_t fid,
                           const char *path);
/* The daemon gets its own copy of fd; the caller keeps fd. */
int prefetch_register_fd(prefetch_t *p, uint32_t sid, uint32_t fid, int fd);
/* The same, with a name the daemon keeps for the file and shows in dumps
 * (the path the caller opened, say): a label, never opened. Without a
 * name, or with a daemon that does not know the command, as
 * prefetch_register_fd. */
int prefetch_register_fd_named(prefetch_t *p, uint32_t sid, uint32_t fid,
                               int fd, const char *name);
int prefetch_unregister(prefetch_t *p, uint32_t sid, uint32_t fid);
/* Unregisters every file of the session that is the same file as fd. */
int prefetch_unregister_fd(prefetch_t *p, uint32_t sid, int fd);

/* Prefetches [off, off+len) (len 0: to the end) of a registered file;
 * *done (may be NULL) gets the bytes covered. */
int prefetch_readahead(prefetch_t *p, uint32_t sid, uint32_t fid, int kind,
                       uint64_t off, uint64_t len, uint64_t *done);

/* Registers files[i].fd as fid first_fid + i of session sid and
 * prefetches its range with kind, for each of the n files, in as few
 * requests as the daemon allows (many files each, where it offers the
 * command; else two a file). Returns 0 once every file has its answer
 * in files[i].error, 0 or an errno (the file is then not registered), or
 * -1 and errno for the call as a whole (ENOENT no such session, EBADF,
 * EINVAL, or a transport error): the files of requests already answered
 * keep their answers. */
int prefetch_warm_fds(prefetch_t *p, uint32_t sid, uint32_t first_fid,
                      int kind, struct prefetch_warm_file *files, size_t n);

/* Has the daemon warm what the trace open as trace_fd (a regular file,
 * as prefetchctl record writes) recorded: it opens the files the trace
 * names, for a client of the daemon's own uid or root only (EPERM
 * otherwise), registers file i of the trace as fid i of session sid and
 * advises its ranges with kind (PREFETCH_FADVISE or PREFETCH_READAHEAD).
 * Returns once every range was advised; *result (may be NULL) gets the
 * counts. ENOSYS, and nothing sent: the daemon does not offer it. The
 * caller keeps trace_fd. */
int prefetch_replay(prefetch_t *p, uint32_t sid, int trace_fd, int kind,
                    struct prefetch_replay_result *result);

/* Fills up to max entries for the session's files; *n gets the count. */
int prefetch_residency(prefetch_t *p, uint32_t sid,
                       struct prefetch_residency *out, size_t max, size_t *n);

/* Calls on_session for each session (one, or PREFETCH_ALL_SESSIONS) and
 * on_file for each of its files; either may be NULL. A callback returning
 * non-zero stops the walk. stats (may be NULL) gets the totals. */
int prefetch_dump(prefetch_t *p, uint32_t sid,
                  int (*on_session)(const struct prefetch_session_info *, void *),
                  int (*on_file)(const struct prefetch_file_info *, void *),
                  void *arg, struct prefetch_stats *stats);

/* Measures the residency of an open file here, without the daemon (fid
 * is set to 0): for files the daemon cannot measure. trusted is 0 when
 * this process cannot either. */
int prefetch_residency_fd(int fd, struct prefetch_residency *out);

/* Asks the daemon to exit. */
int prefetch_exit(prefetch_t *p);

/* The protocol version agreed. */
int prefetch_version(const prefetch_t *p);

/* Kind names ("fadvise", "readahead", "mmap", "mlock") and back. */
const char *prefetch_kind_name(int kind);
int prefetch_kind_parse(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* PREFETCH_H */

/* SPDX-License-Identifier: ISC */
/*
 * pftest.h: what the prefetch tests share: starting and stopping a real
 * prefetchd, a directory on a disk, files to prefetch, and measuring their
 * residency without the daemon (mincore here, and util-linux fincore).
 */
#ifndef PFTEST_H
#define PFTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "prefetch.h"

struct pft_daemon {
	pid_t pid;
	char sock[256];
};

/* A fresh directory on a disk-backed file system where eviction works, or
 * NULL with the reason in why. */
const char *pft_disk_dir(char *why, size_t whylen);
/* Removes the directory made by pft_disk_dir and what is in it. */
void pft_remove_dir(const char *dir);

/* A test group's directory on a disk (NULL when there is none), made by
 * pft_group_setup and removed, with any daemon or test user left behind,
 * by pft_group_teardown. pft_need_disk skips a test when there is none. */
extern const char *pft_dir;
int pft_group_setup(void **state);
int pft_group_teardown(void **state);
void pft_need_disk(void);

/* Starts prefetchd --socket DIR/sock ARGS... and waits until it answers.
 * args ends with NULL. Returns 0 or -1. */
int pft_start(struct pft_daemon *d, const char *dir, const char *const *args);
/* The same, the daemon run by the command in prefix (NULL-terminated). */
int pft_start_under(struct pft_daemon *d, const char *const *prefix,
                    const char *dir, const char *const *args);
/* Ends the daemons a failed test left running: those pft_start started
 * and pft_stop did not reap, and those given to pft_track until given to
 * pft_untrack (once reaped). */
void pft_kill_stale(void);
void pft_track(pid_t pid);
void pft_untrack(pid_t pid);
/* Asks it to exit and checks it exited 0. */
void pft_stop(struct pft_daemon *d);
/* Runs prefetchd with the given arguments in a child and no waiting;
 * keep[] descriptors (ending with -1) stay open across exec. */
pid_t pft_spawn(const char *const *args, const int *keep, const char *env);
pid_t pft_spawn_under(const char *const *prefix, const char *const *args,
                      const int *keep, const char *env);
/* A raw connection, speaking bytes rather than through the library: -1
 * if it cannot connect (safe in a child). */
int pft_raw_connect(const char *sock);
/* Reads one reply, and not a byte more: its status, with its command in
 * *cmd and the u64 its body starts with in *body (either may be NULL);
 * -1 when the daemon hung up instead. */
long pft_raw_reply(int fd, uint16_t *cmd, uint64_t *body);

/* Path of the built daemon or prefetchctl. */
const char *pft_prefetchd(void);
const char *pft_prefetchctl(void);

/* Runs the shell command made from fmt; its output goes to out (NULL:
 * discarded). Returns its exit status. */
int pft_run(char *out, size_t outlen, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Runs prefetchctl --socket sock and the arguments made from fmt (shell
 * words); its stdout goes to out (NULL: discarded). Returns its exit
 * status. */
int pft_ctl(const char *sock, char *out, size_t outlen, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* A new pty: its master (close-on-exec), with the path of its slave in
 * *slave (valid until the next call). */
int pft_open_pty(const char **slave);

/* Descriptors open in process pid (from /proc), or -1. */
int pft_count_fds(pid_t pid);

/* Writes size bytes to dir/name (path gets the name), synced to disk. */
int pft_make_file(const char *dir, const char *name, size_t size,
                  char *path, size_t pathlen);
/* Makes pft_dir/name (path gets it) of size bytes with one byte of data
 * every stride bytes (0: none), the rest holes: many steps of advice. */
void pft_sparse_file(const char *name, uint64_t size, uint64_t stride,
                     char *path, size_t len);
/* 1 if fd becomes readable within ms, else 0. */
int pft_readable(int fd, int ms);
/* fdatasync, then drop the file's pages: 0 or -1. */
int pft_evict(const char *path);
/* Resident pages of path measured here with mincore, and its page count. */
int64_t pft_resident(const char *path, uint64_t *pages);
/* The same for the pages [first, first+count) only (*pages still gets
 * the file's page count). */
int64_t pft_resident_pages(const char *path, uint64_t first, uint64_t count,
                           uint64_t *pages);
/* Resident pages of path as vmtouch counts them, or -1 when vmtouch is
 * not installed (said once on stderr: the caller skips its comparison). */
int64_t pft_vmtouch_resident(const char *path);
/* Resident bytes of path according to fincore(1), or -1 when it cannot
 * tell (missing tool: the caller skips that check). */
int64_t pft_fincore(const char *path);

/* Polls the daemon until file fid of sid is wholly resident or the
 * deadline (seconds) passes, asking again with kind (unless -1) when the
 * pages stop coming: returns the last entry's resident pages. */
uint64_t pft_wait_resident(prefetch_t *p, uint32_t sid, uint32_t fid, int kind,
                           double seconds, struct prefetch_residency *last);

/* A temporary user with a group of its own, made with useradd: 0, or -1
 * (not root, or useradd failed). pft_user_del removes it. */
struct pft_user {
	char name[32];
	uid_t uid;
	gid_t gid;
};
int pft_user_add(struct pft_user *u);
/* pft_user_add, or skips the test saying why. */
void pft_need_user(struct pft_user *u);
void pft_user_del(const struct pft_user *u);
/* Removes the users a failed test left (group teardown). */
void pft_user_del_all(void);
/* Becomes u for good (in a child): 0, or -1. */
int pft_become(const struct pft_user *u);
/* Runs the shell command made from fmt as u; its output (stdout and
 * stderr) goes to out. Returns its exit status. */
int pft_run_as(const struct pft_user *u, char *out, size_t outlen,
               const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* 1 when this build's mlock(2) is a sanitizer runtime's, which returns 0
 * and neither locks nor reads in a page (prefetchd, built alike, has the
 * same), printing why the caller skips its residency check; 0 when mlock
 * is the kernel's (always, without GIVEFD_SANITIZED). */
int pft_mlock_inert(void);

#endif

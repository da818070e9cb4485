/* SPDX-License-Identifier: ISC */
/* pftest.c: see pftest.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_VFS_H
#include <sys/vfs.h>
#endif
#ifdef HAVE_LINUX_MAGIC_H
#include <linux/magic.h>
#endif

#include "protocol.h"
#include "testutil.h"
#include "pftest.h"

const char *pft_prefetchd(void)
{
	const char *p = getenv("PREFETCHD");

	return p != NULL ? p : "./prefetchd";
}

const char *pft_prefetchctl(void)
{
	const char *p = getenv("PREFETCHCTL");

	return p != NULL ? p : "./prefetchctl";
}

static int pft_memfs(const char *dir)
{
#if defined(HAVE_FSTATFS) && defined(TMPFS_MAGIC)
	struct statfs sfs;

	/* 32-bit magic numbers; f_type is a signed int on some systems. */
	if (statfs(dir, &sfs) == 0 && ((uint32_t)sfs.f_type == (uint32_t)TMPFS_MAGIC
#ifdef RAMFS_MAGIC
	                               || (uint32_t)sfs.f_type == (uint32_t)RAMFS_MAGIC
#endif
	                               ))
		return 1;
#else
	(void)dir;
#endif
	return 0;
}

const char *pft_disk_dir(char *why, size_t whylen)
{
	static char made[512];
	const char *env = getenv("PREFETCH_TEST_DIR");
	const char *cands[4];
	char probe[600];
	size_t i, n = 0;

	if (env != NULL)
		cands[n++] = env;
	cands[n++] = "/var/tmp";
	cands[n++] = "/tmp";
	cands[n++] = ".";
	snprintf(why, whylen, "no disk-backed directory");
	for (i = 0; i < n; i++) {
		uint64_t pages;

		if (pft_memfs(cands[i])) {
			snprintf(why, whylen, "%s is a memory file system, where advice "
			         "is ignored", cands[i]);
			continue;
		}
		snprintf(made, sizeof made, "%s/pftest-XXXXXX", cands[i]);
		if (mkdtemp(made) == NULL)
			continue;
		chmod(made, 0755);
		/* Eviction must work here, or nothing can be measured. */
		if (pft_make_file(made, "probe", 1 << 20, probe, sizeof probe) == 0 &&
		    pft_evict(probe) == 0 && pft_resident(probe, &pages) == 0) {
			unlink(probe);
			return made;
		}
		snprintf(why, whylen, "%s: pages cannot be evicted", cands[i]);
		unlink(probe);
		rmdir(made);
	}
	return NULL;
}

void pft_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) == -1)
			pft_remove_dir(path);
	}
	closedir(d);
	rmdir(dir);
}

const char *pft_dir;
static char pft_why[512];

int pft_group_setup(void **state)
{
	(void)state;
	pft_dir = pft_disk_dir(pft_why, sizeof pft_why);
	return 0;
}

int pft_group_teardown(void **state)
{
	(void)state;
	pft_kill_stale();
	pft_user_del_all();
	if (pft_dir != NULL)
		pft_remove_dir(pft_dir);
	return 0;
}

void pft_need_disk(void)
{
	if (pft_dir == NULL) {
		fprintf(stderr, "skipped: %s\n", pft_why);
		skip();
	}
}

pid_t pft_spawn_under(const char *const *prefix, const char *const *args,
                      const int *keep, const char *env)
{
	const char *argv[48];
	size_t n = 0;
	pid_t pid;

	while (prefix != NULL && *prefix != NULL && n < 16)
		argv[n++] = *prefix++;
	argv[n++] = pft_prefetchd();
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd;

		for (fd = 3; fd < 1024; fd++) {
			const int *k;

			for (k = keep; k != NULL && *k != -1 && *k != fd; k++)
				;
			if (k == NULL || *k == -1)
				close(fd);
			else
				fcntl(fd, F_SETFD, 0);
		}
		if (env != NULL)
			putenv((char *)env);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

pid_t pft_spawn(const char *const *args, const int *keep, const char *env)
{
	return pft_spawn_under(NULL, args, keep, env);
}

/* Daemons started and not yet stopped: a test that failed half-way left
 * them, and the next start ends them. */
static pid_t pft_live[8];

void pft_untrack(pid_t pid)
{
	size_t i;

	for (i = 0; i < sizeof pft_live / sizeof pft_live[0]; i++)
		if (pft_live[i] == pid)
			pft_live[i] = 0;
}

void pft_kill_stale(void)
{
	size_t i;

	for (i = 0; i < sizeof pft_live / sizeof pft_live[0]; i++) {
		if (pft_live[i] > 0) {
			kill(pft_live[i], SIGKILL);
			waitpid(pft_live[i], NULL, 0);
			pft_live[i] = 0;
		}
	}
}

void pft_track(pid_t pid)
{
	size_t i;

	for (i = 0; i < sizeof pft_live / sizeof pft_live[0]; i++) {
		if (pft_live[i] == 0) {
			pft_live[i] = pid;
			return;
		}
	}
}

int pft_start(struct pft_daemon *d, const char *dir, const char *const *args)
{
	return pft_start_under(d, NULL, dir, args);
}

int pft_start_under(struct pft_daemon *d, const char *const *prefix,
                    const char *dir, const char *const *args)
{
	static unsigned serial;
	const char *argv[32];
	size_t n = 0;
	int i;

	pft_kill_stale();
	snprintf(d->sock, sizeof d->sock, "%s/sock%u", dir, serial++);
	argv[n++] = "--socket";
	argv[n++] = d->sock;
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	d->pid = pft_spawn_under(prefix, argv, NULL, NULL);
	if (d->pid <= 0)
		return -1;
	pft_track(d->pid);
	for (i = 0; i < 3000; i++) {
		prefetch_t *p = prefetch_connect(d->sock);
		int status;

		if (p != NULL) {
			prefetch_close(p);
			return 0;
		}
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			pft_untrack(d->pid);
			return -1;
		}
		usleep(10000);
	}
	pft_kill_stale();
	return -1;
}

void pft_stop(struct pft_daemon *d)
{
	prefetch_t *p = prefetch_connect(d->sock);
	int status;

	if (p != NULL) {
		assert_int_equal(prefetch_exit(p), 0);
		prefetch_close(p);
	} else {
		kill(d->pid, SIGTERM);
	}
	assert_int_equal(waitpid(d->pid, &status, 0), d->pid);
	pft_untrack(d->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	unlink(d->sock);
}

int pft_raw_connect(const char *sock)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

long pft_raw_reply(int fd, uint16_t *cmd, uint64_t *body)
{
	static uint8_t buf[PF_MAX_FRAME];
	struct pf_header hdr;
	struct pf_reader r;
	struct pollfd pfd;
	uint32_t status;
	size_t len = 0, want = PF_HDR_SIZE;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (len < want) {
		ssize_t n;

		/* A daemon that never answers fails the test, not hangs it. */
		assert_int_equal(poll(&pfd, 1, 60000), 1);
		n = read(fd, buf + len, want - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		if (len == PF_HDR_SIZE) {
			assert_true(pf_frame_peek(buf, len, sizeof buf, &hdr) >= 0);
			want = hdr.len;
		}
	}
	assert_int_equal(pf_reply_decode(buf, hdr.len, &hdr, &status, &r), 0);
	if (cmd != NULL)
		*cmd = hdr.cmd;
	if (body != NULL && r.len - r.pos >= 8)
		*body = pf_get_u64(&r);
	return (long)status;
}

int pft_run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[8192], sink[4096];
	va_list ap;
	FILE *f;
	int len, status;

	va_start(ap, fmt);
	len = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	assert_true(len > 0 && (size_t)len < sizeof cmd);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (out != NULL) {
		size_t n = fread(out, 1, outlen - 1, f);

		out[n] = '\0';
	}
	while (fread(sink, 1, sizeof sink, f) > 0)
		;
	status = pclose(f);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

int pft_ctl(const char *sock, char *out, size_t outlen, const char *fmt, ...)
{
	char args[6000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	return pft_run(out, outlen, "%s --socket '%s' %s", pft_prefetchctl(), sock,
	               args);
}

int pft_open_pty(const char **slave)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(master >= 0);
	assert_int_equal(fcntl(master, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	*slave = ptsname(master);
	assert_non_null(*slave);
	return master;
}

int pft_count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int pft_make_file(const char *dir, const char *name, size_t size,
                  char *path, size_t pathlen)
{
	static unsigned char block[1 << 16];
	size_t done = 0, i;
	int fd;

	snprintf(path, pathlen, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return -1;
	for (i = 0; i < sizeof block; i++)
		block[i] = (unsigned char)(i * 131 + 7);
	while (done < size) {
		size_t n = size - done < sizeof block ? size - done : sizeof block;
		ssize_t k;

		block[0] = (unsigned char)(done >> 16); /* no two blocks alike */
		k = write(fd, block, n);
		if (k <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)k;
	}
	if (fdatasync(fd) == -1) {
		close(fd);
		return -1;
	}
	return close(fd);
}

void pft_sparse_file(const char *name, uint64_t size, uint64_t stride,
                     char *path, size_t len)
{
	uint64_t at;
	int fd;

	snprintf(path, len, "%s/%s", pft_dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	for (at = 0; stride != 0 && at < size; at += stride)
		assert_int_equal(pwrite(fd, "x", 1, (off_t)at), 1);
	close(fd);
}

int pft_readable(int fd, int ms)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, ms) == 1;
}

int pft_evict(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd == -1)
		return -1;
	rc = fdatasync(fd) == 0 &&
	     posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 ? 0 : -1;
	close(fd);
	return rc;
}

int64_t pft_resident(const char *path, uint64_t *pages)
{
	return pft_resident_pages(path, 0, UINT64_MAX, pages);
}

int64_t pft_resident_pages(const char *path, uint64_t first, uint64_t count,
                           uint64_t *pages)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *vec;
	void *addr;
	int64_t n = 0;
	uint64_t i;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || st.st_size == 0) {
		close(fd);
		*pages = 0;
		return st.st_size == 0 ? 0 : -1;
	}
	*pages = ((uint64_t)st.st_size + (uint64_t)page - 1) / (uint64_t)page;
	addr = mmap(NULL, (size_t)st.st_size, PROT_NONE, MAP_SHARED, fd, 0);
	close(fd);
	if (addr == MAP_FAILED)
		return -1;
	vec = malloc(*pages);
	if (vec == NULL || mincore(addr, (size_t)st.st_size, (void *)vec) == -1)
		n = -1;
	for (i = first; n >= 0 && i < *pages && i - first < count; i++)
		n += vec[i] & 1;
	free(vec);
	munmap(addr, (size_t)st.st_size);
	return n;
}

int64_t pft_vmtouch_resident(const char *path)
{
	static int missing;
	char out[4096];
	const char *at;
	unsigned long long res, total;

	if (missing || system("command -v vmtouch >/dev/null") != 0) {
		if (!missing)
			fprintf(stderr, "vmtouch not installed: residency checked "
			        "with mincore only\n");
		missing = 1;
		return -1;
	}
	if (pft_run(out, sizeof out, "vmtouch '%s'", path) != 0)
		return -1;
	at = strstr(out, "Resident Pages: ");
	if (at == NULL || sscanf(at, "Resident Pages: %llu/%llu", &res,
	                         &total) != 2)
		return -1;
	return (int64_t)res;
}

int64_t pft_fincore(const char *path)
{
	char cmd[1200];
	long long bytes = -1;
	FILE *f;

	snprintf(cmd, sizeof cmd,
	         "fincore --bytes --noheadings --output RES '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &bytes) != 1)
		bytes = -1;
	pclose(f);
	return bytes;
}

static double pft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t pft_wait_resident(prefetch_t *p, uint32_t sid, uint32_t fid, int kind,
                           double seconds, struct prefetch_residency *last)
{
	double deadline = pft_now() + seconds, moved = pft_now();
	struct prefetch_residency res[64];
	uint64_t before = 0;

	memset(last, 0, sizeof *last);
	for (;;) {
		size_t n, i;

		if (prefetch_residency(p, sid, res, 64, &n) == -1)
			return 0;
		for (i = 0; i < n; i++)
			if (res[i].fid == fid)
				*last = res[i];
		if ((last->pages > 0 && last->resident >= last->pages) ||
		    pft_now() > deadline)
			return last->resident;
		/* Advice is best effort: a busy disk may drop some of its reads.
		 * Asking again, as prefetchctl warm does, gets the rest. */
		if (last->resident != before) {
			before = last->resident;
			moved = pft_now();
		} else if (kind >= 0 && pft_now() - moved > 0.5) {
			prefetch_readahead(p, sid, fid, kind, 0, 0, NULL);
			moved = pft_now();
		}
		usleep(5000);
	}
}

#ifdef GIVEFD_SANITIZED
/* A fresh anonymous page is not resident until touched; a real mlock
 * faults it in. */
static int pft_mlock_probe(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	unsigned char vec = 1;
	void *addr = mmap(NULL, page, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int inert;

	if (addr == MAP_FAILED)
		return 0;
	inert = mlock(addr, page) == 0 &&
	        mincore(addr, page, (void *)&vec) == 0 && (vec & 1) == 0;
	munmap(addr, page);
	return inert;
}
#endif

int pft_mlock_inert(void)
{
#ifdef GIVEFD_SANITIZED
	static int inert = -1;

	if (inert == -1)
		inert = pft_mlock_probe();
	if (inert)
		fprintf(stderr, "skipped check: the sanitizer runtime's mlock(2) "
		        "does nothing, so the mlock kind reads no page in "
		        "(ASAN_OPTIONS=verbosity=1 says so)\n");
	return inert;
#else
	return 0;
#endif
}

/* Users made and not yet removed: a test that failed half-way left them. */
static struct pft_user pft_users[8];

int pft_user_add(struct pft_user *u)
{
	static unsigned serial;
	size_t i;
	struct passwd *pw;
	char cmd[128];

	if (geteuid() != 0)
		return -1;
	snprintf(u->name, sizeof u->name, "pft%ld_%u", (long)getpid(), serial++);
	/* Far from the usual range, where other tests may use fixed ids. */
	snprintf(cmd, sizeof cmd, "useradd -M -U -s /bin/sh -K UID_MIN=61000 "
	         "-K UID_MAX=61999 -K GID_MIN=61000 -K GID_MAX=61999 %s", u->name);
	if (system(cmd) != 0)
		return -1;
	pw = getpwnam(u->name);
	if (pw == NULL) {
		pft_user_del(u);
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	for (i = 0; i < sizeof pft_users / sizeof pft_users[0]; i++) {
		if (pft_users[i].name[0] == '\0') {
			pft_users[i] = *u;
			break;
		}
	}
	return 0;
}

void pft_user_del_all(void)
{
	size_t i;

	for (i = 0; i < sizeof pft_users / sizeof pft_users[0]; i++)
		if (pft_users[i].name[0] != '\0')
			pft_user_del(&pft_users[i]);
}

void pft_need_user(struct pft_user *u)
{
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root\n");
		skip();
	}
	if (pft_user_add(u) == -1) {
		fprintf(stderr, "skipped: useradd could not make a test user\n");
		skip();
	}
}

void pft_user_del(const struct pft_user *u)
{
	char cmd[128], name[32];
	size_t i;

	memcpy(name, u->name, sizeof name);
	for (i = 0; i < sizeof pft_users / sizeof pft_users[0]; i++)
		if (strcmp(pft_users[i].name, name) == 0)
			pft_users[i].name[0] = '\0';

	snprintf(cmd, sizeof cmd, "userdel %s 2>/dev/null", name);
	/* userdel refuses while a process of the user is still exiting. */
	for (i = 0; system(cmd) != 0; i++) {
		if (i == 20) {
			fprintf(stderr, "could not remove the test user %s\n", name);
			break;
		}
		usleep(100000);
	}
}

int pft_become(const struct pft_user *u)
{
	if (setgroups(1, &u->gid) == -1 || setgid(u->gid) == -1 ||
	    setuid(u->uid) == -1)
		return -1;
	return 0;
}

int pft_run_as(const struct pft_user *u, char *out, size_t outlen,
               const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int len, pipefd[2], status;
	size_t have = 0;
	pid_t pid;

	va_start(ap, fmt);
	len = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	assert_true(len > 0 && (size_t)len < sizeof cmd);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(pipefd[1], 1) == -1 || dup2(pipefd[1], 2) == -1 ||
		    pft_become(u) == -1)
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[512];
		ssize_t n = have + 1 < outlen ?
		            read(pipefd[0], out + have, outlen - 1 - have) :
		            read(pipefd[0], sink, sizeof sink);

		if (n <= 0)
			break;
		if (have + 1 < outlen)
			have += (size_t)n;
	}
	if (outlen > 0)
		out[have] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

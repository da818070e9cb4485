/*
 * sandbox.h: how prefetchd confines itself once set up: another user, and
 * a seccomp filter allowing only the calls it makes while serving.
 */
#ifndef PF_SANDBOX_H
#define PF_SANDBOX_H

#include <sys/types.h>

/* Looks up a user name (or number) to drop to: 0, or -1 and errno. */
int pf_sandbox_lookup(const char *name, uid_t *uid, gid_t *gid);

/* Becomes uid/gid with no supplementary groups, for good. */
int pf_sandbox_drop(uid_t uid, gid_t gid);

/* Installs the filter: calls outside the list fail with EPERM. Returns 0,
 * or -1 and errno (ENOTSUP when built without libseccomp). */
int pf_sandbox_seccomp(void);

#endif /* PF_SANDBOX_H */

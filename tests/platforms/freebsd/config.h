/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: configure on FreeBSD 14/15, except that getpeereid is
 * taken as missing so compat/getpeereid.c is built from LOCAL_PEERCRED. */
#define HAVE_CONTROL_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_CMSG_CLOEXEC 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_SO_NOSIGPIPE 1
#define HAVE_SOCK_CLOEXEC 1
#define HAVE_LOCAL_PEERCRED 1
#define HAVE_PIPE2 1
#define HAVE_SECURE_GETENV 1
#define GIVEFD_BACKEND_SCM_RIGHTS 1
#define GIVEFD_DEFAULT_BACKEND "scm_rights"

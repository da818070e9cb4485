/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: NetBSD 10, whose libc has getpeereid. */
#define HAVE_CONTROL_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_CMSG_CLOEXEC 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_SO_NOSIGPIPE 1
#define HAVE_SOCK_CLOEXEC 1
#define HAVE_GETPEEREID 1
#define HAVE_PIPE2 1
#define GIVEFD_BACKEND_SCM_RIGHTS 1
#define GIVEFD_DEFAULT_BACKEND "scm_rights"

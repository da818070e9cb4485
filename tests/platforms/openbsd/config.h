/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: OpenBSD 7.8, with getpeereid taken as missing so that
 * compat/getpeereid.c is built from SO_PEERCRED and struct sockpeercred. */
#define HAVE_CONTROL_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_CMSG_CLOEXEC 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_SOCK_CLOEXEC 1
#define HAVE_SO_PEERCRED_SOCKPEERCRED 1
#define HAVE_PIPE2 1
#define GIVEFD_BACKEND_SCM_RIGHTS 1
#define GIVEFD_DEFAULT_BACKEND "scm_rights"

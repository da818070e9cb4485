/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: macOS 13, with getpeereid taken as missing so that
 * compat/getpeereid.c is built from LOCAL_PEERCRED. No MSG_CMSG_CLOEXEC,
 * SOCK_CLOEXEC or pipe2: close-on-exec is set with fcntl after receipt. */
#define HAVE_CONTROL_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_SO_NOSIGPIPE 1
#define HAVE_LOCAL_PEERCRED 1
#define GIVEFD_BACKEND_SCM_RIGHTS 1
#define GIVEFD_DEFAULT_BACKEND "scm_rights"

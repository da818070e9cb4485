/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: illumos, where configure adds -D_XPG4_2 (cflags) for
 * msg_control and the CMSG macros and builds accrights.c without it: all
 * three socket and STREAMS backends, getpeerucred, no getpeereid. */
#define HAVE_CONTROL_IN_MSGHDR 1
#define HAVE_ACCRIGHTS_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_MSG_CMSG_CLOEXEC 1
#define HAVE_SOCK_CLOEXEC 1
#define HAVE_STROPTS_H 1
#define HAVE_STREAMS_FDPASS 1
#define HAVE_GETPEERUCRED 1
#define HAVE_PIPE2 1
#define GIVEFD_BACKEND_SCM_RIGHTS 1
#define GIVEFD_BACKEND_ACCRIGHTS 1
#define GIVEFD_BACKEND_STREAMS 1
#define GIVEFD_DEFAULT_BACKEND "scm_rights"

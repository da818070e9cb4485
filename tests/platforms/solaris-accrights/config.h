/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: an illumos build with only --with-backends=
 * accrights,streams: sockets are read through msg_accrights
 * (sockrecv_accrights.c); the X/Open macros are still there for the rest. */
#define HAVE_ACCRIGHTS_IN_MSGHDR 1
#define HAVE_SOCKLEN_T 1
#define HAVE_CMSG_SPACE 1
#define HAVE_CMSG_LEN 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_STROPTS_H 1
#define HAVE_STREAMS_FDPASS 1
#define HAVE_GETPEERUCRED 1
#define GIVEFD_BACKEND_ACCRIGHTS 1
#define GIVEFD_BACKEND_STREAMS 1
#define GIVEFD_DEFAULT_BACKEND "accrights"

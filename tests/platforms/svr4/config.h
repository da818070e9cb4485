/* SPDX-License-Identifier: ISC */
/* Stand-in config.h: an SVR4 system whose only descriptor passing is
 * STREAMS, with <sys/stropts.h>, no socklen_t and no way to learn a
 * socket peer's credentials. */
#define HAVE_SYS_STROPTS_H 1
#define HAVE_STREAMS_FDPASS 1
#define GIVEFD_BACKEND_STREAMS 1
#define GIVEFD_DEFAULT_BACKEND "streams"

/* SPDX-License-Identifier: ISC */
/*
 * accrights_xopen.h: included by accrights.c and sockrecv_accrights.c after
 * config.h and before any system header. Solaris and illumos declare
 * msg_accrights only for programs that are not X/Open ones (no _XPG4_2),
 * while the rest of the library is built with the X/Open macros for
 * msg_control and CMSG_DATA, and clang predefines _XOPEN_SOURCE on Solaris
 * targets. So these two files drop them (with _POSIX_C_SOURCE, which would
 * make <sys/feature_tests.h> refuse C99 without them): that lets one build
 * hold accrights beside scm_rights. config.h comes first since it may
 * define some of them. No include guard: it only undefines.
 */
#undef _XOPEN_SOURCE
#undef _XOPEN_SOURCE_EXTENDED
#undef _XOPEN_VERSION
#undef _XPG4_2
#undef _XPG5
#undef _XPG6
#undef _XPG7
#undef _POSIX_C_SOURCE
#undef _POSIX_SOURCE

/* SPDX-License-Identifier: ISC */
/* Stand-in <sys/feature_tests.h>: how illumos turns the X/Open and POSIX
 * macros into _XPG4_2 (which shows msg_control and hides msg_accrights),
 * and its refusal of a C99 compile that asks for an X/Open level older
 * than XPG6. Written from standards(7) and the header's documented rules. */
#ifndef STANDIN_SYS_FEATURE_TESTS_H
#define STANDIN_SYS_FEATURE_TESTS_H
#if defined(_XOPEN_SOURCE) || defined(_POSIX_C_SOURCE)
#define STANDIN_XOPEN_OR_POSIX 1
#endif
#if defined(_XOPEN_SOURCE) && _XOPEN_SOURCE_EXTENDED - 0 == 1 && \
    _XOPEN_SOURCE - 0 < 500
#define _XPG4_2
#elif _XOPEN_SOURCE - 0 >= 500 || _POSIX_C_SOURCE - 0 >= 200112L
#ifndef _XPG4_2
#define _XPG4_2
#endif
#if _XOPEN_SOURCE - 0 >= 600 || _POSIX_C_SOURCE - 0 >= 200112L
#define STANDIN_XPG6 1
#endif
#endif
#if __STDC_VERSION__ - 0 >= 199901L && defined(STANDIN_XOPEN_OR_POSIX) && \
    !defined(STANDIN_XPG6)
#error "C99 with an X/Open or POSIX level older than XPG6 (as illumos refuses)"
#endif
#endif

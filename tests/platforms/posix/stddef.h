/* SPDX-License-Identifier: ISC */
/* Stand-in <stddef.h> for make check-platforms (C99 7.17). */
#ifndef STANDIN_STDDEF_H
#define STANDIN_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif

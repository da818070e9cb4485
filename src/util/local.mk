# SPDX-License-Identifier: ISC
# src/util/local.mk: libgfdutil, the helpers libgivefd, prefetch and the
# fork server share. A libtool convenience library (PIC where shared
# libraries are built): each library or program that uses it links it
# itself, and the libraries' symbol lists keep it from being exported.
noinst_LTLIBRARIES = libgfdutil.la
libgfdutil_la_SOURCES = \
	src/util/be.h \
	src/util/monoclock.c \
	src/util/monoclock.h \
	src/util/parseint.c \
	src/util/parseint.h \
	src/util/unixsock.c \
	src/util/unixsock.h \
	src/util/wirebuf.c \
	src/util/wirebuf.h \
	src/util/writeall.c \
	src/util/writeall.h
# Hidden where the compiler can: a shared object that links it (the
# preload module has no symbol list) must not offer these names to the
# programs it is loaded into.
libgfdutil_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)
# Listed once here so the fuzz targets, which compile sources directly,
# take the same files.
util_wirebuf_sources = src/util/wirebuf.c src/util/wirebuf.h

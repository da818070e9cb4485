# SPDX-License-Identifier: ISC
# tests/bench/local.mk: make bench. Each part adds its benchmark programs to
# bench_programs (built on demand, never installed, never run by make check)
# and any benchmark scripts to bench_scripts. Each prints its own table of
# ratios against a baseline measured in the same run.
bench_programs =
bench_scripts =

bench_programs += tests/bench/bench_givefd
tests_bench_bench_givefd_SOURCES = tests/bench/bench_givefd.c \
	tests/harness/rawfd.c tests/harness/rawfd.h
tests_bench_bench_givefd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/harness
tests_bench_bench_givefd_LDADD = libgivefd.la
EXTRA_DIST += tests/bench/fdpass_loop.py tests/bench/fdpass_loop.pl

if BACKEND_HANDOFF
bench_programs += tests/bench/bench_pipes
tests_bench_bench_pipes_SOURCES = tests/bench/bench_pipes.c
tests_bench_bench_pipes_LDADD = libgivefd.la
endif

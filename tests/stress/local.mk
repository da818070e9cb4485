# SPDX-License-Identifier: ISC
# tests/stress/local.mk: make stress. Each daemon under 200 concurrent
# clients of its own C library, a tenth of them killed in the middle of a
# frame; then the daemon must be alive, every other client served, and
# the daemon's descriptors, children and memory back where they started.
# 30 to 45 s each on a 2-core machine at full scale, so not part of
# make check (which builds them, so that they keep compiling); scale down
# with STRESS_SCALE=0.1 (0.001 to 1) for a slow machine; STRESS_WAVES
# (default 3) and STRESS_DIR (where prefetchd's files go, default
# /var/tmp) come from the environment or the make command line too.
stress_programs = tests/stress/stress_forkserver tests/stress/stress_prefetchd
check_PROGRAMS += $(stress_programs) tests/stress/st_target
stress_common = tests/stress/stress.h tests/stress/st_pool.c \
	tests/stress/st_proc.c tests/stress/st_waves.c

tests_stress_st_target_SOURCES = tests/stress/st_target.c

tests_stress_stress_forkserver_SOURCES = tests/stress/stress_forkserver.c \
	$(stress_common) $(forkserver_protocol_sources)
tests_stress_stress_forkserver_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/forkserver
tests_stress_stress_forkserver_LDADD = libforkserver.la libgfdutil.la

tests_stress_stress_prefetchd_SOURCES = tests/stress/stress_prefetchd.c \
	$(stress_common) $(prefetch_protocol_sources)
tests_stress_stress_prefetchd_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/prefetch
tests_stress_stress_prefetchd_LDADD = libprefetch.la libgfdutil.la

# One after the other: they share the two CPUs with nothing else of ours.
stress: $(stress_programs) tests/stress/st_target $(sbin_PROGRAMS) $(bin_PROGRAMS) \
	$(pkglib_LTLIBRARIES)
	@set -e; top_builddir='$(abs_top_builddir)'; \
	STRESS_SCALE='$(STRESS_SCALE)'; STRESS_WAVES='$(STRESS_WAVES)'; \
	STRESS_DIR='$(STRESS_DIR)'; \
	export top_builddir STRESS_SCALE STRESS_WAVES STRESS_DIR; \
	for t in $(stress_programs); do echo "== $$t"; ./$$t; done
.PHONY: stress

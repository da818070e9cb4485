# SPDX-License-Identifier: ISC
# tests/fuzz/local.mk: make fuzz. The fuzz targets themselves are built
# and run as plain drivers by make check (tests/local.mk and the daemons'
# fragments); here each is rebuilt with clang's libFuzzer, ASan and UBSan
# and fuzzed for FUZZ_SECONDS (default 60) from a seed corpus that a small
# program per target writes with the codec's own encoders. Without
# libFuzzer, make fuzz says why it skipped and succeeds.
#
# FUZZ_SECONDS and FUZZ_CC come from the environment or the make command
# line; tests/fuzz/fuzz-run.sh defaults them to 60 and clang.

fuzz_seed_programs = \
	tests/fuzz/seeds_handle \
	tests/fuzz/seeds_forkserver_protocol \
	tests/fuzz/seeds_prefetch_protocol \
	tests/fuzz/seeds_prefetch_trace
EXTRA_PROGRAMS += $(fuzz_seed_programs)
CLEANFILES += $(fuzz_seed_programs)
fuzz_seedio = tests/fuzz/seedio.c tests/fuzz/seedio.h

# The handle codec is a pure codec (src/lib/handoff_handle.h): the fuzz
# target needs only its .c. Should it come to need another file, add it here.
fuzz_handle_codec = src/lib/handoff_handle.c
tests_fuzz_seeds_handle_SOURCES = tests/fuzz/seeds_handle.c $(fuzz_seedio) \
	$(fuzz_handle_codec)
tests_fuzz_seeds_handle_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/lib
tests_fuzz_seeds_forkserver_protocol_SOURCES = \
	tests/fuzz/seeds_forkserver_protocol.c $(fuzz_seedio) \
	$(forkserver_protocol_sources)
tests_fuzz_seeds_forkserver_protocol_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/forkserver
tests_fuzz_seeds_forkserver_protocol_LDADD = libgfdutil.la
tests_fuzz_seeds_prefetch_protocol_SOURCES = \
	tests/fuzz/seeds_prefetch_protocol.c $(fuzz_seedio) \
	$(prefetch_protocol_sources)
tests_fuzz_seeds_prefetch_protocol_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/prefetch
tests_fuzz_seeds_prefetch_protocol_LDADD = libgfdutil.la

tests_fuzz_seeds_prefetch_trace_SOURCES = \
	tests/fuzz/seeds_prefetch_trace.c $(fuzz_seedio) $(prefetch_trace_sources)
tests_fuzz_seeds_prefetch_trace_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/prefetch

# Each target: NAME|INCLUDE-DIR|SEED-PROGRAM|SOURCES (headers are left out).
fuzz: $(fuzz_seed_programs)
	@top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	FUZZ_CC='$(FUZZ_CC)'; FUZZ_SECONDS='$(FUZZ_SECONDS)'; \
	export top_srcdir top_builddir FUZZ_CC FUZZ_SECONDS; \
	$(SHELL) $(srcdir)/tests/fuzz/fuzz-run.sh \
	  "handle|src/lib|tests/fuzz/seeds_handle|tests/fuzz/fuzz_handle.c $(fuzz_handle_codec)" \
	  "forkserver_protocol|src/forkserver|tests/fuzz/seeds_forkserver_protocol|tests/fuzz/fuzz_forkserver_protocol.c $(forkserver_protocol_sources) $(util_wirebuf_sources)" \
	  "prefetch_protocol|src/prefetch|tests/fuzz/seeds_prefetch_protocol|tests/fuzz/fuzz_prefetch_protocol.c $(prefetch_protocol_sources) $(util_wirebuf_sources)" \
	  "prefetch_trace|src/prefetch|tests/fuzz/seeds_prefetch_trace|tests/fuzz/fuzz_prefetch_trace.c src/prefetch/trace.c"
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-out
EXTRA_DIST += tests/fuzz/fuzz-run.sh
.PHONY: fuzz clean-fuzz

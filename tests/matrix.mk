# SPDX-License-Identifier: ISC
# tests/matrix.mk: make matrix runs tests/matrix, the portability matrix
# (compilers, C libraries, architectures, backends, sanitizers, valgrind,
# distcheck). matrix-smoke is its check for cells that have no cmocka.
EXTRA_PROGRAMS += tests/matrix-smoke
CLEANFILES += tests/matrix-smoke
tests_matrix_smoke_SOURCES = tests/matrix-smoke.c
tests_matrix_smoke_LDADD = libgivefd.la
# Static, so that the cell runner (qemu, valgrind) gets the program itself.
tests_matrix_smoke_LDFLAGS = -static
EXTRA_DIST += tests/matrix tests/matrix-deps tests/matrix-wrapper \
	tests/matrix-standin doc/matrix.md

matrix:
	$(SHELL) $(srcdir)/tests/matrix $(MATRIX_FLAGS)
.PHONY: matrix

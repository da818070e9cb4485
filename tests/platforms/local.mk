# tests/platforms/local.mk: make check-platforms compiles the backends and
# compat files for systems this one is not (Solaris, illumos, SVR4, FreeBSD,
# OpenBSD) against the stand-in headers here; make check runs it too.
TESTS += tests/platforms/check-platforms.test
EXTRA_DIST += tests/platforms

check-platforms:
	top_srcdir='$(abs_top_srcdir)' CC='$(CC)' \
	  $(SHELL) $(srcdir)/tests/platforms/check-platforms.test
.PHONY: check-platforms

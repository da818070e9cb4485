# SPDX-License-Identifier: ISC
# GIVEFD_HOST_PKG_CONFIG
# pkg-config for the host the build is for, not the build machine. A native
# build uses PKG_CONFIG as found. A cross build uses $host-pkg-config, or
# the PKG_CONFIG_LIBDIR (or PKG_CONFIG_SYSROOT_DIR) the user set; failing
# both, Debian's multiarch directory /usr/lib/TRIPLET/pkgconfig when it
# exists (what pkgconf's cross wrapper does), else no pkg-config at all, so
# that the build machine's libraries are never offered to the host's
# compiler. Says which in $givefd_pkg_note.
AC_DEFUN([GIVEFD_HOST_PKG_CONFIG], [
  AC_REQUIRE([PKG_PROG_PKG_CONFIG])
  AC_REQUIRE([AC_CANONICAL_HOST])
  givefd_pkg_note="${PKG_CONFIG:-none}"
  dnl A --host build is a cross build even where binfmt_misc runs its
  dnl programs (autoconf then sets cross_compiling=no).
  givefd_cross=$cross_compiling
  AS_IF([test -n "$host_alias" && test "x$host" != "x$build"], [givefd_cross=yes])
  givefd_multiarch=
  for givefd_d in "$host_alias" "$host_cpu-$host_os" \
      "`echo $host_cpu | sed 's/^i[[3-6]]86$/i386/'`-$host_os"; do
    AS_IF([test -n "$givefd_d" && test -d "/usr/lib/$givefd_d/pkgconfig"],
      [givefd_multiarch=/usr/lib/$givefd_d/pkgconfig; break])
  done
  AS_IF([test "x$givefd_cross" = xyes && test -n "$PKG_CONFIG"], [
    AS_CASE([$PKG_CONFIG],
      [*/$host-pkg-config|$host-pkg-config], [givefd_pkg_note="$PKG_CONFIG (the host's)"],
      [AS_IF([test -n "$PKG_CONFIG_LIBDIR" || test -n "$PKG_CONFIG_SYSROOT_DIR"],
        [givefd_pkg_note="$PKG_CONFIG with PKG_CONFIG_LIBDIR=$PKG_CONFIG_LIBDIR${PKG_CONFIG_SYSROOT_DIR:+ PKG_CONFIG_SYSROOT_DIR=$PKG_CONFIG_SYSROOT_DIR}"],
        [test -n "$givefd_multiarch"],
        [PKG_CONFIG_LIBDIR="$givefd_multiarch:/usr/share/pkgconfig"
         export PKG_CONFIG_LIBDIR
         givefd_pkg_note="$PKG_CONFIG with PKG_CONFIG_LIBDIR=$PKG_CONFIG_LIBDIR (multiarch)"],
        [AC_MSG_WARN([cross compiling with no $host-pkg-config and no PKG_CONFIG_LIBDIR: optional dependencies are left out])
         PKG_CONFIG=
         givefd_pkg_note="none (no $host-pkg-config, no PKG_CONFIG_LIBDIR): optional dependencies off"])])])
])

# GIVEFD_PKG_USABLE(VARIABLE-PREFIX, MODULE, PROLOGUE, BODY, [IF-USABLE], [IF-NOT])
# After PKG_CHECK_MODULES found MODULE: confirms that the compiler in use
# compiles and links PROLOGUE/BODY with PREFIX_CFLAGS and PREFIX_LIBS (what
# pkg-config answered may be for another C library or architecture). When
# it does not, empties both and sets givefd_pkg_why.
AC_DEFUN([GIVEFD_PKG_USABLE], [
  AC_CACHE_CHECK([whether $CC builds against $2 as pkg-config describes it],
    [givefd_cv_pkg_usable_$1], [
    givefd_save_CFLAGS=$CFLAGS
    givefd_save_LIBS=$LIBS
    CFLAGS="$CFLAGS $$1_CFLAGS"
    LIBS="$$1_LIBS $LIBS"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([$3], [$4])],
      [givefd_cv_pkg_usable_$1=yes], [givefd_cv_pkg_usable_$1=no])
    CFLAGS=$givefd_save_CFLAGS
    LIBS=$givefd_save_LIBS])
  AS_IF([test "x$givefd_cv_pkg_usable_$1" = xyes], [$5], [
    givefd_pkg_why="pkg-config has $2, but $CC cannot compile and link against it (another C library or architecture?)"
    $1_CFLAGS=
    $1_LIBS=
    $6])
])

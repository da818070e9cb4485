/* SPDX-License-Identifier: ISC */
/*
 * compat.h for libgivefd_nocloexec.la, the test copy of the library built
 * as on a system without MSG_CMSG_CLOEXEC: this directory comes first in
 * its include path, so every "compat.h" of the library lands here and gets
 * the real one without the flag (test_cloexec_fallback runs the fallback).
 */
#ifndef GIVEFD_TEST_COMPAT_H
#define GIVEFD_TEST_COMPAT_H
#undef HAVE_MSG_CMSG_CLOEXEC
#include "../../../compat/compat.h"
#endif

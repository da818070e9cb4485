/* SPDX-License-Identifier: ISC */
/* Test shim (see ../emul.h): <stropts.h>, where configure found the C
 * library's (musl ships one), routed to the emulation like sys/stropts.h. */
#ifndef EMUL_STROPTS_H
#define EMUL_STROPTS_H
#include "sys/stropts.h"
#endif

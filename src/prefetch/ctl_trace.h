/* SPDX-License-Identifier: ISC */
/*
 * ctl_trace.h: prefetchctl's trace commands: record, replay and trace show.
 */
#ifndef PF_CTL_TRACE_H
#define PF_CTL_TRACE_H

#include "ctl.h"

int ctl_record(int argc, char **argv);
int ctl_replay(const struct ctl *ctl, int argc, char **argv);
int ctl_trace(int argc, char **argv);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * ctl_waiter.c: how warm and replay wait for pages to come in: a deadline,
 * short pauses (the last one is time lost after the last page), and a
 * nudge to ask again when nothing has come in for a while.
 */
#include "config.h"

#include <unistd.h>

#include "ctl.h"
#include "monoclock.h"

#define CTL_NUDGE_AFTER 0.2      /* seconds with no new page */
#define CTL_PAUSE_FIRST 1000     /* microseconds, doubled up to: */
#define CTL_PAUSE_MOST 4000

double ctl_now(void)
{
	return (double)util_now_ms() / 1000.0;
}

void ctl_waiter_start(struct ctl_waiter *w, double timeout)
{
	w->moved = ctl_now();
	w->deadline = w->moved + timeout;
	w->before = 0;
	w->pause = CTL_PAUSE_FIRST;
}

int ctl_waiter_next(struct ctl_waiter *w, uint64_t have)
{
	double now = ctl_now();
	int nudge = 0;

	if (now > w->deadline)
		return CTL_WAIT_OVER;
	if (have != w->before) {
		w->before = have;
		w->moved = now;
	} else if (now - w->moved > CTL_NUDGE_AFTER) {
		w->moved = now;
		nudge = 1;
	}
	usleep((useconds_t)w->pause);
	if (w->pause < CTL_PAUSE_MOST)
		w->pause *= 2;
	return nudge ? CTL_WAIT_NUDGE : CTL_WAIT_ON;
}

#!/bin/sh
# SPDX-License-Identifier: ISC
# prefetch_record.sh: make bench for prefetchctl record and replay. For a
# Python start (importing a few heavy modules) and one large binary
# (gdb --version, else clang --version), it records a trace with --cold,
# then times the command (median of PREFETCH_BENCH_RUNS, default 7) from
# cold (the trace's files evicted), warm, after a replay, with replay and
# start together (replay -- COMMAND), and after vmtouch -t of the same
# whole files. Also the bytes the device read for the replay against the
# files' sizes, and for the start after it (the trace's coverage, free of
# timing noise), and recording against one cold run. Needs root (a fair
# cold start means evicting shared libraries; recording needs fanotify).
set -eu

: "${top_builddir:=.}"
ctl="$top_builddir/prefetchctl"
daemon="$top_builddir/prefetchd"
# The program itself rather than libtool's wrapper script, which would add a
# shell's start to every replay -- command (an installed one has none).
if [ -x "$top_builddir/.libs/prefetchctl" ]; then
	ctl="$top_builddir/.libs/prefetchctl"
	LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
fi
runs=${PREFETCH_BENCH_RUNS:-7}
# The readahead while recording (record --readahead-kb): small, so the
# trace holds what the command touched rather than the kernel's guesses,
# and not so small that recording a large binary costs more than a second
# cold start (8 KiB did, for gdb, on a loaded machine).
ra_kb=${PREFETCH_BENCH_RA_KB:-12}

if [ "$(id -u)" != 0 ]; then
	echo "prefetch_record: skipped: needs root (fanotify to record, and a fair cold start)" >&2
	exit 0
fi
command -v vmtouch >/dev/null 2>&1 || {
	echo "prefetch_record: skipped: vmtouch not installed (.ci/deps)" >&2; exit 0; }
dir=$(mktemp -d /var/tmp/pfrec-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && "$ctl" --socket "$dir/sock" stop >/dev/null 2>&1 || :
	[ -n "$pid" ] && wait "$pid" 2>/dev/null || :
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"$daemon" --socket "$dir/sock" 2>/dev/null &
pid=$!
i=0
until "$ctl" --socket "$dir/sock" dump >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 500 ] || { echo "prefetch_record: prefetchd did not start" >&2; exit 1; }
	sleep 0.01
done

now() { date +%s%N; }
ms() { echo "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { # a b [decimals, default 2]
	awk -v a="$1" -v b="$2" -v d="${3:-2}" \
		'BEGIN { printf "%." d "f", (b > 0 ? a / b : 0) }'
}

# Sectors read by the disk under the files (major:minor from stat).
disk_sectors() {
	awk -v maj="$1" -v min="$2" '$1 == maj && $2 == min { print $6 }' /proc/diskstats
}

evict() { # the trace's files
	"$ctl" evict $files >/dev/null 2>&1 || :
}

time_it() { # command... : nanoseconds
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	echo $((t1 - t0))
}

# One timing of a mode: prep-function command... appended to $dir/t.NAME.
one() { # name prep command...
	name=$1 prep=$2
	shift 2
	$prep "$@"
	time_it "$@" >> "$dir/t.$name"
}

prep_cold() { evict; }
prep_warm() { "$@" >/dev/null 2>&1 || :; }
prep_replay() { evict; "$ctl" --socket "$dir/sock" replay -q "$trace" >/dev/null 2>&1 || :; }
# (prep_cold and prep_replay ignore the command they are given.)

bench() { # label command...
	label=$1
	shift
	trace="$dir/trace"
	# Record from cold: every file the command opens is evicted first.
	"$ctl" record --cold --readahead-kb "$ra_kb" -o "$trace" -- "$@" >/dev/null 2>&1
	files=$("$ctl" trace show "$trace" | awk 'NR > 2 { print $4 }')
	[ -n "$files" ] || { echo "$label: nothing recorded" >&2; return 1; }
	file_bytes=$(for f in $files; do stat -L -c %s "$f"; done | awk '{ s += $1 } END { print s }')
	trace_pages=$("$ctl" trace show "$trace" | awk 'NR > 2 { s += $1 } END { print s }')
	dev=$(stat -L -c '%d' $(echo "$files" | head -n 1))
	maj=$((dev >> 8)) min=$((dev & 255))

	# vmtouch -t of the same whole files, then the command.
	PF_FILES=$files
	export PF_FILES
	# The modes take turns, run after run, so that a change in the load of
	# the machine falls on all of them alike.
	rm -f "$dir"/t.*
	k=0
	while [ "$k" -lt "$runs" ]; do
		one cold prep_cold "$@"
		one warm prep_warm "$@"
		one replay prep_replay "$@"
		one together prep_cold "$ctl" --socket "$dir/sock" replay -q "$trace" -- "$@"
		one vmtouch prep_cold sh -c 'vmtouch -qt $PF_FILES >/dev/null 2>&1; exec "$@"' sh "$@"
		k=$((k + 1))
	done
	cold=$(median < "$dir/t.cold")
	warm=$(median < "$dir/t.warm")
	replayed=$(median < "$dir/t.replay")
	together=$(median < "$dir/t.together")
	vmt=$(median < "$dir/t.vmtouch")
	# Recording (from cold, as above) against one cold run; and the bytes the
	# disk read for one replay from cold and for one cold run. The disk is
	# shared: others' reads can only add, so the least of the runs counts.
	k=0
	while [ "$k" -lt "$runs" ]; do
		evict
		time_it "$ctl" record --cold --readahead-kb "$ra_kb" -o "$dir/trace2" -- "$@" >> "$dir/t.record"
		evict
		s0=$(disk_sectors "$maj" "$min")
		"$ctl" --socket "$dir/sock" replay -q "$trace" >/dev/null 2>&1 || :
		s1=$(disk_sectors "$maj" "$min")
		echo $(( (s1 - s0) * 512 )) >> "$dir/b.replay"
		# What the start after the replay still had to read: the pages
		# the trace missed, and the readahead they set off.
		"$@" >/dev/null 2>&1 || :
		s0=$(disk_sectors "$maj" "$min")
		echo $(( (s0 - s1) * 512 )) >> "$dir/b.after"
		evict
		s0=$(disk_sectors "$maj" "$min")
		"$@" >/dev/null 2>&1 || :
		s1=$(disk_sectors "$maj" "$min")
		echo $(( (s1 - s0) * 512 )) >> "$dir/b.cold"
		k=$((k + 1))
	done
	rec_ns=$(median < "$dir/t.record")
	replay_bytes=$(sort -n "$dir/b.replay" | head -n 1)
	cold_bytes=$(sort -n "$dir/b.cold" | head -n 1)
	after_bytes=$(sort -n "$dir/b.after" | head -n 1)
	rm -f "$dir"/b.*

	echo "$label"
	printf '  %-22s %9s ms\n' "cold" "$(ms "$cold")"
	printf '  %-22s %9s ms  %5sx cold\n' "warm" "$(ms "$warm")" "$(ratio "$warm" "$cold")"
	printf '  %-22s %9s ms  %5sx warm  (goal <= 1.1)\n' "after replay" "$(ms "$replayed")" "$(ratio "$replayed" "$warm")"
	printf '  %-22s %9s ms  %5sx cold  (goal <= 0.8)  %5sx vmtouch+start (goal <= 1)\n' \
		"replay -- command" "$(ms "$together")" "$(ratio "$together" "$cold")" "$(ratio "$together" "$vmt")"
	printf '  %-22s %9s ms  %5sx cold\n' "vmtouch -t, then start" "$(ms "$vmt")" "$(ratio "$vmt" "$cold")"
	printf '  %-22s %9s ms  %5sx cold  (goal <= 2)\n' "record --cold" "$(ms "$rec_ns")" "$(ratio "$rec_ns" "$cold")"
	printf '  %-22s %9.1f MiB of %.1f MiB in %d files: %sx (goal <= 0.5); trace %.1f MiB; a cold run read %.1f MiB\n' \
		"replay read" "$(echo "$replay_bytes" | awk '{ print $1 / 1048576 }')" \
		"$(echo "$file_bytes" | awk '{ print $1 / 1048576 }')" "$(echo "$files" | wc -l)" \
		"$(ratio "$replay_bytes" "$file_bytes" 3)" \
		"$(echo "$trace_pages" | awk '{ print $1 * 4096 / 1048576 }')" \
		"$(echo "$cold_bytes" | awk '{ print $1 / 1048576 }')"
	printf '  %-22s %9.1f MiB\n' "start after replay read" \
		"$(echo "$after_bytes" | awk '{ print $1 / 1048576 }')"
}

echo "prefetch_record: median of $runs runs; cold = the trace's files evicted;" \
	"recorded with --cold --readahead-kb $ra_kb (device readahead" \
	"$(cat /sys/class/bdi/*/read_ahead_kb 2>/dev/null | sort -n | tail -n 1) KiB otherwise);" \
	"load average $(cut -d ' ' -f 1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) CPUs"
bench "python3 -c 'import email, json, decimal, http.client, xml.dom, asyncio, sqlite3'" \
	/usr/bin/python3 -c 'import email, json, decimal, http.client, xml.dom, asyncio, sqlite3'
if command -v gdb >/dev/null 2>&1; then
	bench "gdb --version" gdb --version
elif command -v clang >/dev/null 2>&1; then
	bench "clang --version" clang --version
fi

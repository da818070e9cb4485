#!/bin/sh
# SPDX-License-Identifier: ISC
# prefetch_warm.sh: make bench for prefetchd. Warms sets of files from cold,
# on a disk, and times each way of doing it in the same run:
#   mixed  1 x 128 MiB, 3 x 32 MiB, 8 x 4 MiB, 64 x 256 KiB (272 MiB):
#          prefetchctl warm (each kind), vmtouch -t, and a plain sequential
#          read (cat to /dev/null, the baseline: what the disk gives one
#          reader); 5 runs
#   large  4 x 256 MiB (1 GiB): prefetchctl warm and vmtouch -t; 3 runs
#   small  4096 x 16 KiB (64 MiB): prefetchctl warm and vmtouch -t; 5 runs
# PREFETCH_BENCH_SET picks the sets (default "mixed large small"),
# PREFETCH_BENCH_RUNS the runs of each, PREFETCH_BENCH_LOAD a number of
# busy loops to run meanwhile (default 0), for a loaded machine on demand.
# Every run starts cold (pages written back and dropped, checked with
# fincore) and ends checked fully resident. Prints medians: for mixed the
# ratio to cat, for large and small the ratio prefetchctl / vmtouch and its
# range over the runs. A set the disk or the memory has no room for is
# skipped with the reason. Paths must not contain blanks.
set -eu

: "${top_builddir:=.}"
ctl="$top_builddir/prefetchctl"
daemon="$top_builddir/prefetchd"
# The program itself rather than libtool's wrapper script, whose shell start
# (some 10 ms) would count in every prefetchctl time and in no vmtouch time.
if [ -x "$top_builddir/.libs/prefetchctl" ]; then
	ctl="$top_builddir/.libs/prefetchctl"
	LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
fi
sets=${PREFETCH_BENCH_SET:-mixed large small}
for set in $sets; do
	case $set in
	mixed|large|small) ;;
	*) echo "prefetch_warm: unknown set '$set' (mixed, large, small)" >&2
	   exit 2 ;;
	esac
done

base=
for d in "${PREFETCH_BENCH_DIR:-}" /var/tmp /tmp "$top_builddir"; do
	[ -n "$d" ] && [ -d "$d" ] || continue
	case $(stat -f -c %T "$d" 2>/dev/null) in
	tmpfs|ramfs) continue ;;
	esac
	base=$d
	break
done
if [ -z "$base" ]; then
	echo "prefetch_warm: skipped: no disk-backed directory" >&2
	exit 0
fi
load_loops=${PREFETCH_BENCH_LOAD:-0}
case $load_loops in
''|*[!0-9]*) echo "prefetch_warm: PREFETCH_BENCH_LOAD: not a number" >&2
	exit 2 ;;
esac
dir=$(mktemp -d "$base/pfbench-XXXXXX")
pid=
busy=
cleanup() {
	for b in $busy; do kill "$b" 2>/dev/null || :; done
	[ -n "$pid" ] && "$ctl" --socket "$dir/sock" stop >/dev/null 2>&1 || :
	[ -n "$pid" ] && wait "$pid" 2>/dev/null || :
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$daemon" --socket "$dir/sock" --max-locked 512M 2>/dev/null &
pid=$!
i=0
until "$ctl" --socket "$dir/sock" dump >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 500 ] || { echo "prefetch_warm: prefetchd did not start" >&2; exit 1; }
	sleep 0.01
done

have_vmtouch=
command -v vmtouch >/dev/null 2>&1 && have_vmtouch=1

# Writes COUNT files of KIB KiB each as $dir/set/PREFIX-0000 and on, from
# one stream (split: no process per file for the 4096 small ones).
make_files() { # count KiB prefix
	head -c "$(($1 * $2 * 1024))" /dev/urandom |
		split -a 4 -d -b "$(($2 * 1024))" - "$dir/set/$3-"
}

# Whether the set fits with room to spare: on the disk, and in the page
# cache (every file must end resident at once).
has_room() { # KiB
	free_kib=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
	if [ "$free_kib" -lt $(($1 + 65536)) ]; then
		echo "prefetch_warm: $set: skipped: $((free_kib / 1024)) MiB free" \
			"in $base, needs $(($1 / 1024 + 64)) MiB" >&2
		return 1
	fi
	mem_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null)
	if [ -n "$mem_kib" ] && [ "$mem_kib" -lt $(($1 + 262144)) ]; then
		echo "prefetch_warm: $set: skipped: $((mem_kib / 1024)) MiB of" \
			"memory available, needs $(($1 / 1024 + 256)) MiB" >&2
		return 1
	fi
}

resident_bytes() {
	fincore --bytes --noheadings --output RES "$@" | awk '{s += $1} END {print s + 0}'
}

now() { date +%s.%N; }
load() { cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# One cold run of a method: prints its seconds.
cold_run() {
	"$ctl" evict "$@" >/dev/null
	r=$(resident_bytes "$@")
	if [ "$r" -ne 0 ]; then
		echo "prefetch_warm: $r bytes still resident after evict" >&2
		exit 1
	fi
	t0=$(now)
	eval "$method"
	t1=$(now)
	r=$(resident_bytes "$@")
	want=$(du -b -c "$@" | tail -n 1 | cut -f 1)
	if [ "$r" -lt "$want" ]; then
		echo "prefetch_warm: $method: only $r of $want bytes resident" >&2
		exit 1
	fi
	calc "$t1 - $t0"
}

median() { sort -n | sed -n "$(((runs + 1) / 2))p"; }
# Every run's figure, smallest first, with DECIMALS decimals.
spread() { # decimals
	sort -n | awk "{ printf \"%s%.$1f\", (NR > 1 ? \" \" : \"\"), \$1 }"
}

# Runs the methods in "$@" (commands using "$@", the files) on $files,
# $runs rounds. Each round goes through all of them, starting one further
# on than the round before, so that neither a change in the machine's load
# nor going first falls on one method more than another. Sets times_I (the
# method's seconds, one a line) and round_R_I.
run_methods() {
	nmethods=$#
	i=0
	for m in "$@"; do
		eval "method_$i=\$m"
		eval "times_$i="
		i=$((i + 1))
	done
	r=0
	while [ "$r" -lt "$runs" ]; do
		j=0
		while [ "$j" -lt "$nmethods" ]; do
			i=$(((r + j) % nmethods))
			eval "method=\$method_$i"
			# Other work on the machine may drop pages under a run: one retry.
			t=$(cold_run $files) || t=$(cold_run $files) || exit 1
			eval "times_$i=\"\$times_$i\$t
\""
			eval "round_${r}_$i=\$t"
			j=$((j + 1))
		done
		r=$((r + 1))
	done
}

row() { # label seconds
	printf '%-30s %8.3f s %8.1f MiB/s' "$1" "$2" \
		"$(calc "$total_kib / 1024 / $2")"
}

bench_mixed() {
	# 1 x 128 MiB, 3 x 32 MiB, 8 x 4 MiB, 64 x 256 KiB
	has_room 278528 || return 0
	make_files 1 131072 big
	make_files 3 32768 mid
	make_files 8 4096 small
	make_files 64 256 tiny
	sync
	files=$(echo "$dir"/set/big-* "$dir"/set/mid-* "$dir"/set/small-* \
		"$dir"/set/tiny-*)
	total_kib=$(du -k -c $files | tail -n 1 | cut -f 1)
	runs=${PREFETCH_BENCH_RUNS:-5}

	labels="cat > /dev/null|prefetchctl warm (fadvise)|prefetchctl warm (readahead)|prefetchctl warm (mmap)"
	set -- 'cat "$@" > /dev/null' \
		'"$ctl" --socket "$dir/sock" warm "$@"' \
		'"$ctl" --socket "$dir/sock" warm --kind readahead "$@"' \
		'"$ctl" --socket "$dir/sock" warm --kind mmap "$@"'
	if [ -n "$have_vmtouch" ]; then
		labels="$labels|vmtouch -t"
		set -- "$@" 'vmtouch -q -t "$@"'
	fi
	echo "prefetch warm-up from cold, mixed: $(echo $files | wc -w) files," \
		"$((total_kib / 1024)) MiB in $base, median of $runs runs" \
		"(load average $(load); ratio: time / cat time, lower is faster)"
	run_methods "$@"

	i=0
	baseline=
	echo "$labels" | tr '|' '\n' | while IFS= read -r label; do
		eval "t=\$(printf '%s' \"\$times_$i\" | median)"
		row "$label" "$t"
		if [ -z "$baseline" ]; then
			baseline=$t
			printf '   (baseline)\n'
		else
			printf '   %5.2fx cat\n' "$(calc "$t / $baseline")"
		fi
		i=$((i + 1))
	done
	[ -n "$have_vmtouch" ] ||
		echo "vmtouch -t                     (not installed)"
}

# large and small: COUNT files of KIB KiB, prefetchctl warm against vmtouch.
bench_against_vmtouch() { # count KiB default-runs
	if [ -z "$have_vmtouch" ]; then
		echo "prefetch_warm: $set: skipped: vmtouch not installed" >&2
		return 0
	fi
	has_room $(($1 * $2)) || return 0
	make_files "$1" "$2" f
	sync
	files=$(echo "$dir"/set/f-*)
	total_kib=$(du -k -c $files | tail -n 1 | cut -f 1)
	runs=${PREFETCH_BENCH_RUNS:-$3}

	if [ $(($2 % 1024)) -eq 0 ]; then size="$(($2 / 1024)) MiB"; else size="$2 KiB"; fi
	echo "prefetch warm-up from cold, $set: $1 files of $size," \
		"$((total_kib / 1024)) MiB in $base, median of $runs runs" \
		"(load average $(load))"
	run_methods '"$ctl" --socket "$dir/sock" warm "$@"' 'vmtouch -q -t "$@"'

	t_ctl=$(printf '%s' "$times_0" | median)
	t_vmt=$(printf '%s' "$times_1" | median)
	row "prefetchctl warm (fadvise)" "$t_ctl"
	printf '   (runs: %s)\n' "$(printf '%s' "$times_0" | spread 3)"
	row "vmtouch -t" "$t_vmt"
	printf '   (runs: %s)\n' "$(printf '%s' "$times_1" | spread 3)"
	# Each round's own ratio: both measured minutes apart at most.
	ratios=
	r=0
	while [ "$r" -lt "$runs" ]; do
		eval "ratios=\"\$ratios\$(calc \"\$round_${r}_0 / \$round_${r}_1\")
\""
		r=$((r + 1))
	done
	printf '%-30s %8.2fx (runs: %s)\n' "prefetchctl / vmtouch" \
		"$(calc "$t_ctl / $t_vmt")" "$(printf '%s' "$ratios" | spread 2)"
}

i=0
while [ "$i" -lt "$load_loops" ]; do
	sh -c 'while :; do :; done' &
	busy="$busy $!"
	i=$((i + 1))
done
[ "$load_loops" -eq 0 ] || echo "prefetch_warm: $load_loops busy loops running"

for set in $sets; do
	mkdir "$dir/set"
	case $set in
	mixed) bench_mixed ;;
	large) bench_against_vmtouch 4 262144 3 ;;
	small) bench_against_vmtouch 4096 16 5 ;;
	esac
	rm -rf "$dir/set"
done

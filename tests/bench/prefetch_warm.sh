#!/bin/sh
# SPDX-License-Identifier: ISC
# prefetch_warm.sh: make bench for prefetchd. Warms a set of files (several
# sizes, 272 MiB in all) from cold, on a disk, with prefetchctl warm (each
# kind), vmtouch -t, and a plain sequential read (cat to /dev/null, the
# baseline: what the disk gives one reader). Every run starts cold (pages
# written back and dropped, checked with fincore) and ends checked fully
# resident. Prints the median of 5 runs (PREFETCH_BENCH_RUNS) and its ratio
# to cat. Paths must not contain blanks.
set -eu

: "${top_builddir:=.}"
ctl="$top_builddir/prefetchctl"
daemon="$top_builddir/prefetchd"
runs=${PREFETCH_BENCH_RUNS:-5}

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
dir=$(mktemp -d "$base/pfbench-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && "$ctl" --socket "$dir/sock" stop >/dev/null 2>&1 || :
	[ -n "$pid" ] && wait "$pid" 2>/dev/null || :
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# 1 x 128 MiB, 3 x 32 MiB, 8 x 4 MiB, 64 x 256 KiB
make_files() { # count size-KiB prefix
	i=0
	while [ "$i" -lt "$1" ]; do
		head -c "$(($2 * 1024))" /dev/urandom > "$dir/$3-$i"
		i=$((i + 1))
	done
}
make_files 1 131072 big
make_files 3 32768 mid
make_files 8 4096 small
make_files 64 256 tiny
sync
files=$(echo "$dir"/big-* "$dir"/mid-* "$dir"/small-* "$dir"/tiny-*)
total_kib=$(du -k -c $files | tail -n 1 | cut -f 1)

"$daemon" --socket "$dir/sock" --max-locked 512M 2>/dev/null &
pid=$!
i=0
until "$ctl" --socket "$dir/sock" dump >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 500 ] || { echo "prefetch_warm: prefetchd did not start" >&2; exit 1; }
	sleep 0.01
done

resident_bytes() {
	fincore --bytes --noheadings --output RES "$@" | awk '{s += $1} END {print s + 0}'
}

now() { date +%s.%N; }
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

# The methods, each a label and a command using "$@" (the files). Rounds
# go through all of them in turn, so that a change in the machine's load
# falls on every method alike.
labels="cat > /dev/null|prefetchctl warm (fadvise)|prefetchctl warm (readahead)|prefetchctl warm (mmap)"
set -- 'cat "$@" > /dev/null' \
	'"$ctl" --socket "$dir/sock" warm "$@"' \
	'"$ctl" --socket "$dir/sock" warm --kind readahead "$@"' \
	'"$ctl" --socket "$dir/sock" warm --kind mmap "$@"'
if command -v vmtouch >/dev/null 2>&1; then
	labels="$labels|vmtouch -t"
	set -- "$@" 'vmtouch -q -t "$@"'
fi
nmethods=$#
i=0
for m in "$@"; do
	eval "method_$i=\$m"
	eval "times_$i="
	i=$((i + 1))
done

echo "prefetch warm-up from cold: $(echo $files | wc -w) files," \
	"$((total_kib / 1024)) MiB in $base, median of $runs runs" \
	"(ratio: time / cat time, lower is faster)"
r=0
while [ "$r" -lt "$runs" ]; do
	i=0
	while [ "$i" -lt "$nmethods" ]; do
		eval "method=\$method_$i"
		# Other work on the machine may drop pages under a run: one retry.
		t=$(cold_run $files) || t=$(cold_run $files) || exit 1
		eval "times_$i=\"\$times_$i\$t
\""
		i=$((i + 1))
	done
	r=$((r + 1))
done

i=0
baseline=
echo "$labels" | tr '|' '\n' | while IFS= read -r label; do
	eval "t=\$(printf '%s' \"\$times_$i\" | median)"
	printf '%-30s %8.3f s %8.1f MiB/s' "$label" "$t" \
		"$(calc "$total_kib / 1024 / $t")"
	if [ -z "$baseline" ]; then
		baseline=$t
		printf '   (baseline)\n'
	else
		printf '   %5.2fx cat\n' "$(calc "$t / $baseline")"
	fi
	i=$((i + 1))
done
command -v vmtouch >/dev/null 2>&1 || echo "vmtouch -t                     (not installed)"

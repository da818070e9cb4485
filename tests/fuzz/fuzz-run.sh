#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/fuzz/fuzz-run.sh: make fuzz. Builds each fuzz target given as
# "NAME|INCLUDE-DIR|SEED-PROGRAM|SOURCES..." (paths under $top_srcdir) with
# libFuzzer, AddressSanitizer and UBSan, writes its seed corpus with its
# seed program, and fuzzes it for $FUZZ_SECONDS. Without a compiler that
# links -fsanitize=fuzzer it says "skipped: REASON" and succeeds. A crash
# fails it and names the reproducer. Work and artifacts go to fuzz-out/.
set -u
: "${FUZZ_CC:=clang}" "${FUZZ_SECONDS:=60}"
: "${top_srcdir:?}" "${top_builddir:?}"
out=$top_builddir/fuzz-out
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

skip() {
	echo "make fuzz: skipped: $*"
	exit 0
}

command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	skip "no $FUZZ_CC (set FUZZ_CC; Debian: apt-get install clang libclang-rt-14-dev)"
mkdir -p "$out" || exit 1
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ return d != NULL && n > 0 && d[0] == 1; }' >"$out/probe.c"
"$FUZZ_CC" $flags "$out/probe.c" -o "$out/probe" >"$out/probe.log" 2>&1 ||
	skip "$FUZZ_CC cannot link -fsanitize=fuzzer,address,undefined" \
		"($(head -n 1 "$out/probe.log"); Debian 12: apt-get install clang libclang-rt-14-dev)"
case $FUZZ_SECONDS in
''|*[!0-9]*) echo "make fuzz: FUZZ_SECONDS must be a whole number" >&2; exit 1 ;;
esac

failed=
for spec in "$@"; do
	name=${spec%%|*}; rest=${spec#*|}
	inc=${rest%%|*}; rest=${rest#*|}
	seeder=${rest%%|*}; sources=${rest#*|}
	dir=$out/$name
	rm -rf "$dir/seeds" && mkdir -p "$dir/corpus" || exit 1
	srcs=
	for s in $sources; do
		case $s in *.c) srcs="$srcs $top_srcdir/$s" ;; esac
	done
	echo "== fuzz $name: build"
	# Warnings are the normal build's business (-Werror there); here they
	# would only stop the fuzzing.
	if ! "$FUZZ_CC" $flags -Wall -Wextra -DGFD_LIBFUZZER -DFSP_LIBFUZZER \
		-DPF_LIBFUZZER -I"$top_builddir" -I"$top_srcdir/include" -I"$top_srcdir/src" \
		-I"$top_srcdir/compat" -I"$top_srcdir/src/util" -I"$top_srcdir/$inc" $srcs -o "$dir/fuzz_$name"; then
		echo "make fuzz: $name: the fuzz target does not build" >&2
		failed="$failed $name"
		continue
	fi
	"$top_builddir/$seeder" "$dir/seeds" || {
		echo "make fuzz: $name: the seed program failed" >&2
		failed="$failed $name"
		continue
	}
	echo "== fuzz $name: $FUZZ_SECONDS s (log: $dir/log)"
	# corpus/ gets what the fuzzer finds; seeds/ is read only.
	"$dir/fuzz_$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/" \
		"$dir/corpus" "$dir/seeds" >"$dir/log" 2>&1
	status=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$dir/log")
	cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -n 1)
	if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
		echo "   $name: ${runs}, ${cov:-cov: ?}, corpus $(ls "$dir/corpus" | wc -l) inputs"
		continue
	fi
	failed="$failed $name"
	tail -n 40 "$dir/log"
	for r in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* \
		"$dir"/slow-unit-*; do
		[ -f "$r" ] || continue
		echo "make fuzz: $name FAILED: reproducer $r"
		echo "   reproduce: $dir/fuzz_$name $r"
	done
done
rm -f "$out/probe" "$out/probe.c" "$out/probe.log"
if [ -n "$failed" ]; then
	echo "make fuzz: failed:$failed" >&2
	exit 1
fi
echo "make fuzz: every target ran $FUZZ_SECONDS s without a finding"

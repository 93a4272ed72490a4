#!/usr/bin/env bash
# Fuzz itorisk's input paths with libFuzzer for a given time.
#
#   test/fuzz/run.sh [SECONDS] [TARGET...]      (from anywhere; default 60 s, every target)
#
# Configures build-fuzz with clang and -DITR_FUZZ=ON, builds the targets, then
# runs each one for SECONDS (one after another) with the XML dictionary. New
# inputs go to $FUZZ_OUT/TARGET (default /tmp/fuzz-out), given FIRST so that
# libFuzzer writes there and the committed seed corpus test/fuzz/corpus/TARGET
# is only read; crash, leak and timeout reproducers go to $FUZZ_ARTIFACTS
# (default /tmp/fuzz-artifacts). Prints, per target, executions, coverage
# (cov and ft of libFuzzer's last stats line) and the crashes found.
# Exit 0 when no target crashed, leaked or hung; 1 otherwise; 2 on a setup error.
# FUZZ_BUILD (default build-fuzz) and FUZZ_JOBS (build jobs, default 2) may be set;
# FUZZ_NOBUILD=1 skips configuring and building (for several runs in parallel).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
all=(fuzz_portfolio fuzz_multifile fuzz_riskmodel fuzz_baseline fuzz_cyclonedx fuzz_archimate)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
build=${FUZZ_BUILD:-$root/build-fuzz}
out=${FUZZ_OUT:-/tmp/fuzz-out}
artifacts=${FUZZ_ARTIFACTS:-/tmp/fuzz-artifacts}

case $secs in '' | *[!0-9]*) echo "run.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac
for t in "${targets[@]}"; do
	[ -d "$root/test/fuzz/corpus/$t" ] || { echo "run.sh: unknown target '$t' (${all[*]})" >&2; exit 2; }
done
command -v clang >/dev/null || { echo "run.sh: clang is needed (bash .ci/deps installs it)" >&2; exit 2; }

if [ -z "${FUZZ_NOBUILD:-}" ]; then
	cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DITR_FUZZ=ON -DITR_TESTS=OFF >/dev/null || exit 2
	cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}" >/dev/null || exit 2
fi

failed=0
npass=0
nfail=0
printf '%-16s %6s %10s %7s %7s  %s\n' target secs execs cov ft result
for t in "${targets[@]}"; do
	mkdir -p "$out/$t" "$artifacts/$t"
	log="$out/$t.log"
	ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$build/test/fuzz/$t" "$out/$t" "$root/test/fuzz/corpus/$t" \
		-dict="$root/test/fuzz/xml.dict" -max_total_time="$secs" -rss_limit_mb=2048 \
		-timeout=10 -max_len=262144 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t/" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$stats")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$stats")
	crashes=$(grep -hoE '(crash|leak|timeout|oom|slow-unit)-[0-9a-f]+' "$log" | sort -u | tr '\n' ' ')
	if [ $rc -eq 0 ] && [ -z "$crashes" ]; then
		result=ok
		npass=$((npass + 1))
	else
		result="FAILED (exit $rc) ${crashes:-see $log}"
		failed=1
		nfail=$((nfail + 1))
	fi
	printf '%-16s %6s %10s %7s %7s  %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
	[ $rc -eq 0 ] || { grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5; echo "reproducers in $artifacts/$t/, log $log"; }
done
# the plain closing line CI tools read: one "test" per fuzz target
echo "fuzz: $npass passed, $nfail failed"
exit $failed

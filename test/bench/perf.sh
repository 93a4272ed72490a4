#!/bin/bash
# itorisk performance targets ("Performance at scale"): generate the portfolios,
# time xmllint, itorisk and the NetworkX peer on them, and say which target is met.
#
#   test/bench/perf.sh [ITORISK [ITORISK_GEN]]
#
# Portfolios (itorisk-gen, seed SEED, shape SHAPE):
#   M   20,000 services,  2,000 vendors,  60,000 links,  40 files
#   L  200,000 services, 20,000 vendors, 600,000 links, 400 files
#   5k   5,000 services,    500 vendors,  15,000 links,  10 files (the NetworkX peer's)
#
# Targets:
#   M and L: itorisk audit DIR --format json takes at most 5x the wall time of
#            xmllint --noout on the same files;
#   L:       itorisk's peak RSS is under 1024 MiB;
#   5k:      itorisk is at least 50x faster than test/bench/nx_peer.py, and the
#            essential sets of the two are identical.
#
# Arguments, else environment, else defaults:
#   ITORISK      the itorisk binary          (default: build/itorisk)
#   ITORISK_GEN  the itorisk-gen binary      (default: build/test/itorisk-gen, else
#                build/itorisk-gen; when neither exists, test/gen/*.c is compiled
#                with ${CC:-cc} into the temp dir)
#   SIZES        which portfolios, in order  (default: "M L 5k")
#   REPS         runs per command (default 3): the median wall time is compared,
#                min and max are shown, and the peak RSS over all runs
#   PEER_REPS    runs of the NetworkX peer (default: REPS)
#   SEED         generator seed (default 42)
#   SHAPE        generator --shape (default enterprise; empty: no --shape). When
#                itorisk-gen --help does not mention --shape, no flag is passed
#                and the output says so
#   TIMEOUT      seconds before one run is killed (default 900)
#   PYTHON       interpreter with Debian's python3-networkx (default /usr/bin/python3)
#
# Peak RSS comes from GNU time (/usr/bin/time -f %M), wall time from bash's
# EPOCHREALTIME around each run (finer than %e, which it falls back to); itorisk's
# stage times from `itorisk audit --timings` when this itorisk has the option.
# The output is markdown, for the performance section of the README.
# Exit status: 0 every target met, 1 some target not met (or its run failed or
# timed out), 2 the benchmark could not run. The temp dir is removed on every exit.

set -u
export LC_ALL=C # decimal points, sort order

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ITORISK=${1:-${ITORISK:-$root/build/itorisk}}
if [ -n "${2:-}" ]; then
	ITORISK_GEN=$2
elif [ -z "${ITORISK_GEN:-}" ]; then
	ITORISK_GEN=$root/build/test/itorisk-gen
	[ -x "$ITORISK_GEN" ] || ITORISK_GEN=$root/build/itorisk-gen
fi
SIZES=${SIZES:-M L 5k}
REPS=${REPS:-3}
PEER_REPS=${PEER_REPS:-$REPS}
SEED=${SEED:-42}
SHAPE=${SHAPE-enterprise}
TIMEOUT=${TIMEOUT:-900}
PYTHON=${PYTHON:-/usr/bin/python3}
PEER=$here/nx_peer.py
TIME=/usr/bin/time

# The targets of the issue.
MAX_RATIO=5
MAX_RSS_MIB=1024
MIN_PEER_RATIO=50

die() {
	echo "perf.sh: $*" >&2
	exit 2
}

for tool in "$TIME" xmllint timeout awk sed sort; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (Debian packages: time, libxml2-utils, coreutils)"
done
for n in "$REPS" "$PEER_REPS" "$TIMEOUT" "$SEED"; do
	case $n in '' | *[!0-9]*) die "REPS, PEER_REPS, TIMEOUT and SEED must be integers, not '$n'" ;; esac
done
if [ "$REPS" -lt 1 ] || [ "$PEER_REPS" -lt 1 ]; then
	die "REPS and PEER_REPS must be at least 1"
fi
[ -n "$SIZES" ] || die "SIZES is empty"
for size in $SIZES; do
	case $size in M | L | 5k) ;; *) die "unknown size '$size' in SIZES (M, L or 5k)" ;; esac
done
if [ ! -x "$ITORISK" ] || [ -d "$ITORISK" ]; then
	die "no itorisk executable at '$ITORISK' (build it, or set ITORISK)"
fi
case " $SIZES " in
*" 5k "*)
	[ -r "$PEER" ] || die "cannot read the NetworkX peer '$PEER'"
	"$PYTHON" -c 'import networkx' 2>/dev/null ||
		die "'$PYTHON' cannot import networkx (Debian: apt-get install python3-networkx; or SIZES='M L')"
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itorisk-perf.XXXXXX") || die "cannot create a temp dir"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -x "$ITORISK_GEN" ]; then
	echo "note: no generator at '$ITORISK_GEN'; compiling test/gen with ${CC:-cc}" >&2
	ITORISK_GEN=$tmp/itorisk-gen
	"${CC:-cc}" -std=c11 -O2 -o "$ITORISK_GEN" "$root"/test/gen/gen.c "$root"/test/gen/main.c ||
		die "cannot build the generator"
fi

# The shape flag, when this generator knows it.
shape_args=()
if [ -z "$SHAPE" ]; then
	shape_text="generator default (SHAPE empty)"
elif "$ITORISK_GEN" --help 2>&1 | grep -q -- '--shape'; then
	shape_args=(--shape "$SHAPE")
	shape_text=$SHAPE
else
	shape_text="generator default: this itorisk-gen --help does not mention --shape, so '--shape $SHAPE' was not passed"
fi

# Does this itorisk have `audit --timings`? Ask it on a tiny portfolio.
"$ITORISK_GEN" --seed 1 "$tmp/probe" >/dev/null 2>"$tmp/probe.err" ||
	die "generator '$ITORISK_GEN' failed: $(head -n 1 "$tmp/probe.err")"
timings=(--timings)
"$ITORISK" audit "$tmp/probe" --timings --format json -o "$tmp/probe.json" >/dev/null 2>"$tmp/probe.err"
rc=$?
if [ "$rc" = 2 ] && grep -qi 'unknown option' "$tmp/probe.err"; then
	timings=()
elif [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
	die "itorisk audit fails on a tiny generated portfolio (exit $rc): $(head -n 1 "$tmp/probe.err")"
fi
rm -rf "$tmp/probe" "$tmp/probe.json"

# 20000 -> 20,000
thousands() { echo "$1" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

# count KEY: a figure of the generator's --stats
count() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/gen.stats"; }

# ratio A B: A / B with one decimal, "n/a" when B is zero
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "n/a" }'; }

# measure KEY OK_CODES COMMAND...: run REPS times (PEER_REPS for the peer). Sets
# m_med m_min m_max (seconds) and m_mib (peak RSS over the runs), or m_err when a
# run failed or timed out. Every run's "timing: STAGE SECONDS" lines on stderr
# go to $tmp/KEY.timings, prefixed with the run number, and the phases of its
# "timing: wall-clock PHASE SECONDS ..." line as stages named wall:PHASE.
measure() {
	local key=$1 ok=$2 reps=$REPS rep rc line t0 t1 s times="" peak=0
	shift 2
	[ "$key" = peer ] && reps=$PEER_REPS
	m_err="" m_med="" m_min="" m_max="" m_mib=""
	: >"$tmp/$key.timings"
	for ((rep = 1; rep <= reps; rep++)); do
		t0=${EPOCHREALTIME:-}
		"$TIME" -f '%e %M' -o "$tmp/run.time" timeout "$TIMEOUT" "$@" >"$tmp/run.out" 2>"$tmp/run.err"
		rc=$?
		t1=${EPOCHREALTIME:-}
		if [ ! -c /dev/null ]; then
			echo "perf.sh: /dev/null is no longer a character device after '$*'" >&2
			exit 2
		fi
		if [ "$rc" = 124 ]; then
			line=$(tail -n 1 "$tmp/run.time")
			m_err="TIMEOUT after ${TIMEOUT}s$(awk -v kb="${line#* }" 'BEGIN {
				if (kb + 0 > 0) printf " (peak RSS until then %.1f MiB)", kb / 1024 }')"
			return 1
		fi
		case " $ok " in
		*" $rc "*) ;;
		*)
			m_err="FAILED: exit $rc: $(grep -v '^timing: ' "$tmp/run.err" | head -n 1)"
			return 1
			;;
		esac
		# GNU time puts "Command exited with non-zero status N" first
		line=$(tail -n 1 "$tmp/run.time")
		s=${line% *}
		[ -n "$t0" ] && s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		times="$times $s"
		[ "${line#* }" -gt "$peak" ] && peak=${line#* }
		# stages, then the phases of the wall-clock line as "wall:PHASE"
		awk -v rep="$rep" '$1 == "timing:" && NF == 3 { print rep, $2, $3 }
			$1 == "timing:" && $2 == "wall-clock" {
				for (i = 3; i < NF; i += 2) print rep, "wall:" $i, $(i + 1) }' \
			"$tmp/run.err" >>"$tmp/$key.timings"
	done
	read -r m_med m_min m_max < <(echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '
		{ t[NR] = $1 }
		END { printf "%.3f %.3f %.3f\n", NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2, t[1], t[NR] }')
	m_mib=$(awk -v kb="$peak" 'BEGIN { printf "%.1f", kb / 1024 }')
}

# row LABEL BASE: one table row for the last measurement; BASE is the median
# the ratio column divides by (empty: no ratio).
row() {
	if [ -n "$m_err" ]; then
		printf '| %s | %s | | | | |\n' "$1" "$m_err"
	else
		printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$m_med" "$m_min" "$m_max" "$m_mib" \
			"$([ -n "$2" ] && ratio "$m_med" "$2")"
	fi
}

# stage_table KEY WHAT: the median of every stage over the runs, in the order
# the stages first appear, and its share of the stage named total (if any).
stage_table() {
	if [ ! -s "$tmp/$1.timings" ]; then
		return 1
	fi
	echo
	echo "$2, median of the runs:"
	echo
	echo "| stage | s | share |"
	echo "|---|--:|--:|"
	awk '
		!($2 in n) { order[++k] = $2 }
		{ v[$2, ++n[$2]] = $3 }
		END {
			for (i = 1; i <= k; i++) {
				s = order[i]
				for (a = 2; a <= n[s]; a++)	# insertion sort, a few runs
					for (b = a; b > 1 && v[s, b - 1] > v[s, b]; b--) {
						t = v[s, b]; v[s, b] = v[s, b - 1]; v[s, b - 1] = t
					}
				m = n[s] % 2 ? v[s, (n[s] + 1) / 2] : (v[s, n[s] / 2] + v[s, n[s] / 2 + 1]) / 2
				med[s] = m
			}
			for (i = 1; i <= k; i++) {
				s = order[i]
				share = ""
				if (("total" in med) && med["total"] > 0 && s != "total")
					share = sprintf("%.0f%%", 100 * med[s] / med["total"])
				printf "| %s | %.3f | %s |\n", s, med[s], share
			}
		}' "$tmp/$1.timings"
}

# compare_essential PEER_JSON ITORISK_JSON: print whether the essential sets are
# identical, and the first differences if not. Exit 0 identical, 1 not.
compare_essential() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    peer = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    report = json.load(f)
ours = {s["id"]: s.get("essential") for s in report.get("services", [])}
if peer == ours:
    print(f"essential sets: identical ({len(ours):,} critical and important services)")
    sys.exit(0)
diffs = [k for k in sorted(set(peer) | set(ours)) if peer.get(k) != ours.get(k)]
print(f"essential sets: DIFFER for {len(diffs):,} of {len(set(peer) | set(ours)):,} services; the first ones:")
print()
for k in diffs[:10]:
    if k not in ours:
        print(f"- `{k}`: not in itorisk's services (peer: {peer[k]})")
    elif k not in peer:
        print(f"- `{k}`: in itorisk's services only (itorisk: {ours[k]})")
    else:
        a, b = set(peer[k]), set(ours[k] or [])
        print(f"- `{k}`: only the peer has {sorted(a - b)}, only itorisk has {sorted(b - a)}")
sys.exit(1)
EOF
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
echo "# itorisk performance"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sm), ${cpu:-unknown CPU}, $(nproc) cores, ${mem:-? GiB}," \
	"load average at start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "- $("$ITORISK" --version 2>&1 | head -n 1) ($ITORISK); $(xmllint --version 2>&1 | head -n 1)"
case " $SIZES " in
*" 5k "*) echo "- NetworkX peer: $("$PYTHON" -c 'import sys, networkx; print("Python %s, NetworkX %s" % (sys.version.split()[0], networkx.__version__))') ($PYTHON)" ;;
esac
echo "- portfolios: itorisk-gen --seed $SEED, shape $shape_text"
if [ -n "${EPOCHREALTIME:-}" ]; then
	clock="bash's EPOCHREALTIME around each run, as GNU time's %e has 10 ms steps"
else
	clock="GNU time's %e"
fi
echo "- wall time in seconds: the median of $REPS run$([ "$REPS" = 1 ] || echo s) ($clock), with min and max;" \
	"peak RSS in MiB: the largest over the runs (GNU time's %M)"
[ ${#timings[@]} -gt 0 ] || echo "- stage times: not available (this itorisk refuses \`audit --timings\`)"

failed=0
verdicts=()

for size in $SIZES; do
	case $size in
	M) n=(20000 2000 60000 40) ;;
	L) n=(200000 20000 600000 400) ;;
	5k) n=(5000 500 15000 10) ;;
	esac
	data=$tmp/$size
	if ! "$ITORISK_GEN" --stats --seed "$SEED" "${shape_args[@]}" --services "${n[0]}" --vendors "${n[1]}" \
		--links "${n[2]}" --files "${n[3]}" "$data" >"$tmp/gen.stats" 2>"$tmp/gen.err"; then
		cat "$tmp/gen.err" >&2
		die "generator '$ITORISK_GEN' failed on portfolio $size"
	fi
	files=("$data"/*.xml)
	mib=$(du -sk "$data" | awk '{ printf "%.1f", $1 / 1024 }')

	echo
	echo "## Portfolio $size: $(thousands "$(count services)") services, $(thousands "$(count vendors)") vendors," \
		"$(thousands "$(count links)") links, ${#files[@]} files, $mib MiB"
	echo
	echo "| command | wall s | min | max | peak RSS MiB | × xmllint |"
	echo "|---|--:|--:|--:|--:|--:|"

	measure xmllint "0" xmllint --noout "${files[@]}"
	row "\`xmllint --noout\` (all files)" "$m_med"
	if [ -n "$m_err" ]; then
		die "xmllint fails on the generated portfolio $size: $m_err"
	fi
	x_med=$m_med

	measure itorisk "0 1" "$ITORISK" audit "$data" --format json -o /dev/null "${timings[@]}"
	row "\`itorisk audit DIR --format json\`" "$x_med"
	i_err=$m_err i_med=$m_med i_mib=$m_mib

	if [ "$size" = 5k ]; then
		measure peer "0" "$PYTHON" "$PEER" --essential-json "$tmp/peer.json" "$data"
		row "NetworkX peer \`nx_peer.py\`" ""
		p_err=$m_err p_med=$m_med
		if [ -n "$p_err" ]; then
			head -n 5 "$tmp/run.err" | sed 's/^/    /' >&2
		fi
		pagerank=$(sed -n 's/.*pagerank \([a-z]*\)$/\1/p' "$tmp/run.err" | head -n 1)
	fi

	if [ ${#timings[@]} -gt 0 ]; then
		stage_table itorisk "itorisk stage times from \`--timings\`" ||
			{ echo; echo "itorisk stage times: none reported"; }
	fi

	case $size in
	M | L)
		if [ -n "$i_err" ]; then
			verdicts+=("$size ratio: itorisk $i_err: not met")
			failed=1
		else
			r=$(ratio "$i_med" "$x_med")
			if awk -v r="$r" -v max="$MAX_RATIO" 'BEGIN { exit !(r != "n/a" && r <= max) }'; then
				verdicts+=("$size ratio $r ≤ $MAX_RATIO: met")
			else
				verdicts+=("$size ratio $r ≤ $MAX_RATIO: not met")
				failed=1
			fi
		fi
		;;
	esac
	if [ "$size" = L ]; then
		if [ -n "$i_err" ]; then
			verdicts+=("L RSS: itorisk $i_err: not met")
			failed=1
		elif awk -v m="$i_mib" -v max="$MAX_RSS_MIB" 'BEGIN { exit !(m < max) }'; then
			verdicts+=("L RSS $(printf '%.0f' "$i_mib") MiB < $MAX_RSS_MIB: met")
		else
			verdicts+=("L RSS $(printf '%.0f' "$i_mib") MiB < $MAX_RSS_MIB: not met")
			failed=1
		fi
	fi
	if [ "$size" = 5k ]; then
		stage_table peer "NetworkX peer parts from its own timer${pagerank:+ (pagerank via $pagerank)}" || true
		if [ -n "$i_err" ] || [ -n "$p_err" ]; then
			verdicts+=("NetworkX ratio: ${i_err:+itorisk $i_err}${i_err:+${p_err:+; }}${p_err:+peer $p_err}: not met")
			failed=1
		else
			r=$(ratio "$p_med" "$i_med")
			echo
			echo "NetworkX peer / itorisk: $p_med s / $i_med s = ${r}×"
			if awk -v r="$r" -v min="$MIN_PEER_RATIO" 'BEGIN { exit !(r != "n/a" && r >= min) }'; then
				verdicts+=("NetworkX ratio $r ≥ $MIN_PEER_RATIO: met")
			else
				verdicts+=("NetworkX ratio $r ≥ $MIN_PEER_RATIO: not met")
				failed=1
			fi
		fi
		# The essential sets: the peer's last run wrote its JSON; one more run of itorisk.
		rc=none
		if [ -z "$p_err" ] && [ -s "$tmp/peer.json" ]; then
			timeout "$TIMEOUT" "$ITORISK" audit "$data" --format json -o "$tmp/itorisk.json" 2>"$tmp/run.err"
			rc=$?
		fi
		if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
			echo
			if compare_essential "$tmp/peer.json" "$tmp/itorisk.json"; then
				verdicts+=("essential sets identical: yes")
			else
				verdicts+=("essential sets identical: no")
				failed=1
			fi
		else
			verdicts+=("essential sets identical: not compared (a run failed)")
			failed=1
		fi
		rm -f "$tmp/peer.json" "$tmp/itorisk.json"
	fi
	rm -rf "$data"
done

echo
echo "## Verdict"
echo
for v in "${verdicts[@]}"; do
	echo "- $v"
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (figures from a busy machine are noisy)."
exit "$failed"

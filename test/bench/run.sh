#!/bin/bash
# itorisk benchmark: generate a large portfolio, then time xmllint and itorisk on it.
#
#   test/bench/run.sh [ITORISK [ITORISK_GEN]]
#
# Arguments, else environment, else defaults:
#   ITORISK      the itorisk binary              (default: build/itorisk)
#   ITORISK_GEN  the itorisk-gen binary          (default: build/itorisk-gen; when
#                missing, test/gen/*.c is compiled with ${CC:-cc} into the temp dir)
#   REPS         runs per command (default 5): the median, min and max wall time
#                are shown, and the peak RSS over all runs
#   SEED SERVICES VENDORS LINKS FILES   the portfolio (42 20000 2000 60000 40)
#   TIMEOUT      seconds before one run is killed (default 600)
#   AUDIT_OUT    where audit writes its report (default /dev/null)
#   XSD          the schema (default models/portfolio.xsd next to this script)
#
# Wall time and peak RSS come from GNU time (/usr/bin/time -f '%e %M').
# Rows for a missing or failing itorisk say what failed; the xmllint rows are
# printed regardless. Exit status: 0 every row measured, 1 some row failed or
# was skipped, 2 the benchmark could not run (no generator, xmllint or time).
# The temp dir is removed on every exit.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ITORISK=${1:-${ITORISK:-$root/build/itorisk}}
ITORISK_GEN=${2:-${ITORISK_GEN:-$root/build/itorisk-gen}}
REPS=${REPS:-5}
SEED=${SEED:-42}
SERVICES=${SERVICES:-20000}
VENDORS=${VENDORS:-2000}
LINKS=${LINKS:-60000}
FILES=${FILES:-40}
TIMEOUT=${TIMEOUT:-600}
AUDIT_OUT=${AUDIT_OUT:-/dev/null}
XSD=${XSD:-$root/models/portfolio.xsd}
TIME=/usr/bin/time

die() {
	echo "run.sh: $*" >&2
	exit 2
}

for tool in "$TIME" xmllint timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (Debian packages: time, libxml2-utils, coreutils)"
done
[ -r "$XSD" ] || die "cannot read schema '$XSD'"
case $REPS in '' | *[!0-9]* | 0) die "REPS must be a positive integer, not '$REPS'" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itorisk-bench.XXXXXX") || die "cannot create a temp dir"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -x "$ITORISK_GEN" ]; then
	echo "note: no generator at '$ITORISK_GEN'; compiling test/gen with ${CC:-cc}"
	ITORISK_GEN=$tmp/itorisk-gen
	"${CC:-cc}" -std=c11 -O2 -o "$ITORISK_GEN" "$root"/test/gen/gen.c "$root"/test/gen/main.c ||
		die "cannot build the generator"
fi

data=$tmp/portfolio
if ! "$TIME" -f '%e %M' -o "$tmp/gen.time" "$ITORISK_GEN" --stats --seed "$SEED" \
	--services "$SERVICES" --vendors "$VENDORS" --links "$LINKS" --files "$FILES" \
	"$data" >"$tmp/gen.stats" 2>"$tmp/gen.err"; then
	cat "$tmp/gen.err" >&2
	die "generator '$ITORISK_GEN' failed"
fi
files=("$data"/*.xml)
count() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/gen.stats"; }
size=$(du -sk "$data" | awk '{ printf "%.1f", $1 / 1024 }')

echo "itorisk benchmark: $(count services) services, $(count vendors) vendors, $(count contracts) contracts," \
	"$(count links) links, ${#files[@]} files, $size MiB (seed $SEED)"
echo "$REPS runs each, timeout ${TIMEOUT}s; wall time in seconds, peak RSS in MiB"
echo
printf '%-44s %8s %8s %8s %10s\n' command median min max "peak RSS"
printf '%-44s %8s %8s %8s %10s\n' -------------------------------------------- ------ --- --- --------

read -r gen_s gen_kb <"$tmp/gen.time"
printf '%-44s %8s %8s %8s %10.1f\n' "itorisk-gen (1 run)" "$gen_s" "$gen_s" "$gen_s" "$(echo "$gen_kb" | awk '{ print $1 / 1024 }')"

failed=0

# measure LABEL OK_CODES COMMAND...: run REPS times, print one row.
# OK_CODES is a space-separated list of acceptable exit statuses.
measure() {
	local label=$1 ok=$2 rep rc line times="" peak=0 s kb
	shift 2
	for ((rep = 1; rep <= REPS; rep++)); do
		"$TIME" -f '%e %M' -o "$tmp/run.time" timeout "$TIMEOUT" "$@" >"$tmp/run.out" 2>"$tmp/run.err"
		rc=$?
		if [ ! -c /dev/null ]; then
			echo "run.sh: /dev/null is no longer a character device after '$label'" >&2
			exit 2
		fi
		if [ "$rc" = 124 ]; then
			printf '%-44s TIMEOUT after %ss\n' "$label" "$TIMEOUT"
			failed=1
			return
		fi
		case " $ok " in
		*" $rc "*) ;;
		*)
			printf '%-44s FAILED: exit %s\n' "$label" "$rc"
			head -n 3 "$tmp/run.err" | sed 's/^/    /'
			failed=1
			return
			;;
		esac
		# GNU time puts "Command exited with non-zero status N" first
		line=$(tail -n 1 "$tmp/run.time")
		s=${line% *}
		kb=${line#* }
		times="$times $s"
		[ "$kb" -gt "$peak" ] && peak=$kb
	done
	echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk -v label="$label" -v kb="$peak" '
		{ t[NR] = $1 }
		END {
			med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%-44s %8.2f %8.2f %8.2f %10.1f\n", label, med, t[1], t[NR], kb / 1024
		}'
}

measure "xmllint --noout" "0" xmllint --noout "${files[@]}"
measure "xmllint --noout --schema portfolio.xsd" "0" xmllint --noout --schema "$XSD" "${files[@]}"

if [ ! -x "$ITORISK" ] || [ -d "$ITORISK" ]; then
	printf '%-44s skipped: no executable at %s\n' "itorisk validate DIR" "$ITORISK"
	printf '%-44s skipped: no executable at %s\n' "itorisk audit DIR --format json" "$ITORISK"
	failed=1
else
	measure "itorisk validate DIR" "0" "$ITORISK" validate "$data"
	# audit: 1 means findings at or above --fail-on, a completed run
	measure "itorisk audit DIR --format json -o $AUDIT_OUT" "0 1" \
		"$ITORISK" audit "$data" --format json -o "$AUDIT_OUT"
fi

exit "$failed"

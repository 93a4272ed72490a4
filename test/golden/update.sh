#!/bin/sh
# Regenerate the golden reports from the samples. Run it by hand after a
# deliberate change, read `git diff test/golden` and commit what you mean.
# CI never runs this.
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-build/itorisk}
for s in bank hospital retailer; do
	"$bin" audit "samples/$s" --format json > "test/golden/$s.json"
	"$bin" audit "samples/$s" --format text > "test/golden/$s.txt"
done

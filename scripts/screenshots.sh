#!/usr/bin/env bash
# Regenerates the HTML report screenshots the README shows (docs/html-report-*.png): the demo fleet,
# and a generated aged fleet of 100,000 things in which eight keys are each in 5,000 certificates.
# Needs a build with fleetgen (scripts/build.sh) and Debian's chromium (scripts/install-deps.sh).
# Usage: scripts/screenshots.sh [BUILD_DIR]   (about a minute; the large fleet is written to a
# temporary directory and removed)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
for tool in "$build/fleetaudit" "$build/bench/fleetgen" /usr/bin/chromium; do
  [ -x "$tool" ] || { echo "screenshots.sh: $tool is missing (scripts/build.sh, scripts/install-deps.sh)" >&2; exit 1; }
done
source_dir=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The page of SNAPSHOT (a path relative to the current directory, which the report's header shows)
# as a 1280-pixel-wide PNG of HEIGHT pixels.
shoot() {
  local snapshot=$1 output=$2 height=$3
  "$source_dir/$build/fleetaudit" audit "$snapshot" --format html --output "$scratch/page.html" || [ $? -eq 1 ]
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$scratch/profile" --force-device-scale-factor=1 --window-size=1280,"$height" \
    --screenshot="$output" "file://$scratch/page.html" 2>/dev/null
  echo "wrote $output"
}

mkdir -p docs
shoot fixtures/demo "$source_dir/docs/html-report-demo.png" 1700
( cd "$scratch"
  "$source_dir/$build/bench/fleetgen" --things 100000 --seed 7 --profile aged --shared-keys 8:5000 \
    --out aged-fleet-100k 2>/dev/null
  shoot aged-fleet-100k "$source_dir/docs/html-report-large-fleet.png" 1900 )

#!/usr/bin/env bash
# Builds fleetaudit and runs the whole test suite with ctest, but for the tests labelled "scale"
# (the 50k-thing export; CI runs it with `ctest -L scale`), or those FLEETAUDIT_CTEST_EXCLUDE names
# (a regular expression of labels), or whose names FLEETAUDIT_CTEST_EXCLUDE_TESTS matches (a regular
# expression of test names). Extra arguments go to CMake
# (e.g. -DFLEETAUDIT_SANITIZE=ON with BUILD_DIR=build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh "$@"
excluded_names=()
if [ -n "${FLEETAUDIT_CTEST_EXCLUDE_TESTS:-}" ]; then excluded_names=(--exclude-regex "$FLEETAUDIT_CTEST_EXCLUDE_TESTS"); fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)" --label-exclude "${FLEETAUDIT_CTEST_EXCLUDE:-scale}" \
  "${excluded_names[@]}"

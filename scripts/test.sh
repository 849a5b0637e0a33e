#!/usr/bin/env bash
# Builds fleetaudit and runs the whole test suite with ctest, but for the tests labelled "scale"
# (the 50k-thing export; CI runs it with `ctest -L scale`), or those FLEETAUDIT_CTEST_EXCLUDE names
# (a regular expression of labels). Extra arguments go to CMake
# (e.g. -DFLEETAUDIT_SANITIZE=ON with BUILD_DIR=build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh "$@"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)" --label-exclude "${FLEETAUDIT_CTEST_EXCLUDE:-scale}"

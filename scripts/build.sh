#!/usr/bin/env bash
# Configures and builds fleetaudit into build/ (or $BUILD_DIR) in release mode with debug info.
# Warnings are errors in every build, so scripts/demo.sh and scripts/test.sh configure build/ with
# the same flags and the second reuses what the first compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DFLEETAUDIT_WERROR=ON \
  "${launcher[@]}" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"

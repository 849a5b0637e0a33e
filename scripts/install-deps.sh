#!/usr/bin/env bash
# Installs the Debian packages fleetaudit builds and tests with, when any is missing.
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config python3 python3-jsonschema
          python3-boto3 python3-pytest python3-tqdm awscli chromium poppler-utils pre-commit git clang-format
          libsimdjson-dev libfmt-dev libre2-dev libgtest-dev libbenchmark-dev libssl-dev libcli11-dev zlib1g-dev libyaml-cpp-dev "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing missing Debian packages: ${missing[*]}"
run_as_root=()
[ "$(id -u)" -eq 0 ] || run_as_root=(sudo)
"${run_as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

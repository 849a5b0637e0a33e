#!/usr/bin/env bash
# Builds fleetaudit and audits the bundled demo fleet as text. Exit status 1 means the audit
# found the problems the demo plants (see fixtures/demo/STORY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/fleetaudit audit fixtures/demo --format text

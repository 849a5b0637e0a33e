#!/usr/bin/env bash
# Fails when a C++ line this branch changed since it left BASE (default: main) is not laid out as
# .clang-format says. Only changed lines are judged: older code is reformatted when it is next
# touched, never in a commit of its own. On BASE itself (CI on main) there is nothing to judge.
# Usage: scripts/check-format.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-main}
command -v git-clang-format >/dev/null || scripts/install-deps.sh clang-format
if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  echo "check-format: no commit $base to compare with; nothing judged"
  exit 0
fi
merge_base=$(git merge-base HEAD "$base")
# git clang-format compares the working tree with the merge base: the branch's commits and any
# uncommitted change. --diff prints what it would change instead of changing it.
changes=$(git clang-format --quiet --diff --extensions cpp,h "$merge_base" -- analyzer rules tests bench)
if [ -n "$changes" ] && [ "$changes" != "no modified files to format" ] &&
   [ "$changes" != "clang-format did not modify any files" ]; then
  printf '%s\n' "$changes"
  echo "check-format: the lines above, changed since $(git rev-parse --short "$merge_base"), are not as .clang-format" \
       "lays them out; apply with: git clang-format $(git rev-parse --short "$merge_base")"
  exit 1
fi
echo "check-format: the C++ lines changed since $(git rev-parse --short "$merge_base") follow .clang-format"

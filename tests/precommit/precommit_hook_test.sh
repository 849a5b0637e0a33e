#!/usr/bin/env bash
# The fleetaudit-lint pre-commit hook (.pre-commit-hooks.yaml), run by Debian's pre-commit on a
# scratch git repository, with no network: `pre-commit try-repo` against this checkout.
# Usage: precommit_hook_test.sh SOURCE_DIR FLEETAUDIT_BINARY
set -euo pipefail
source_dir=$1
binary=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
binary_dir=$(dirname "$binary")
export HOME="$scratch/home" PRE_COMMIT_HOME="$scratch/cache" PATH="$binary_dir:$PATH"
mkdir -p "$HOME"
git config --global user.email test@example.com
git config --global user.name test
git config --global init.defaultBranch main
# try-repo clones the hooks' repository: a copy of the hook file in a git repository of its own,
# so that the test does not depend on what this checkout has committed.
hooks="$scratch/hooks"
mkdir -p "$hooks"
cp "$source_dir/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add . && git -C "$hooks" commit -qm hooks

repo="$scratch/repo"
mkdir -p "$repo"
cd "$repo"
git init -q
cp "$source_dir/fixtures/lint/policies/scoped-policy.json" policy.json
echo '{"name": "x"}' > package.json
git add . && git commit -qm clean
if ! output=$(pre-commit try-repo "$hooks" fleetaudit-lint --all-files 2>&1); then
  echo "clean repository: the hook failed"; echo "$output"; exit 1
fi
cp "$source_dir/fixtures/lint/policies/typo-policy.json" typo.json
git add typo.json
if output=$(pre-commit try-repo "$hooks" fleetaudit-lint --all-files 2>&1); then
  echo "a policy with findings: the hook passed"; echo "$output"; exit 1
fi
grep -q "typo.json:6:19: MEDIUM FLEETAUDIT_UNKNOWN_IOT_ACTION" <<<"$output" || { echo "$output"; exit 1; }
echo "fleetaudit-lint hook: passes on a clean repository, fails on a typo with its location"

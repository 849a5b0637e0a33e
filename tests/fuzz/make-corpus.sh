#!/usr/bin/env bash
# Seeds the fuzz corpus with every fixture file, prefixed by the byte that selects its loader.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
mkdir -p "$out"
names=(manifest things thing-principals certificates ca-certificates policies policy-targets thing-groups
       logging-v1 logging-v2 audit-configuration role-aliases iam-authorization-details
       cognito-identity-pool-roles iam-service-last-accessed audit-suppressions)
for index in "${!names[@]}"; do
  for file in $(find fixtures -name "${names[$index]}.json" -size -64k | sort); do
    { printf "\\x$(printf %02x "$index")"; cat "$file"; } > "$out/$(echo "$file" | tr '/' '_')"
  done
done

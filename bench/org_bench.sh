#!/usr/bin/env bash
# The organization bench (issue 29): an organization of ACCOUNTS generated accounts × THINGS things
# (fleetgen, one region each), audited on one machine (`fleetaudit audit OUT_DIR`: wall and peak
# memory), each account alone (wall and peak memory per account), and through the job fan-out as
# the README's workflow runs it (`plan-jobs --format github-matrix`, one `fleetaudit audit SNAPSHOT`
# process per matrix entry with `xargs -P`, then `fleetaudit merge`), the merged report compared
# byte for byte with the single-machine one. Prints Markdown for bench/RESULTS.md.
#
# usage: bench/org_bench.sh [--accounts 100] [--things 10000] [--jobs 2] [--build-dir build]
#                           [--work-dir /tmp/fleetaudit-org-bench] [--seed 1]
#
# The organization is generated once and cached in the work dir (by sizes and seed; regenerated
# when bench/fleetgen.cpp changes): 100 × 10,000 things take ~2.3 GB and ~2 min on 2 cores.
# Peak memory comes from /usr/bin/time -v (the largest process, for xargs the largest job).
# Not run by CI at this size: it takes minutes. ctest's org_bench_smoke runs it on 3 accounts × 300
# things; tests/exporter/test_organization_jobs.py runs the same flow on the stub's export.
set -euo pipefail
export LC_ALL=C

accounts=100
things=10000
jobs=2
build_dir=build
work_dir=/tmp/fleetaudit-org-bench
seed=1
usage() {
  echo "usage: bench/org_bench.sh [--accounts 100] [--things 10000] [--jobs 2] [--build-dir build]"
  echo "                          [--work-dir /tmp/fleetaudit-org-bench] [--seed 1]"
}
while [ $# -gt 0 ]; do
  case $1 in
    --accounts) accounts=$2; shift 2 ;;
    --things) things=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench/org_bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for number in "$accounts" "$things" "$jobs" "$seed"; do
  [[ $number =~ ^[0-9]+$ && $number -ge 1 ]] || { echo "bench/org_bench.sh: expected positive numbers" >&2; exit 2; }
done
[ "$accounts" -le 99999 ] || { echo "bench/org_bench.sh: --accounts is at most 99999" >&2; exit 2; }

cd "$(dirname "$0")/.."
log() { echo "bench/org_bench.sh: $*" >&2; }
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac
fleetaudit=$build_dir/fleetaudit
fleetgen=$build_dir/bench/fleetgen
[ -x "$fleetaudit" ] && [ -x "$fleetgen" ] || { log "build first: scripts/build.sh"; exit 2; }

# --- The organization ------------------------------------------------------------------------
stamp="$(sha256sum bench/fleetgen.cpp | cut -c1-16)-$accounts-$things-$seed"
org=$work_dir/org-$accounts-$things-seed$seed
if [ "$(cat "$org.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "generating $accounts accounts × $things things into $org"
  rm -rf "$org" "$org.stamp"
  mkdir -p "$org"
  started=$(date +%s.%N)
  for ((n = 0; n < accounts; ++n)); do
    printf '%012d\n' $((100000000000 + n))
  done | xargs -P "$jobs" -I{} "$fleetgen" --things "$things" --seed "$seed" --threads 1 \
      --account-id {} --region eu-west-1 --out "$org/{}/eu-west-1" >/dev/null 2>&1
  echo "$stamp" >"$org.stamp"
  log "generated in $(echo "$(date +%s.%N) - $started" | bc) s"
fi
out=$work_dir/run
rm -rf "$out"
mkdir -p "$out/jobs"

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_kb cpu_seconds" (user + system,
# of the command and its children: steadier than wall on a busy machine).
measure() {
  local report=$out/time.$$
  /usr/bin/time -v -o "$report" "$@" >/dev/null 2>>"$out/stderr.log" || {
    local status=$?
    [ "$status" -le 1 ] || { log "failed ($status): $*"; tail -5 "$out/stderr.log" >&2; exit 1; }
  }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2])}
              /User time \(seconds\)|System time \(seconds\)/ {cpu += $2}
              /Maximum resident set size/ {kb = $2} END {printf "%.2f %d %.2f\n", s, kb, cpu}' "$report"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; shared and noisy"
echo "organization: $accounts accounts × $things things ($(du -sh "$org" | cut -f1)), fleetgen seed $seed"
echo

# --- Each account alone ------------------------------------------------------------------------
per_account=$out/per-account.txt
: >"$per_account"
for snapshot in "$org"/*/eu-west-1; do
  measure "$fleetaudit" audit "$snapshot" --format json --output "$out/alone.json" >>"$per_account"
done
sort -n "$per_account" | awk -v things="$things" '
  {wall[NR] = $1; sum += $1; cpu += $3; if ($2 > peak) peak = $2}
  END {printf "| each account alone (%d runs, one after another) | %.2f s in all | %.3f / %.3f / %.3f s | %.1f µs | %.1f µs | %d MB |\n",
              NR, sum, wall[1], wall[int((NR + 1) / 2)], wall[NR], 1e6 * sum / NR / things, 1e6 * cpu / NR / things, peak / 1024}' >"$out/alone.row"

# --- One machine: audit OUT_DIR ------------------------------------------------------------------
per_thing() { echo "1000000 * $1 / ($accounts * $things)" | bc -l | xargs printf '%.1f'; }
single_supported=true
"$fleetaudit" --help | grep -qE "^ +merge +" || single_supported=false
if $single_supported; then
  read -r wall peak cpu < <(measure "$fleetaudit" audit "$org" --format json --output "$out/single.json")
  single_row="| \`audit OUT_DIR\` on one machine | $wall s | – | $(per_thing "$wall") µs | $(per_thing "$cpu") µs | $((peak / 1024)) MB |"
fi

# --- The fan-out: plan-jobs, xargs -P, merge -----------------------------------------------------
fan_started=$(date +%s.%N)
"$fleetaudit" plan-jobs "$org" --format github-matrix --output "$out/matrix.json"
jq -r '.include[] | .snapshot' "$out/matrix.json" | awk '{printf "%s %05d\n", $1, NR}' >"$out/entries.txt"
[ "$(wc -l <"$out/entries.txt")" -eq "$accounts" ] || { log "plan-jobs planned $(wc -l <"$out/entries.txt") jobs"; exit 1; }
read -r jobs_wall jobs_peak jobs_cpu < <(measure xargs -P "$jobs" -L 1 sh -c \
  '"$0" audit "$1/$3" --format json --output "$2/job-$4.json"; [ $? -le 1 ]' "$fleetaudit" "$org" "$out/jobs" <"$out/entries.txt")
if $single_supported; then
  read -r merge_wall merge_peak merge_cpu < <(measure "$fleetaudit" merge "$out"/jobs/job-*.json --format json --output "$out/merged.json")
  fan_wall=$(echo "$(date +%s.%N) - $fan_started" | bc)
  if cmp -s "$out/merged.json" "$out/single.json"; then same="byte-identical"; else same="DIFFERENT"; fi
fi

echo "| run | wall | per account min / median / max | wall per thing | CPU per thing | peak RSS |"
echo "|---|---|---|---|---|---|"
cat "$out/alone.row"
if $single_supported; then
  echo "$single_row"
  echo "| fan-out: plan-jobs + \`xargs -P $jobs\` audits + merge | $(printf '%.2f' "$fan_wall") s (audits $jobs_wall s, merge $merge_wall s) | – | $(per_thing "$fan_wall") µs | $(per_thing "$(echo "$jobs_cpu + $merge_cpu" | bc)") µs | $((jobs_peak / 1024)) MB a job, $((merge_peak / 1024)) MB the merge |"
  echo
  echo "merged report vs single-machine report: $same ($(stat -c %s "$out/single.json") bytes)"
  [ "$same" = byte-identical ] || exit 1
else
  echo "| fan-out audits only (\`xargs -P $jobs\`) | $jobs_wall s | – | $(per_thing "$jobs_wall") µs | $(per_thing "$jobs_cpu") µs | $((jobs_peak / 1024)) MB a job |"
  echo
  echo "this build has no \`fleetaudit merge\` (nor \`audit OUT_DIR\`): single-machine and merge not measured"
fi

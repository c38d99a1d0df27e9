#!/usr/bin/env bash
# Exec to the top of Main: a bootstrap started without AWS_LAMBDA_RUNTIME_API logs one line and exits at the top of
# Main, so its whole run is process creation, the dynamic loader and the .NET runtime's start-up. Runs the given
# bootstraps alternately (so machine load affects them alike) and prints each one's median and minimum.
# Usage: benchmarks/cold-start/exec-to-main.sh RUNS BOOTSTRAP [BOOTSTRAP...]
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 RUNS BOOTSTRAP [BOOTSTRAP...]" >&2
  exit 2
fi
runs=$1
shift
declare -A samples
for ((i = 0; i < runs; i++)); do
  for bootstrap in "$@"; do
    start=$EPOCHREALTIME
    env -u AWS_LAMBDA_RUNTIME_API "$bootstrap" > /dev/null 2>&1 || true
    end=$EPOCHREALTIME
    samples[$bootstrap]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) * 1000 }') "
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for bootstrap in "$@"; do
  tr ' ' '\n' <<< "${samples[$bootstrap]}" | grep . | sort -n | awk -v name="$bootstrap" \
    '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s: median %.1f ms, min %.1f ms (%d runs)\n", name, m, v[1], NR }'
done

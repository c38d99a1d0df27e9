#!/usr/bin/env bash
# A CPU profile of the AOT bootstrap's cold start. Publishes the bootstrap unstripped, records the whole machine with
# `perf record -a -g` around RUNS traced cold starts of the benchmark (system-wide, because the benchmark kills the
# bootstrap after its first response, before a perf attached to the bootstrap alone could write its data), and
# reports the samples of the bootstrap processes only: by thread, then by function (self time).
# Usage: benchmarks/cold-start/profile.sh [RUNS]   (needs perf, and root or kernel.perf_event_paranoid <= 0)
set -euo pipefail
runs=${1:-12}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/era-cold-start-profile-XXXX)
echo "publishing an unstripped bootstrap and building the benchmark into $work ..." >&2
dotnet publish "$root/src/EcsRoleAuditor.Lambda" -c Release -r linux-x64 -p:StripSymbols=false -o "$work/bootstrap" -nologo > "$work/publish.log"
dotnet build "$root/benchmarks/cold-start" -c Release -nologo > "$work/build.log"
# The benchmark's trace mode runs "WRAPPER <its own bootstrap>"; this wrapper runs the unstripped one instead.
printf '#!/bin/sh\nexec "%s"\n' "$work/bootstrap/bootstrap" > "$work/profiled"
chmod +x "$work/profiled"
perf record -a -g -F 10000 -o "$work/perf.data" -- bash -c \
  "for i in \$(seq $runs); do dotnet run --no-build -c Release --project '$root/benchmarks/cold-start' -- trace '$work/profiled' > /dev/null 2>&1; done" 2> "$work/perf.log"
# The wrapper's processes are the bootstrap's (exec keeps the pid).
pids=$(perf script -i "$work/perf.data" -F comm,pid 2> /dev/null | awk '$1 == "profiled" { print $2 }' | sort -u | paste -sd,)
if [[ -z $pids ]]; then
  echo "no bootstrap samples recorded; see $work/perf.log" >&2
  exit 1
fi
# Self time by thread, then by function ('perf report --pid' keeps only the threads named like the process).
perf script -i "$work/perf.data" --pid "$pids" -F comm,ip,sym -G 2> /dev/null > "$work/samples.txt"
total=$(wc -l < "$work/samples.txt")
echo "$total samples over $runs cold starts"
# Each line is "THREAD NAME  ADDRESS SYMBOL"; thread names contain spaces, so split at the address.
split='{ for (i = 2; i <= NF && $i !~ /^[0-9a-f]+$/; i++) {} thread = $1; for (j = 2; j < i; j++) thread = thread " " $j
  symbol = $(i + 1); for (j = i + 2; j <= NF; j++) symbol = symbol " " $j }'
awk -v total="$total" "$split"' { n[thread]++ } END { for (k in n) printf "%6.1f%%  %s\n", 100 * n[k] / total, k }' "$work/samples.txt" | sort -rn
awk -v total="$total" "$split"' { n[symbol]++ } END { for (k in n) printf "%6.2f%%  %s\n", 100 * n[k] / total, k }' "$work/samples.txt" | sort -rn | head -40
echo "perf data: $work/perf.data (bootstrap pids: $pids); e.g. perf report -i $work/perf.data --pid $pids --children"

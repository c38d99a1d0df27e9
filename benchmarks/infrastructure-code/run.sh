#!/usr/bin/env bash
# Measures `audit --cloudformation` (Release build) on generated templates: wall time (median of 5) and peak RSS.
# Usage: bash benchmarks/infrastructure-code/run.sh [SERVICES...]   (default: 10 100 400)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release "$root/src/EcsRoleAuditor.Cli" -v q -nologo > /dev/null
cli="$root/src/EcsRoleAuditor.Cli/bin/Release/net10.0/ecs-role-auditor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%8s %10s %12s %12s %10s\n' services bytes "median s" "max RSS MB" findings
for n in "${@:-10 100 400}"; do
  for size in $n; do
    python3 "$root/benchmarks/infrastructure-code/generate.py" "$size" > "$work/t.yaml"
    times=()
    for _ in 1 2 3 4 5; do
      /usr/bin/time -f '%e %M' -o "$work/time" "$cli" audit --cloudformation "$work/t.yaml" --account 111122223333 --region eu-west-1 --format json > "$work/out.json" 2> /dev/null || true
      times+=("$(tail -1 "$work/time")")
    done
    median=$(printf '%s\n' "${times[@]}" | awk '{print $1}' | sort -n | sed -n 3p)
    rss=$(printf '%s\n' "${times[@]}" | awk '{print $2}' | sort -n | tail -1)
    findings=$(python3 -c "import json,sys; print(sum(len(r['findings']) for r in json.load(open(sys.argv[1]))['reports']))" "$work/out.json")
    printf '%8s %10s %12s %12.1f %10s\n' "$size" "$(stat -c %s "$work/t.yaml")" "$median" "$(echo "$rss / 1024" | bc -l)" "$findings"
  done
done

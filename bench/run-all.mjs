// Runs every benchmark and prints its figures. Benchmarks never assert times.
import { spawnSync } from 'node:child_process';
const steps = [
  ['node', ['scripts/build-functions.mjs']],
  ['npx', ['tsx', 'bench/db-requests.ts']],
  ['npx', ['tsx', 'bench/checkout-throughput.ts']],
  ['npx', ['tsx', 'bench/distribution.ts']],
  ['node', ['bench/weapp-size.mjs']],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}

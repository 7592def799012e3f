// `npm test`: the whole suite, as CI runs it.
//  1. install (if needed) and typecheck;
//  2. build the cloud functions, the weapp (checked with WeChat's own wcc/wcsc) and the H5 client;
//  3. jest: unit, contract, integration, e2e (Chromium driving the H5 build).
// Ends with a plain "N passed, N failed" line.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureInstalled, ensureH5Build, buildFunctions, run, root } from './lib/ensure-install.mjs';

const t0 = Date.now();
const step = (name, fn) => {
  const s = Date.now();
  console.log(`\n=== ${name}`);
  fn();
  console.log(`=== ${name}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
};

step('install', ensureInstalled);
step('typecheck', () => {
  run('npx', ['tsc', '-p', 'tsconfig.json']);
  run('npx', ['tsc', '-p', 'client/tsconfig.json']);
});
step('build cloud functions', buildFunctions);
step('build weapp + WeChat compilers (wcc/wcsc)', () => {
  run('npx', ['taro', 'build', '--type', 'weapp'], { cwd: path.join(root, 'client') });
  run('node', ['scripts/check-weapp.cjs', 'client/dist/weapp']);
  run('node', ['bench/weapp-size.mjs']);
});
step('build h5', () => ensureH5Build({ force: true }));

const report = path.join(root, '.tmp', 'jest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
let jestStatus = 1;
step('jest', () => {
  const r = spawnSync('npx', ['jest', '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
  });
  jestStatus = r.status ?? 1;
});

let passed = 0;
let failed = 0;
try {
  const j = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = j.numPassedTests;
  failed = j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0);
} catch {
  failed = 1;
}
console.log(`\nwhole suite: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(jestStatus === 0 && failed === 0 ? 0 : 1);

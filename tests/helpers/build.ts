/**
 * Makes sure the cloud-function bundles (and the test-only fixture functions) are built and not older than
 * their sources. Safe when several jest workers call it at once (a directory lock).
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURE_FUNCTIONS = path.join(REPO, 'tests', 'integration', 'fixtures');

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) {
      if (ent.name === 'node_modules') continue;
      newest = Math.max(newest, newestMtime(p));
    } else if (/\.ts$/.test(ent.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale(root: string): boolean {
  const sources = Math.max(newestMtime(path.join(REPO, 'core')), newestMtime(path.join(REPO, 'server')));
  for (const name of fs.readdirSync(root)) {
    const src = path.join(root, name, 'src');
    if (!fs.existsSync(path.join(src, 'index.ts'))) continue;
    const out = path.join(root, name, 'index.js');
    if (!fs.existsSync(out)) return true;
    const built = fs.statSync(out).mtimeMs;
    if (built < Math.max(sources, newestMtime(src))) return true;
  }
  return false;
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds cloudfunctions/* and the fixture functions when missing or stale. */
export function ensureFunctionsBuilt(): void {
  const roots = [path.join(REPO, 'cloudfunctions'), FIXTURE_FUNCTIONS];
  if (!roots.some(stale)) return;
  const lock = path.join(REPO, '.tmp', 'build-functions.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      sleep(100);
    }
  }
  try {
    if (roots.some(stale)) {
      execFileSync(process.execPath, ['scripts/build-functions.mjs', '--root', 'cloudfunctions', '--root', path.relative(REPO, FIXTURE_FUNCTIONS)], {
        cwd: REPO,
        stdio: 'pipe',
      });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

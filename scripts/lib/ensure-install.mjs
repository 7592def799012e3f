// Installs dependencies when node_modules is missing or older than the lockfile.
// Uses only Node built-ins, so `npm start` / `npm test` work on a fresh clone.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit ${r.status}`);
  }
}

export function ensureInstalled() {
  const lock = path.join(root, 'package-lock.json');
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const fresh = existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  // `npm install` (not `npm ci`): it installs the lockfile's versions, and unlike `npm ci` it tolerates
  // NutUI's optional `@jmfe/npm-usage-stats-tool@latest`, which the public registry does not have.
  console.log('[setup] installing dependencies (npm install, from package-lock.json)…');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

/** Newest mtime of files below `dir` (skipping node_modules and dist). */
export function newestMtime(dir) {
  let newest = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  if (existsSync(dir)) walk(dir);
  return newest;
}

/** Builds the H5 client unless client/dist/h5 is newer than every client and core source file. */
export function ensureH5Build({ force = false } = {}) {
  const out = path.join(root, 'client', 'dist', 'h5', 'index.html');
  const src = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'core')));
  if (!force && existsSync(out) && statSync(out).mtimeMs >= src) return;
  console.log('[build] client h5…');
  run('npx', ['taro', 'build', '--type', 'h5'], { cwd: path.join(root, 'client') });
}

export function buildFunctions() {
  run('node', ['scripts/build-functions.mjs']);
}

#!/usr/bin/env node
// Bundles every cloud function: cloudfunctions/<name>/src/index.ts → cloudfunctions/<name>/index.js
// (CommonJS, node16, wx-server-sdk external; core + server + zod inlined) — the file CloudBase deploys.
// Usage: node scripts/build-functions.mjs [--root <dir>]... [names...]
//   --root  a folder of function folders (default: cloudfunctions); may repeat (tests add their fixtures)
//   names   only these functions
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const roots = [];
const only = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root') roots.push(path.resolve(repo, args[++i]));
  else only.push(args[i]);
}
if (roots.length === 0) roots.push(path.join(repo, 'cloudfunctions'));

const targets = [];
for (const root of roots) {
  if (!fs.existsSync(root)) continue;
  for (const name of fs.readdirSync(root).sort()) {
    const entry = path.join(root, name, 'src', 'index.ts');
    if (!fs.existsSync(entry)) continue;
    if (only.length && !only.includes(name)) continue;
    targets.push({ name, entry, outfile: path.join(root, name, 'index.js') });
  }
}
if (targets.length === 0) {
  console.error('build-functions: no functions found');
  process.exit(1);
}

const t0 = Date.now();
const results = await Promise.all(
  targets.map(async (t) => {
    await build({
      entryPoints: [t.entry],
      outfile: t.outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node16',
      external: ['wx-server-sdk'],
      sourcemap: false,
      minify: false,
      keepNames: true,
      legalComments: 'none',
      logLevel: 'warning',
      absWorkingDir: repo,
    });
    return { ...t, bytes: fs.statSync(t.outfile).size };
  }),
);
for (const r of results) {
  console.log(`${path.relative(repo, r.outfile).padEnd(48)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`built ${results.length} function(s) in ${Date.now() - t0} ms`);

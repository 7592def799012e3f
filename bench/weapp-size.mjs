#!/usr/bin/env node
// Prints the weapp package sizes (production build) against WeChat's limits:
// main package ≤ 2 MB (target ≤ 1 MB), each subpackage ≤ 2 MB, total ≤ 20 MB.
// *.map and *.LICENSE.txt are not uploaded and are excluded. Exit 1 when a hard limit is exceeded.
// Usage: node bench/weapp-size.mjs [client/dist/weapp]
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] || 'client/dist/weapp');
const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
const subRoots = (appJson.subPackages || appJson.subpackages || []).map((s) => s.root.replace(/\/+$/, '') + '/');

const MB = 1024 * 1024;
const LIMITS = { main: 2 * MB, mainTarget: 1 * MB, sub: 2 * MB, total: 20 * MB };
const sizes = { main: 0 };
for (const r of subRoots) sizes[r] = 0;
const files = [];

const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { walk(p); continue; }
    if (e.name.endsWith('.map') || e.name.endsWith('.LICENSE.txt')) continue;
    const rel = path.relative(root, p).split(path.sep).join('/');
    const size = fs.statSync(p).size;
    const sub = subRoots.find((r) => rel.startsWith(r));
    sizes[sub ?? 'main'] += size;
    files.push({ rel, size, pkg: sub ?? 'main' });
  }
};
walk(root);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = Object.values(sizes).reduce((a, b) => a + b, 0);
let bad = false;
console.log(`weapp package sizes (${root}; excluding *.map, *.LICENSE.txt)`);
console.log(`  main package   ${kb(sizes.main).padStart(10)}  limit ${kb(LIMITS.main)}, target ${kb(LIMITS.mainTarget)}  ${sizes.main <= LIMITS.mainTarget ? 'OK' : sizes.main <= LIMITS.main ? 'OVER TARGET' : 'OVER LIMIT'}`);
if (sizes.main > LIMITS.main) bad = true;
for (const r of subRoots) {
  const ok = sizes[r] <= LIMITS.sub;
  if (!ok) bad = true;
  console.log(`  ${('sub ' + r).padEnd(14)} ${kb(sizes[r]).padStart(10)}  limit ${kb(LIMITS.sub)}  ${ok ? 'OK' : 'OVER LIMIT'}`);
}
if (total > LIMITS.total) bad = true;
console.log(`  total          ${kb(total).padStart(10)}  limit ${kb(LIMITS.total)}  ${total <= LIMITS.total ? 'OK' : 'OVER LIMIT'}`);
console.log('  largest files:');
for (const f of files.sort((a, b) => b.size - a.size).slice(0, 8)) console.log(`    ${kb(f.size).padStart(10)}  ${f.rel}`);
process.exit(bad ? 1 : 0);

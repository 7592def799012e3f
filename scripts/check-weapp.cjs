#!/usr/bin/env node
// Compiles every WXML/WXS (wcc) and WXSS (wcsc) of a weapp build with WeChat's own compilers
// (miniprogram-compiler ships the linux/mac/windows binaries). Exit 0 only when both succeed.
// Usage: node scripts/check-weapp.cjs [client/dist/weapp]
// Adapted from research/weapp-checks.md §2 (the package's JS wrapper swallows wcsc errors, so we call the binaries).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(process.argv[2] || 'client/dist/weapp');
if (!fs.existsSync(path.join(root, 'app.json'))) {
  console.error(`check-weapp: ${root}/app.json not found — run \`cd client && npx taro build --type weapp\` first`);
  process.exit(2);
}
const plat = { darwin: 'mac', linux: 'linux', win32: 'windows' }[process.platform];
if (!plat) { console.error(`check-weapp: no WeChat compiler binaries for ${process.platform}`); process.exit(2); }
const binDir = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', plat);
const bin = (n) => path.join(binDir, n + (plat === 'windows' ? '.exe' : ''));
for (const n of ['wcc', 'wcsc']) { try { fs.chmodSync(bin(n), 0o755); } catch { /* read-only install: try anyway */ } }

const walk = (d, ext, out = []) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p, ext, out); }
    else if (e.name.endsWith(ext)) out.push(path.relative(root, p).split(path.sep).join('/'));
  }
  return out.sort();
};
const readJson = (f) => { try { return JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')); } catch { return null; } };

let failed = false;
const run = (name, args) => {
  const t0 = Date.now();
  const r = spawnSync(bin(name), args, { cwd: root, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    failed = true;
    console.error(`${name} FAILED (exit ${r.status}):\n${String(r.stderr || r.stdout).slice(0, 4000)}`);
  } else {
    console.log(`${name} OK (${Date.now() - t0} ms)`);
  }
};

const wxml = walk(root, '.wxml');
const wxs = walk(root, '.wxs');
const table = [];
let comps = 0;
for (const f of wxml) {
  const u = (readJson(f.replace(/\.wxml$/, '.json')) || {}).usingComponents;
  if (u) { comps++; table.push(f, Object.keys(u).length, ...Object.keys(u)); }
}
console.log(`check-weapp: ${wxml.length} wxml, ${wxs.length} wxs in ${root}`);
run('wcc', ['-d', '-cc', [comps, ...table].join(' '), ...wxml, ...wxs, '-gn', '$gwx']);

const wxss = walk(root, '.wxss');
const pages = wxss.filter((f) => readJson(f.replace(/\.wxss$/, '.json')));
console.log(`check-weapp: ${wxss.length} wxss (${pages.length} page/component)`);
run('wcsc', ['-db', '-pc', String(pages.length), ...pages, ...wxss.filter((f) => !pages.includes(f))]);

process.exit(failed ? 1 : 0);

/**
 * Browser-test harness: the local cloud (in memory, seeded with the demo shop) serving the H5 build,
 * and Debian's Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startLocalCloud } from '../../localcloud';
import { seedLocal } from '../../scripts/seed/seed-local';

export const root = path.resolve(__dirname, '..', '..');
export const shotsDir = path.join(root, '.tmp', 'screenshots');

export type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;

export async function startMall(): Promise<LocalCloud> {
  const staticDir = path.join(root, 'client', 'dist', 'h5');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error('client/dist/h5 is missing: run `npm run build:h5` (npm test builds it first)');
  }
  const lc = await startLocalCloud({ dataDir: null, port: 0, staticDir, timers: false, devClock: true });
  await seedLocal(lc, lc.clock.now());
  return lc;
}

function chromiumPath(): string {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(p)) return p;
  return execSync('command -v chromium', { shell: '/bin/bash' }).toString().trim();
}

/** A fresh browser profile = a brand-new visitor (new openid cookie). Phone-sized viewport. */
export async function newVisitor(): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mall-e2e-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.waitForTimeout(600); // let the page-slide and toast animations settle so the picture shows the page
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

/** Collects page errors so a test can assert the page never crashed. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Polls `read` until `ok` accepts its value (jest has no expect.poll). Returns the last value read. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    v = await read();
  }
  return v;
}

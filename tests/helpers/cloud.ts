/** Starts a memory-only local cloud with the built functions (and the fixture functions) for a test file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { ensureFunctionsBuilt, FIXTURE_FUNCTIONS, REPO } from './build';

export type { LocalCloud };

/**
 * The local cloud takes one functions directory, so tests get a temp dir with symlinks to every production
 * function plus the fixture functions (e.g. naiveOrder).
 */
function functionsDirWithFixtures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-fns-'));
  for (const root of [path.join(REPO, 'cloudfunctions'), FIXTURE_FUNCTIONS]) {
    for (const name of fs.readdirSync(root)) {
      if (fs.existsSync(path.join(root, name, 'index.js'))) fs.symlinkSync(path.join(root, name), path.join(dir, name), 'dir');
    }
  }
  return dir;
}

export async function startTestCloud(opts: { fixtures?: boolean } = {}): Promise<LocalCloud> {
  ensureFunctionsBuilt();
  const functionsDir = opts.fixtures ? functionsDirWithFixtures() : undefined;
  const lc = await startLocalCloud({ dataDir: null, port: 0, timers: false, functionsDir, payRetryDelaysMs: [20, 40, 80, 160] });
  if (functionsDir) {
    const stop = lc.stop.bind(lc);
    lc.stop = async () => {
      await stop();
      fs.rmSync(functionsDir, { recursive: true, force: true });
    };
  }
  return lc;
}

/** Calls a function as a shopper/merchant client and returns the envelope. */
export function call<T = any>(lc: LocalCloud, fn: string, action: string, fields: Record<string, unknown>, openid: string): Promise<T> {
  return lc.invoke<T>(fn, { action, ...fields }, { openid });
}

let seq = 0;
/** A fresh client request id (8–64 chars). */
export function rid(prefix = 'req'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

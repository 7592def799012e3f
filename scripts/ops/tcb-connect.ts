/**
 * Shared connection handling for the tcb-admin-node ops scripts (seed, export).
 *
 *   --url http://127.0.0.1:8787        the local cloud (default); serviceUrl = url + '/admin', dummy keys
 *   --env <envId> --secret-id … --secret-key …   a real CloudBase environment; a bare `--env` reads
 *                                       TCB_ENV, missing keys come from TENCENTCLOUD_SECRETID / _SECRETKEY
 *
 * tcb-admin-node speaks the older database dialect (@cloudbase/database 0.9.15) and can only be
 * redirected with init({serviceUrl}) (research/cloudbase-wire.md §6). Its calls often *return*
 * `{code, message}` instead of throwing; `check()` turns those into exceptions.
 */

export interface Connection {
  mode: 'local' | 'cloud';
  /** Local cloud base URL (local mode only), without trailing slash. */
  url?: string;
  env: string;
  // tcb-admin-node has no typings: the app instance and its database.
  app: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  db: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type Args = Record<string, string | boolean>;

/** Minimal `--flag value` / `--switch` parser. */
export function parseArgs(argv: string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) {
      out[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[a.slice(2)] = argv[++i];
    } else {
      out[a.slice(2)] = true;
    }
  }
  return out;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function connect(args: Args, env: NodeJS.ProcessEnv = process.env): Connection {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tcb = require('tcb-admin-node');
  // `--env <id>` or a bare `--env` (then TCB_ENV). TCB_ENV alone never selects the real cloud: the local
  // cloud's own function runner sets it too.
  const cloudEnv = args.env === true ? str(env.TCB_ENV) : str(args.env);
  if (args.env === true && !cloudEnv) throw new Error('--env without a value needs TCB_ENV');
  if (cloudEnv) {
    const secretId = str(args['secret-id']) ?? env.TENCENTCLOUD_SECRETID;
    const secretKey = str(args['secret-key']) ?? env.TENCENTCLOUD_SECRETKEY;
    if (!secretId || !secretKey) {
      throw new Error('a real environment needs --secret-id and --secret-key (or TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY)');
    }
    const app = tcb.init({ env: cloudEnv, secretId, secretKey, isUpdateSelfConfig: false });
    return { mode: 'cloud', env: cloudEnv, app, db: app.database() };
  }
  const url = (str(args.url) ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const localEnv = str(args['local-env']) ?? 'local';
  const app = tcb.init({
    env: localEnv,
    secretId: 'local-dummy-id',
    secretKey: 'local-dummy-key',
    serviceUrl: `${url}/admin`,
    isUpdateSelfConfig: false,
  });
  return { mode: 'local', url, env: localEnv, app, db: app.database() };
}

/** tcb-admin-node reports many failures as a resolved `{code, message}`: make them throw. */
export function check<T>(what: string, res: T): T {
  const r = res as unknown as { code?: unknown; message?: unknown } | null | undefined;
  if (r && typeof r === 'object' && r.code) {
    throw new Error(`${what} failed: ${String(r.code)} ${String(r.message ?? '')}`);
  }
  return res;
}

/** Run `fn` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

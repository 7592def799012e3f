/**
 * SCF-like function runner. Each function `<functionsDir>/<name>/` has `index.js` (exports `main`) and
 * `config.json` (`timeout` seconds, `triggers`, `permissions.openapi`). An instance is a worker thread
 * (own process.env) that loads index.js once and serves one invocation at a time; each function has a
 * bounded pool of warm instances, extra concurrent calls wait in a FIFO queue. A timed-out invocation
 * terminates its instance (like SCF) and fails with FUNCTIONS_EXECUTE_FAIL.
 */
import { Worker } from 'worker_threads';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export interface FunctionConfig {
  timeout?: number;
  triggers?: { name: string; type: string; config: string }[];
  permissions?: { openapi?: string[] };
}

/** Who is calling, i.e. what the function's getWXContext() will see. */
export interface Identity {
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  /** TCB_SOURCE: 'wx_client' client calls, 'wx_paycallback' payment callbacks, 'wx_trigger' timers, '…,scf' nested */
  source?: string;
  /** timer invocations: TRIGGER_SRC=timer */
  timer?: boolean;
}

export interface InvocationRecord {
  token: string;
  functionName: string;
  identity: Identity;
}

export type InvokeOutcome = { ok: true; result: unknown; json: string | undefined } | { ok: false; error: { code: string; message: string } };

interface Instance {
  id: number;
  worker: Worker;
  ready: Promise<void>;
  mtimeMs: number;
  busy: boolean;
  dead: boolean;
  lastUsed: number;
  pending: Map<number, (m: any) => void>;
}

interface Pool {
  name: string;
  instances: Instance[];
  idle: Instance[];
  waiters: ((inst: Instance) => void)[];
}

export interface RunnerOptions {
  functionsDir: string;
  /** print what functions log (console.*) on this process's stdout/stderr; false discards it */
  functionLogs?: boolean;
  /** env vars for the SDK (TCB_CONTEXT_CNFG etc.), fixed for the instance's life */
  baseEnv: () => Record<string, string>;
  clockOffset: () => number;
  envId: string;
  /** overrides every function's config.json timeout */
  timeoutMs?: number;
  maxInstances?: number;
  /** idle instances beyond the first of each function are reclaimed after this long (real ms); default 120000 */
  idleInstanceMs?: number;
  log?: (msg: string) => void;
}

const WORKER_FILE = path.join(__dirname, 'worker.js');
export const DEFAULT_APPID = 'wx_local_appid';

export class FunctionRunner {
  private pools = new Map<string, Pool>();
  private nextInstanceId = 1;
  private nextCallId = 1;
  private stopped = false;
  /** invocation token (sent by the SDK as wxCloudApiToken) → who is running */
  readonly invocations = new Map<string, InvocationRecord>();

  private sweeper: NodeJS.Timeout;

  constructor(private opts: RunnerOptions) {
    // like SCF, reclaim instances that stayed idle (keep one warm instance per function)
    this.sweeper = setInterval(() => this.reclaimIdle(), Math.min(10000, Math.max(50, (opts.idleInstanceMs ?? 120000) / 2)));
    this.sweeper.unref();
  }

  private reclaimIdle() {
    const limit = this.opts.idleInstanceMs ?? 120000;
    const now = Date.now();
    for (const p of this.pools.values()) {
      const idle = [...p.idle].sort((a, b) => b.lastUsed - a.lastUsed);
      for (const inst of idle.slice(1)) {
        if (now - inst.lastUsed > limit) {
          p.idle = p.idle.filter((i) => i !== inst);
          void inst.worker.terminate();
        }
      }
    }
  }

  dir(name: string): string {
    return path.join(this.opts.functionsDir, name);
  }

  exists(name: string): boolean {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) return false;
    return fs.existsSync(path.join(this.dir(name), 'index.js'));
  }

  list(): string[] {
    if (!fs.existsSync(this.opts.functionsDir)) return [];
    return fs
      .readdirSync(this.opts.functionsDir)
      .filter((n) => this.exists(n))
      .sort();
  }

  config(name: string): FunctionConfig {
    const file = path.join(this.dir(name), 'config.json');
    if (!fs.existsSync(file)) return {};
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
    } catch (e) {
      this.opts.log?.(`bad config.json for ${name}: ${(e as Error).message}`);
      return {};
    }
  }

  private entryMtime(name: string): number {
    try {
      return fs.statSync(path.join(this.dir(name), 'index.js')).mtimeMs;
    } catch {
      return 0;
    }
  }

  private pool(name: string): Pool {
    let p = this.pools.get(name);
    if (!p) {
      p = { name, instances: [], idle: [], waiters: [] };
      this.pools.set(name, p);
    }
    return p;
  }

  private spawn(p: Pool): Instance {
    const entry = path.join(this.dir(p.name), 'index.js');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, this.opts.baseEnv(), { SCF_FUNCTIONNAME: p.name, SCF_FUNCTIONVERSION: '$LATEST' });
    const worker = new Worker(WORKER_FILE, {
      env,
      workerData: { name: p.name, entry, clockOffset: this.opts.clockOffset() },
      stdout: this.opts.functionLogs === false,
      stderr: this.opts.functionLogs === false,
    });
    if (this.opts.functionLogs === false) {
      worker.stdout.resume(); // discard
      worker.stderr.resume();
    }
    const inst: Instance = {
      id: this.nextInstanceId++,
      worker,
      ready: Promise.resolve(),
      mtimeMs: this.entryMtime(p.name),
      busy: false,
      dead: false,
      lastUsed: Date.now(),
      pending: new Map(),
    };
    inst.ready = new Promise<void>((resolve) => {
      const onMsg = (m: any) => {
        if (m && m.type === 'ready') {
          worker.off('message', onMsg);
          resolve();
        }
      };
      worker.on('message', onMsg);
      worker.once('exit', () => resolve());
    });
    worker.on('message', (m: any) => {
      if (m && m.type === 'result') {
        const cb = inst.pending.get(m.id);
        if (cb) {
          inst.pending.delete(m.id);
          cb(m);
        }
      }
    });
    worker.on('error', (e) => {
      this.opts.log?.(`instance ${p.name}#${inst.id} crashed: ${e.message}`);
    });
    worker.on('exit', () => {
      inst.dead = true;
      for (const cb of inst.pending.values()) cb({ ok: false, error: { message: 'function instance exited' } });
      inst.pending.clear();
      this.removeInstance(p, inst);
    });
    p.instances.push(inst);
    return inst;
  }

  private removeInstance(p: Pool, inst: Instance) {
    p.instances = p.instances.filter((i) => i !== inst);
    p.idle = p.idle.filter((i) => i !== inst);
    // a slot freed up: let a waiter spawn a fresh instance
    if (p.waiters.length && !this.stopped) {
      const w = p.waiters.shift()!;
      const fresh = this.spawn(p);
      fresh.busy = true;
      w(fresh);
    }
  }

  private async acquire(p: Pool): Promise<Instance> {
    const mtime = this.entryMtime(p.name);
    // dev convenience: a rebuilt index.js retires the idle (stale) instances
    for (const inst of [...p.idle]) {
      if (inst.mtimeMs !== mtime) {
        p.idle = p.idle.filter((i) => i !== inst);
        void inst.worker.terminate();
      }
    }
    const idle = p.idle.pop();
    if (idle) {
      idle.busy = true;
      return idle;
    }
    const max = this.opts.maxInstances ?? 8;
    if (p.instances.length < max) {
      const inst = this.spawn(p);
      inst.busy = true;
      return inst;
    }
    return new Promise<Instance>((resolve) => p.waiters.push(resolve));
  }

  private release(p: Pool, inst: Instance) {
    inst.busy = false;
    inst.lastUsed = Date.now();
    if (inst.dead) return;
    const w = p.waiters.shift();
    if (w) {
      inst.busy = true;
      w(inst);
    } else {
      p.idle.push(inst);
    }
  }

  /**
   * Invoke `name` with `event` as the given identity. Event and result are JSON round-tripped.
   * Never throws for function failures: returns {ok:false, error:{code,message}}.
   */
  async invoke(name: string, event: unknown, identity: Identity): Promise<InvokeOutcome> {
    if (this.stopped) return { ok: false, error: { code: 'FUNCTIONS_REQUEST_FAIL', message: 'local cloud stopped' } };
    if (!this.exists(name)) {
      return { ok: false, error: { code: 'FUNCTION_NOT_FOUND', message: `FunctionName parameter could not be found: ${name}` } };
    }
    const cfg = this.config(name);
    const timeoutMs = this.opts.timeoutMs ?? Math.round((cfg.timeout ?? 3) * 1000);
    const eventJson = JSON.stringify(event === undefined ? {} : event);
    const p = this.pool(name);
    const inst = await this.acquire(p);
    await inst.ready;
    if (inst.dead) {
      this.release(p, inst);
      return { ok: false, error: { code: 'FUNCTIONS_EXECUTE_FAIL', message: `function ${name}: instance failed to start` } };
    }
    const callId = this.nextCallId++;
    const token = `lc.${name}.${inst.id}.${callId}.${randomBytes(6).toString('hex')}`;
    const requestId = randomBytes(16).toString('hex');
    this.invocations.set(token, { token, functionName: name, identity });
    const env: Record<string, string | undefined> = {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6,WX_API_TOKEN',
      WX_OPENID: identity.openid || undefined,
      WX_APPID: identity.appid || (identity.openid ? DEFAULT_APPID : undefined),
      WX_UNIONID: identity.unionid || undefined,
      WX_CLIENTIP: identity.openid ? identity.clientIp || '127.0.0.1' : undefined,
      TCB_SOURCE: identity.source || undefined,
      WX_API_TOKEN: token,
      WX_TRIGGER_API_TOKEN_V0: token,
      TRIGGER_SRC: identity.timer ? 'timer' : undefined,
      SCF_REQUESTID: requestId,
    };
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: requestId,
      function_name: name,
      function_version: '$LATEST',
      namespace: this.opts.envId,
      tencentcloud_region: 'ap-shanghai',
    };
    try {
      const reply = await new Promise<any>((resolve) => {
        const timer = setTimeout(() => {
          inst.pending.delete(callId);
          inst.dead = true;
          void inst.worker.terminate();
          resolve({ ok: false, timeout: true });
        }, timeoutMs);
        inst.pending.set(callId, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        inst.worker.postMessage({ type: 'invoke', id: callId, event: eventJson, env, context, clockOffset: this.opts.clockOffset() });
      });
      if (reply.timeout) {
        return {
          ok: false,
          error: { code: 'FUNCTIONS_EXECUTE_FAIL', message: `Invoking task timed out after ${timeoutMs / 1000} seconds (function ${name}, RequestId ${requestId})` },
        };
      }
      if (!reply.ok) {
        const err = reply.error || {};
        return {
          ok: false,
          error: { code: 'FUNCTIONS_EXECUTE_FAIL', message: `errCode: -1 | errMsg: ${err.message || 'function error'}${err.stack ? `\n${err.stack}` : ''}` },
        };
      }
      const json: string | undefined = reply.json;
      return { ok: true, json, result: json === undefined ? undefined : JSON.parse(json) };
    } finally {
      this.invocations.delete(token);
      this.release(p, inst);
    }
  }

  /** Number of live instances per function (for tests and diagnostics). */
  instanceCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [n, p] of this.pools) out[n] = p.instances.length;
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    const all: Promise<unknown>[] = [];
    for (const p of this.pools.values()) {
      p.waiters = [];
      for (const inst of p.instances) all.push(inst.worker.terminate());
    }
    await Promise.all(all);
    this.pools.clear();
  }
}

/**
 * The local CloudBase: one HTTP server (127.0.0.1) speaking the wire protocol of wx-server-sdk 4.0.2, plus a
 * function runner (SCF-like worker instances), cloudPay sandbox, openapi stand-ins, storage, an emulated
 * clock with timer triggers, and the H5 dev-server routes. See docs/contracts.md "Local cloud".
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { randomBytes } from 'crypto';
import { Database } from './db';
import { Clock } from './clock';
import { parseCron, dueIn, type Cron } from './cron';
import { FunctionRunner, DEFAULT_APPID, type Identity, type InvokeOutcome } from './functions';
import { OpenApi, decodeApiOptions, type OutboxMessage } from './openapi';
import { PaySandbox, type PayResult, type PendingCallback, type Trade } from './pay';
import { Storage } from './storage';
import { TransferSandbox, type TransferBill } from './transfer';
import { createServer } from './server';

export type { OutboxMessage, PayResult, PendingCallback, Trade, Identity, InvokeOutcome, TransferBill };

const REPO_ROOT = path.resolve(__dirname, '..');

export interface LocalCloudOptions {
  /** directory for durable state (database, storage, trades); null/undefined = memory only */
  dataDir?: string | null;
  /** 0 = random free port */
  port?: number;
  /** default <repo>/cloudfunctions */
  functionsDir?: string;
  /** an H5 build dir served at / (unknown non-API paths fall back to index.html) */
  staticDir?: string;
  /** default 'local-env' */
  envId?: string;
  /** run the real-time timer scheduler (config.json timer triggers) */
  timers?: boolean;
  /** default <repo>/database/collections.json; the listed collections are created at start */
  collectionsFile?: string;
  /** overrides every function's config.json timeout */
  functionTimeoutMs?: number;
  /** enables POST /__dev/clock/advance */
  devClock?: boolean;
  /** WX_APPID given to client calls; default 'wx_local_appid' */
  appId?: string;
  /** warm instances per function; default 8 */
  maxInstances?: number;
  /** idle instances beyond one per function are reclaimed after this many real ms; default 120000 */
  idleInstanceMs?: number;
  /** delays between the payment-callback attempts awaited by pay(); default [100,200,400,800] (5 attempts) */
  payRetryDelaysMs?: number[];
  /** diagnostics sink; default: silent unless LOCALCLOUD_LOG=1 */
  log?: (msg: string) => void;
  /** print the functions' console output (default: yes, except under jest unless LOCALCLOUD_LOG=1) */
  functionLogs?: boolean;
}

export interface InvokeOptions {
  openid?: string;
  /** TCB_SOURCE; default 'wx_client' */
  source?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
}

export interface LocalCloud {
  url: string;
  port: number;
  envId: string;
  /** Call a function like wx.cloud.callFunction from a client with this openid; resolves to the function's
   * return value (JSON round-tripped). Rejects with an Error (errCode -504002) when it throws or times out. */
  invoke<T = any>(name: string, event?: unknown, opts?: InvokeOptions): Promise<T>;
  /** Same, but never rejects: {ok:true,result} | {ok:false,error:{code,message}} */
  invokeRaw(name: string, event?: unknown, opts?: InvokeOptions): Promise<InvokeOutcome>;
  /** Fire the function's timer trigger now (as the scheduler would); resolves to its result, rejects on failure. */
  fireTimer(name: string): Promise<unknown>;
  /** Sandbox payment: mark the trade paid (must be NOTPAY) and deliver the callback (retried until errcode 0). */
  pay(outTradeNo: string): Promise<PayResult>;
  /** Deliver the payment callback of an already paid trade again (duplicate notification). */
  redeliverPayment(outTradeNo: string): Promise<PayResult>;
  pendingCallbacks(): PendingCallback[];
  /** Retry every pending payment callback once, now. */
  flushCallbacks(): Promise<void>;
  trade(outTradeNo: string): Trade | undefined;
  outbox: OutboxMessage[];
  openapiCalls: OpenApi['calls'];
  db: Database;
  clock: Clock;
  counters: { snapshot(): Record<string, number>; reset(): void };
  storage: { put(path: string, data: Buffer, contentType?: string): string; get(path: string): { data: Buffer; contentType: string } | null; url(path: string): string };
  /** 商家转账 stand-in (localcloud/transfer.ts): bills by out_bill_no; failNext() makes the next new bill FAIL;
   * dropNextReply() creates the next bill but answers 500 (lost reply). */
  transfers: { list(): TransferBill[]; get(outBillNo: string): TransferBill | undefined; failNext(n?: number): void; dropNextReply(n?: number): void; requests: TransferSandbox['requests'] };
  functions(): string[];
  /** live worker instances per function */
  instanceCounts(): Record<string, number>;
  /** env vars that point the real wx-server-sdk / node-sdk at this local cloud */
  sdkEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/** Env vars for the real wx-server-sdk (research cloudbase-wire.md §2.2). */
export function sdkEnv(url: string, envId = 'local-env'): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url.replace(/\/$/, '')}/admin` }),
    TENCENTCLOUD_SECRETID: 'localcloud',
    TENCENTCLOUD_SECRETKEY: 'localcloud',
    TENCENTCLOUD_RUNENV: 'SCF',
    SCF_NAMESPACE: envId,
    TCB_ENV: envId,
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SILENCE: 'true',
  };
}

/** What server.ts needs. */
export interface LocalCloudInternals {
  envId: string;
  options: LocalCloudOptions;
  runner: FunctionRunner;
  storage: Storage;
  pay: PaySandbox;
  transfers: TransferSandbox;
  clock: Clock;
  log(msg: string): void;
  handleAdmin(params: Record<string, any>): Promise<{ kind: 'json'; body: unknown } | { kind: 'raw'; contentType: string; body: Buffer }>;
  clientIdentity(openid: string, clientIp: string, source: string): Identity;
  withUserInfo(event: unknown, openid: string): unknown;
  people(): Promise<{ openid: string; label: string; nickname?: string; roles: string[] }[]>;
}

function readCollections(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { collections?: ({ name: string } | string)[] };
  return (j.collections || []).map((c) => (typeof c === 'string' ? c : c.name));
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const envId = options.envId || 'local-env';
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : null;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const functionsDir = path.resolve(options.functionsDir || path.join(REPO_ROOT, 'cloudfunctions'));
  const appId = options.appId || DEFAULT_APPID;
  const log = options.log || (process.env.LOCALCLOUD_LOG === '1' ? (m: string) => console.error(`[localcloud] ${m}`) : () => {});

  const clock = new Clock();
  const db = new Database({
    file: dataDir ? path.join(dataDir, 'db.sqlite') : null,
    now: () => clock.now(),
    collections: readCollections(options.collectionsFile || path.join(REPO_ROOT, 'database', 'collections.json')),
  });

  let url = '';
  const counts = new Map<string, number>();
  const counters = {
    snapshot(): Record<string, number> {
      return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    reset() {
      counts.clear();
    },
  };

  const runner = new FunctionRunner({
    functionsDir,
    // TRANSFER_API_BASE points server/transfer.ts (商家转账 client) at the stand-in served by this server
    baseEnv: () => ({ ...sdkEnv(url, envId), TRANSFER_API_BASE: url }),
    clockOffset: () => clock.offset(),
    envId,
    timeoutMs: options.functionTimeoutMs,
    maxInstances: options.maxInstances,
    idleInstanceMs: options.idleInstanceMs,
    // functions' own logs: shown by the dev server, hidden under jest unless LOCALCLOUD_LOG=1
    functionLogs: options.functionLogs ?? (process.env.JEST_WORKER_ID === undefined || process.env.LOCALCLOUD_LOG === '1'),
    log,
  });
  const storage = new Storage({ dir: dataDir ? path.join(dataDir, 'storage') : null, envId, baseUrl: () => url });
  const openapi = new OpenApi(() => clock.now());
  const transfers = new TransferSandbox(() => clock.now());
  const pay = new PaySandbox({
    now: () => clock.now(),
    file: dataDir ? path.join(dataDir, 'cloudpay.json') : null,
    retryDelaysMs: options.payRetryDelaysMs,
    log,
    // payment callbacks: no client identity, SOURCE 'wx_paycallback' (documented getWXContext SOURCE value)
    invoke: async (fn, event) => {
      const out = await runner.invoke(fn, event, { source: 'wx_paycallback' });
      return out.ok ? { ok: true, result: out.result } : { ok: false, error: out.error.message };
    },
  });

  const clientIdentity = (openid: string, clientIp: string, source: string, extra: InvokeOptions = {}): Identity => ({
    openid,
    appid: extra.appid || appId,
    unionid: extra.unionid,
    clientIp,
    source,
  });
  const withUserInfo = (event: unknown, openid: string): unknown => {
    if (event && typeof event === 'object' && !Array.isArray(event)) return { ...(event as object), userInfo: { appId, openId: openid } };
    return event;
  };

  // ---- timers ----
  interface TimerDef {
    functionName: string;
    triggerName: string;
    cron: Cron;
  }
  const timerCache = new Map<string, { mtime: number; def: TimerDef | null }>();
  const timerDefs = (): TimerDef[] => {
    const defs: TimerDef[] = [];
    for (const name of runner.list()) {
      const file = path.join(functionsDir, name, 'config.json');
      let mtime = 0;
      try {
        mtime = fs.statSync(file).mtimeMs;
      } catch {
        continue;
      }
      let cached = timerCache.get(name);
      if (!cached || cached.mtime !== mtime) {
        let def: TimerDef | null = null;
        const trig = (runner.config(name).triggers || []).find((t) => t.type === 'timer');
        if (trig) {
          try {
            def = { functionName: name, triggerName: trig.name, cron: parseCron(trig.config) };
          } catch (e) {
            log(`function ${name}: bad timer cron: ${(e as Error).message}`);
          }
        }
        cached = { mtime, def };
        timerCache.set(name, cached);
      }
      if (cached.def) defs.push(cached.def);
    }
    return defs;
  };
  const runTimer = async (def: { functionName: string; triggerName: string }, atMs: number): Promise<InvokeOutcome> => {
    const event = { Type: 'Timer', TriggerName: def.triggerName, Time: isoSeconds(atMs), Message: '' };
    const out = await runner.invoke(def.functionName, event, { source: 'wx_trigger', timer: true });
    if (!out.ok) log(`timer ${def.functionName}/${def.triggerName} failed: ${out.error.message}`);
    return out;
  };
  let lastTimerCheck = clock.now();
  const fireDue = async (from: number, to: number) => {
    const due: { def: TimerDef; at: number }[] = [];
    for (const def of timerDefs()) {
      let at = dueIn(def.cron, from, to);
      if (at === null) continue;
      // at most one run per trigger per interval; its Time is the latest due fire time
      for (let i = 0; i < 1000; i++) {
        const next = dueIn(def.cron, at, to);
        if (next === null) break;
        at = next;
      }
      due.push({ def, at });
    }
    await Promise.all(due.map((d) => runTimer(d.def, d.at)));
  };
  clock.onJump = async (from, to) => {
    lastTimerCheck = Math.max(lastTimerCheck, to);
    await fireDue(from, to);
  };
  let ticker: NodeJS.Timeout | null = null;
  if (options.timers) {
    ticker = setInterval(() => {
      const now = clock.now();
      if (now < lastTimerCheck - 2000) lastTimerCheck = now; // clock.set() moved time backwards
      const from = lastTimerCheck;
      if (now <= from) return;
      lastTimerCheck = now;
      // overlapping runs of the same trigger are allowed, as in the cloud: do not await
      void fireDue(from, now).catch((e) => log(`timer scheduler: ${(e as Error).message}`));
    }, 1000);
  }

  // ---- /admin dispatch ----
  const requestId = () => randomBytes(12).toString('hex');
  const handleAdmin: LocalCloudInternals['handleAdmin'] = async (params) => {
    const action = typeof params.action === 'string' ? params.action : '';
    counts.set(action || '(none)', (counts.get(action || '(none)') || 0) + 1);
    const caller = typeof params.wxCloudApiToken === 'string' ? runner.invocations.get(params.wxCloudApiToken) || null : null;
    const jsonReply = (body: unknown) => {
      if (body && typeof body === 'object' && !Array.isArray(body) && !('requestId' in body)) (body as any).requestId = requestId();
      return { kind: 'json' as const, body };
    };
    try {
      if (db.isDatabaseAction(action)) return jsonReply(await db.handle(action, params));
      switch (action) {
        case 'functions.invokeFunction': {
          const name = String(params.function_name || '');
          let event: unknown = {};
          if (typeof params.request_data === 'string' && params.request_data !== '') {
            try {
              event = JSON.parse(params.request_data);
            } catch {
              return jsonReply({ code: 'INVALID_PARAM', message: 'request_data is not JSON' });
            }
          } else if (params.request_data && typeof params.request_data === 'object') event = params.request_data;
          if (!runner.exists(name)) return jsonReply({ code: 'ResourceNotFound.FunctionName', message: `[ResourceNotFound.FunctionName] 函数 ${name} 不存在` });
          // nested call: the callee sees the caller's OPENID/APPID and SOURCE '<caller source>,scf' (the chain,
          // as documented for getWXContext); external (admin) calls have no identity
          const identity: Identity = caller
            ? { ...caller.identity, timer: false, source: caller.identity.source ? `${caller.identity.source},scf` : 'scf' }
            : {};
          const out = await runner.invoke(name, event, identity);
          if (!out.ok) return jsonReply({ code: out.error.code, message: out.error.message });
          return jsonReply({ data: { response_data: out.json === undefined ? 'null' : out.json } });
        }
        case 'wx.openApi': {
          const api = String(params.apiName || '');
          const data = Buffer.isBuffer(params.requestData) ? params.requestData : Buffer.from(String(params.requestData || ''), 'utf8');
          const allowed = caller ? runner.config(caller.functionName).permissions?.openapi || [] : null;
          const frame = await openapi.handle(api, data, caller ? caller.functionName : null, allowed);
          return { kind: 'raw', contentType: 'application/octet-stream', body: frame };
        }
        case 'wx.wxPayApi': {
          const api = String(params.apiName || '');
          const raw = Buffer.isBuffer(params.requestData) ? params.requestData.toString('utf8') : String(params.requestData || '');
          let req: Record<string, unknown>;
          try {
            req = raw ? JSON.parse(raw) : {};
          } catch {
            return { kind: 'raw', contentType: 'application/octet-stream', body: Buffer.from(JSON.stringify({ return_code: 'FAIL', return_msg: 'requestData is not JSON' })) };
          }
          const apiOptions = Buffer.isBuffer(params.apiOptions) ? decodeApiOptions(params.apiOptions) : {};
          const payer = caller ? { openid: caller.identity.openid, appid: apiOptions.appid || caller.identity.appid } : null;
          const reply = pay.handle(api, req, payer);
          // not 'application/json; charset=utf-8': the SDK would treat that as a TCB error
          return { kind: 'raw', contentType: 'application/octet-stream', body: Buffer.from(JSON.stringify(reply)) };
        }
        case 'storage.getUploadMetadata':
          return jsonReply(storage.getUploadMetadata(params));
        case 'storage.batchGetDownloadUrl':
          return jsonReply(storage.batchGetDownloadUrl(params));
        case 'storage.batchDeleteFile':
          return jsonReply(storage.batchDeleteFile(params));
        default:
          return jsonReply({ code: 'INVALID_PARAM', message: `localcloud: action "${action}" is not emulated` });
      }
    } catch (e) {
      const err = e as { code?: unknown; message?: string };
      log(`action ${action} failed: ${(e as Error).stack || e}`);
      return jsonReply({ code: typeof err.code === 'string' ? err.code : 'SYS_ERR', message: err.message || String(e) });
    }
  };

  const people = async () => {
    const users = (await db.find('users')) as { _id: string; devLabel?: string; nickname?: string; roles?: string[] }[];
    return users
      .filter((u) => typeof u.devLabel === 'string' && u.devLabel)
      .map((u) => ({ openid: u._id, label: u.devLabel!, nickname: u.nickname, roles: Array.isArray(u.roles) ? u.roles : [] }));
  };

  const internals: LocalCloudInternals = {
    envId,
    options,
    runner,
    storage,
    pay,
    transfers,
    clock,
    log,
    handleAdmin,
    clientIdentity: (openid, ip, source) => clientIdentity(openid, ip, source),
    withUserInfo,
    people,
  };
  const server = createServer(internals);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  const invokeRaw = async (name: string, event: unknown = {}, o: InvokeOptions = {}): Promise<InvokeOutcome> => {
    const source = o.source ?? 'wx_client';
    if (!o.openid) return runner.invoke(name, event, { source, appid: o.appid, unionid: o.unionid });
    return runner.invoke(name, withUserInfo(event, o.openid), clientIdentity(o.openid, o.clientIp || '127.0.0.1', source, o));
  };
  const fail = (name: string, out: Extract<InvokeOutcome, { ok: false }>) =>
    Object.assign(new Error(`callFunction ${name} failed: ${out.error.message}`), { errCode: -504002, code: out.error.code });

  let stopped = false;
  const lc: LocalCloud = {
    url,
    port,
    envId,
    async invoke(name, event = {}, o = {}) {
      const out = await invokeRaw(name, event, o);
      if (!out.ok) throw fail(name, out);
      return out.result as any;
    },
    invokeRaw,
    async fireTimer(name) {
      const trig = (runner.config(name).triggers || []).find((t) => t.type === 'timer');
      const out = await runTimer({ functionName: name, triggerName: trig ? trig.name : name }, clock.now());
      if (!out.ok) throw fail(name, out);
      return out.result;
    },
    pay: (outTradeNo) => pay.pay(outTradeNo),
    redeliverPayment: (outTradeNo) => {
      const t = pay.trade(outTradeNo);
      if (!t) return Promise.reject(new Error(`cloudPay sandbox: trade ${outTradeNo} does not exist`));
      return pay.deliver(t);
    },
    pendingCallbacks: () => pay.pendingCallbacks(),
    flushCallbacks: () => pay.flushCallbacks(),
    trade: (n) => pay.trade(n),
    outbox: openapi.outbox,
    openapiCalls: openapi.calls,
    db,
    clock,
    counters,
    storage: {
      put: (p, data, type) => storage.put(p, data, type),
      get: (p) => storage.get(p),
      url: (p) => storage.url(p),
    },
    transfers: {
      list: () => transfers.list(),
      get: (n) => transfers.get(n),
      failNext: (n) => transfers.failNext(n),
      dropNextReply: (n) => transfers.dropNextReply(n),
      requests: transfers.requests,
    },
    functions: () => runner.list(),
    instanceCounts: () => runner.instanceCounts(),
    sdkEnv: () => sdkEnv(url, envId),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (ticker) clearInterval(ticker);
      pay.stop();
      await runner.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
  return lc;
}

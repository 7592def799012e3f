/**
 * The one place that touches wx-server-sdk. Initialised once per warm instance with
 * DYNAMIC_CURRENT_ENV so the same bundle runs in every environment (and against the local cloud,
 * which is selected purely by environment variables).
 */
import { randomBytes } from 'crypto';
import * as cloud from 'wx-server-sdk';

let initialised = false;
// The SDK's typings cover only part of the database API; the db handle is deliberately loose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let database: any = null;

export function sdk(): typeof cloud {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    initialised = true;
  }
  return cloud;
}

/** The database handle (created once per instance; `throwOnNotFound:false` so doc().get() of a missing doc yields `data: null`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function db(): any {
  if (!database) database = sdk().database({ throwOnNotFound: false } as never);
  return database;
}

/** One document by `_id`, or null when it does not exist (or the id is empty). */
export async function getDoc<T>(coll: string, id: string | null | undefined): Promise<T | null> {
  if (!id) return null;
  const r = await db().collection(coll).doc(id).get();
  return (r.data as T | null) ?? null;
}

/** `db.command` (`_` in CloudBase examples). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function cmd(): any {
  return db().command;
}

/** cloudPay namespace (untyped in the SDK's d.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function cloudPay(): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (sdk() as any).cloudPay;
}

export interface Identity {
  /** The caller's openid: present only for invocations from a mini-program / web client. */
  openid: string | null;
  /** 'wx_client', 'wx_devtools', 'wx_http', timers have none. */
  source: string | null;
}

/** Identity of the current invocation. getWXContext reads process.env, so call it per invocation. */
export function getIdentity(): Identity {
  const ctx = cloud.getWXContext();
  const openid = ctx.OPENID === undefined || ctx.OPENID === null || ctx.OPENID === '' ? null : String(ctx.OPENID);
  const source = ctx.SOURCE ? String(ctx.SOURCE) : null;
  return { openid, source };
}

/** The environment id the function runs in (what DYNAMIC_CURRENT_ENV resolves to). */
export function currentEnvId(): string {
  return process.env.TCB_ENV || process.env.SCF_NAMESPACE || '';
}

/** Sub-merchant id for cloudPay (the real one comes from the deployment's environment). */
export function subMchId(): string {
  return process.env.MCH_ID || '1900000109';
}

/** Wall clock in ms. The only place functions read time; the local cloud controls it in tests. */
export function nowMs(): number {
  return Date.now();
}

/** A duplicate `_id` insert error (the local cloud and CloudBase both report it in the message/code). */
export function isDuplicateKeyError(e: unknown): boolean {
  const err = e as { code?: unknown; errCode?: unknown; message?: unknown; errMsg?: unknown };
  const text = `${String(err?.code ?? '')} ${String(err?.errCode ?? '')} ${String(err?.message ?? '')} ${String(err?.errMsg ?? '')}`;
  return /duplicate|E11000|DUPLICATE|already exists|_id.*exist/i.test(text);
}

export function randomHex(len: number): string {
  return randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
}

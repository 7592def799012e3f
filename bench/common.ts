/** Shared bench setup: a seeded in-memory local cloud running the built functions. */
import { startLocalCloud } from '../localcloud';
import { seedLocal } from '../scripts/seed/seed-local';

export type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;

export const SHOPPER = 'o_demo_shopper';
export const MERCHANT = 'o_demo_merchant';

export async function seededCloud(): Promise<LocalCloud> {
  const lc = await startLocalCloud({ dataDir: null, port: 0, timers: false });
  await seedLocal(lc, lc.clock.now());
  return lc;
}

type Envelope<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

export async function call<T = any>(lc: LocalCloud, fn: string, event: object, openid = SHOPPER): Promise<T> {
  const r = (await lc.invoke(fn, event, { openid })) as Envelope<T>;
  if (!r || !r.ok) throw new Error(`${fn}.${(event as any).action} failed: ${JSON.stringify(r)}`);
  return r.data;
}

/** Database requests (and other billed actions) made while `fn` runs. */
export async function countRequests(lc: LocalCloud, fn: () => Promise<unknown>): Promise<Record<string, number>> {
  lc.counters.reset();
  await fn();
  return lc.counters.snapshot();
}

export function dbTotal(c: Record<string, number>): number {
  return Object.entries(c).filter(([k]) => k.startsWith('database.')).reduce((s, [, v]) => s + v, 0);
}

let seq = 0;
export function requestId(): string {
  seq += 1;
  return `bench-${process.pid}-${Date.now()}-${seq}`;
}

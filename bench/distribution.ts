/**
 * Distribution benchmarks on the local cloud (prints figures, asserts nothing):
 *  1. database requests of the pay callback including the commission set, with 0, 10 and 100 commission rules in
 *     the settings (must not grow with the number of rules: the rules live in the one cached settings doc);
 *  2. database requests of settlement per 1,000 entries (sweep frozen → settleable, batch, mark, statements);
 *  3. the time to settle 100,000 entries, run by the settlement timer repeatedly — each invocation stops at its
 *     budget (≈ 70% of the function timeout) and the next one resumes — printing invocations, wall time and
 *     requests. `--entries N` changes the size (default 100000); `--budget-ms M` forces smaller invocations
 *     (e.g. 3000, as if the function had the 3 s default timeout).
 * Usage: npx tsx bench/distribution.ts [--entries 100000] [--budget-ms 3000] [--skip-big]
 */
import { startLocalCloud } from '../localcloud';
import { seedShop, addressDoc, MERCHANT, SKU } from '../tests/helpers/fixtures';
import { seedLedgerEntries, checkLedgerData, readLedger, formatReport } from '../tests/helpers/ledger-checker';
import { defaultDistributionSettings, type CommissionRule } from '../core/distribution/settings';
import { DAY_MS, HOUR_MS, periodBounds, previousPeriodKey, shanghaiDayStart } from '../core/time';
import { countRequests, dbTotal, requestId, type LocalCloud } from './common';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const BIG = Number(arg('--entries') ?? 100_000);
const BUDGET = arg('--budget-ms') ? Number(arg('--budget-ms')) : undefined;
const SKIP_BIG = args.includes('--skip-big');

// the functions' structured log lines (forwarded from the worker threads) would bury the figures
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const kept = text
    .split('\n')
    .filter((l) => !l.startsWith('{"level"'))
    .join('\n');
  if (kept.trim() === '') return true;
  return write(kept, ...rest);
}) as typeof process.stdout.write;

const DIST = 'o_bench_dist';
const INVITER = 'o_bench_inviter';
const BUYER = 'o_bench_buyer';

function breakdown(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${k.replace('database.', '')}×${v}`)
    .join(', ');
}

function rules(n: number): CommissionRule[] {
  // rules on other products/categories/SKUs (the last one matches the bought SKU), as a merchant with many rules has
  const out: CommissionRule[] = [];
  for (let i = 0; i < n - 1; i++) {
    const scope = (['sku', 'product', 'category'] as const)[i % 3];
    out.push({ id: `r${i}`, scope, targetId: `${scope}_other_${i}`, bp: 500 + (i % 20) * 50, ...(i % 7 === 0 ? { amountTiers: [{ minBaseFen: 10000, bp: 1500 }] } : {}) });
  }
  if (n > 0) out.push({ id: 'r_match', scope: 'sku', targetId: SKU.teeRed, bp: 1200 });
  return out;
}

async function payCallbackRequests(): Promise<void> {
  const lc = await startLocalCloud({ dataDir: null, port: 0, timers: false });
  try {
    await lc.clock.set(shanghaiDayStart(Date.now() - 10 * DAY_MS) + 10 * HOUR_MS);
    seedShop(lc);
    for (const u of [DIST, INVITER, BUYER]) {
      lc.db.insert('users', { _id: u, nickname: u, avatar: '', roles: [], createdAt: 0 });
      lc.db.insert('addresses', addressDoc(u));
    }
    lc.db.update('skus', SKU.teeRed, { $set: { stock: 100000 } });
    const base = defaultDistributionSettings();
    lc.db.insert('settings', { _id: 'distribution', ...base });
    const inv = await lc.invoke('distribution', { action: 'join' }, { openid: INVITER });
    await lc.invoke('distribution', { action: 'join', inviteCode: inv.data.code }, { openid: DIST });
    await lc.invoke('admin', { action: 'distributors.setLevel', openid: INVITER, levelId: 'gold', reason: '基准测试' }, { openid: MERCHANT });
    const code = lc.db.get('distributors', DIST).code;
    await lc.invoke('distribution', { action: 'bind', code, source: 'share_card' }, { openid: BUYER });
    const order = async () => {
      const r = await lc.invoke('order', { action: 'create', requestId: requestId(), lines: [{ skuId: SKU.teeRed, qty: 2 }, { skuId: SKU.mug, qty: 1 }], addressId: `addr_${BUYER}` }, { openid: BUYER });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.data.order._id as string;
    };
    console.log('\n1. Pay callback with the commission set (2 lines, tier 1 + tier 2 → 4 entries), database requests\n');
    console.log('rules'.padStart(6) + 'cold settings'.padStart(16) + 'warm'.padStart(8) + '   entries   breakdown (warm)');
    for (const n of [0, 10, 100]) {
      lc.db.set('settings', 'distribution', { ...base, rules: rules(n) });
      await lc.clock.advance(31_000); // past the 30 s settings cache
      const first = await order();
      const cold = await countRequests(lc, () => lc.pay(first));
      const second = await order();
      const warm = await countRequests(lc, () => lc.pay(second));
      const entries = lc.db.find('commissions', { orderId: second }).length;
      console.log(String(n).padStart(6) + String(dbTotal(cold)).padStart(16) + String(dbTotal(warm)).padStart(8) + String(entries).padStart(10) + '   ' + breakdown(warm));
    }
    // a duplicate notification once the set is complete
    const again = await order();
    await lc.pay(again);
    const dup = await countRequests(lc, () => lc.redeliverPayment(again));
    console.log(`duplicate callback after completion: ${dbTotal(dup)} db requests (${breakdown(dup)})`);
  } finally {
    await lc.stop();
  }
}

/** A fresh cloud at noon (Shanghai) some days back, with daily auto settlement and `n` frozen entries whose freeze ended before yesterday's cutoff. */
async function settlementCloud(n: number, functionTimeoutMs?: number): Promise<{ lc: LocalCloud; batch: string; seedMs: number }> {
  const lc = await startLocalCloud({ dataDir: null, port: 0, timers: false, functionTimeoutMs });
  const noon = shanghaiDayStart(Date.now() - 5 * DAY_MS) + 12 * HOUR_MS;
  await lc.clock.set(noon);
  const s = defaultDistributionSettings();
  s.settlement = { cycle: 'daily', mode: 'auto' };
  lc.db.insert('settings', { _id: 'distribution', ...s });
  lc.db.insert('settings', { _id: 'shop', shippingFen: 1000, freeShippingOverFen: 9900, unpaidCloseMinutes: 30, autoConfirmDays: 10, returnWindowDays: 7 });
  const period = previousPeriodKey(noon, 'daily');
  const cutoff = periodBounds(period).endMs;
  const beneficiaries = Array.from({ length: Math.max(1, Math.min(500, Math.floor(n / 200))) }, (_, i) => `o_d${i}`);
  const t0 = Date.now();
  seedLedgerEntries(lc, { orders: n, beneficiaries, state: 'frozen', freezeUntil: (i) => cutoff - 1 - (i % 1000) * 1000, completedAt: cutoff - 10 * DAY_MS, withOrders: false });
  return { lc, batch: `settle:${period}`, seedMs: Date.now() - t0 };
}

async function settlementPer1000(): Promise<void> {
  console.log('\n2. Settlement requests per 1,000 entries (one timer run: catch-up, sweep, batch, mark, statements)\n');
  console.log('entries'.padStart(8) + 'db requests'.padStart(13) + '   per 1,000   breakdown');
  for (const n of [1000, 10000]) {
    const { lc, batch } = await settlementCloud(n);
    try {
      const c = await countRequests(lc, () => lc.invokeRaw('settleCommissions', { Type: 'Timer' }, { source: 'wx_trigger' }));
      const b = lc.db.get('settlement_batches', batch);
      const t = dbTotal(c);
      console.log(String(n).padStart(8) + String(t).padStart(13) + (t / (n / 1000)).toFixed(1).padStart(12) + '   ' + breakdown(c) + `   (batch ${b?.status}, ${b?.totals?.entries} entries)`);
    } finally {
      await lc.stop();
    }
  }
}

async function settleBig(): Promise<void> {
  console.log(`\n3. Settling ${BIG.toLocaleString('en')} entries by repeated timer runs${BUDGET ? ` (budget ${BUDGET} ms per run)` : ' (each run stops at 70% of the 60 s timeout)'}\n`);
  const { lc, batch, seedMs } = await settlementCloud(BIG);
  try {
    console.log(`seeded ${BIG} frozen entries directly in ${seedMs} ms`);
    lc.counters.reset();
    const t0 = Date.now();
    let runs = 0;
    let longest = 0;
    for (;;) {
      runs++;
      const r0 = Date.now();
      const out = await lc.invokeRaw('settleCommissions', { Type: 'Timer', ...(BUDGET ? { budgetMs: BUDGET } : {}) }, { source: 'wx_trigger' });
      const ms = Date.now() - r0;
      longest = Math.max(longest, ms);
      const rep = out.ok ? (out.result as any)?.report : null;
      const b = lc.db.get('settlement_batches', batch);
      console.log(
        `run ${String(runs).padStart(3)}: ${String(ms).padStart(6)} ms  ${out.ok ? '' : `FAILED ${out.error.message.split('\n')[0]}  `}swept ${rep?.swept ?? '-'}, marked ${rep?.marked ?? '-'}, statements ${rep?.statements ?? '-'}, stoppedEarly ${rep?.stoppedEarly ?? '-'}; batch ${b?.status ?? 'none'}`,
      );
      if (b?.status === 'done') break;
      if (runs >= 200) {
        console.log('gave up after 200 runs');
        break;
      }
    }
    const wall = Date.now() - t0;
    const c = lc.counters.snapshot();
    const settled = lc.db.count('commissions', { state: 'settled' });
    const report = checkLedgerData(readLedger(lc));
    console.log(
      `\n${settled.toLocaleString('en')} settled in ${runs} timer runs, wall ${(wall / 1000).toFixed(1)} s, longest run ${(longest / 1000).toFixed(1)} s (${BUDGET ? `budget ${BUDGET} ms + one chunk; the first run includes the cold start` : "timeout 60 s"}), ` +
        `${dbTotal(c)} db requests (${(dbTotal(c) / (BIG / 1000)).toFixed(1)} per 1,000): ${breakdown(c)}`,
    );
    const b = lc.db.get('settlement_batches', batch);
    console.log(`batch ${batch}: ${JSON.stringify(b?.totals)}; statements ${lc.db.count('statements', {})}`);
    // the checker expects orders for entries; without them only the settlement/statement invariants matter here
    const relevant = Object.entries(report.errors).filter(([k]) => k !== 'entries-of-missing-order');
    console.log(relevant.length ? formatReport({ ...report, errors: Object.fromEntries(relevant) }) : 'ledger checker: settlement and statement invariants hold');
  } finally {
    await lc.stop();
  }
}

async function main(): Promise<void> {
  await payCallbackRequests();
  await settlementPer1000();
  if (!SKIP_BIG) await settleBig();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

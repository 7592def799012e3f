/**
 * Distribution: settlement runs (twice at once, stopped half-way and resumed, manual mode) and withdrawals
 * (minimum, daily limit, auto approval + payout, manual approval, FAIL returns the money, lost reply, double taps,
 * 10 concurrent requests with balance for one).
 */
import { startTestCloud, call, rid, type LocalCloud } from '../helpers/cloud';
import { seedShop, MERCHANT } from '../helpers/fixtures';
import { DAY, mkDistributor, settle, useDistSettings } from './distribution-helpers';

jest.setTimeout(180_000);

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startTestCloud();
});
afterAll(async () => {
  await lc?.stop();
});
beforeEach(async () => {
  lc.db.clear();
  seedShop(lc);
  await useDistSettings(lc);
  mkDistributor(lc, 'o_A', 'AAAAAA');
  mkDistributor(lc, 'o_B', 'BBBBBB');
});

/** Ledger entries straight into the database (the ledger is the input of settlement). */
function entry(n: number, beneficiary: string, amountFen: number, state: string, freezeUntil: number, extra: Record<string, unknown> = {}) {
  const orderId = `ord${String(n).padStart(5, '0')}`;
  lc.db.insert('commissions', {
    _id: `${orderId}:L1:T1:accrue`,
    orderId,
    lineId: 'L1',
    buyer: 'o_x',
    beneficiary,
    tier: 1,
    kind: 'accrue',
    amountFen,
    baseFen: amountFen * 10,
    qty: 1,
    rate: { type: 'bp', bp: 1000 },
    ruleSource: 'global',
    state,
    freezeUntil,
    createdAt: freezeUntil - 8 * DAY,
    ...extra,
  });
}

function seedLedger() {
  const now = lc.clock.now();
  // a timer run fired by a clock advance in beforeEach may already have closed today's (empty) batch: start clean
  for (const b of lc.db.find('settlement_batches', {})) lc.db.remove('settlement_batches', b._id);
  // 30 due entries (freeze ended 8 days ago: before the cutoff of any cycle's last closed period), 5 still frozen
  for (let i = 0; i < 30; i++) entry(i, i % 2 ? 'o_A' : 'o_B', 100 + i, 'frozen', now - 8 * DAY);
  for (let i = 30; i < 35; i++) entry(i, 'o_A', 1000, 'frozen', now + 3 * DAY);
  return { due: 30 };
}

function checkSettledOnce(batch: string) {
  const all = lc.db.find('commissions', {});
  const settled = all.filter((e: { state: string }) => e.state === 'settled');
  expect(settled).toHaveLength(30);
  expect(settled.every((e: { batchId: string }) => e.batchId === batch)).toBe(true);
  expect(all.filter((e: { state: string }) => e.state === 'frozen')).toHaveLength(5);
  const b = lc.db.get('settlement_batches', batch);
  expect(b.status).toBe('done');
  const total = settled.reduce((s: number, e: { amountFen: number }) => s + e.amountFen, 0);
  expect(b.totals).toEqual({ entries: 30, amountFen: total, distributors: 2 });
  const sts = lc.db.find('statements', { batchId: batch });
  expect(sts.reduce((s: number, x: { amountFen: number }) => s + x.amountFen, 0)).toBe(total);
  expect(sts.reduce((s: number, x: { entries: number }) => s + x.entries, 0)).toBe(30);
}

test('two settlement runs at once settle each entry exactly once; nothing inside its freeze is settled', async () => {
  seedLedger();
  const [r1, r2] = (await Promise.all([lc.fireTimer('settleCommissions'), lc.fireTimer('settleCommissions')])) as any[];
  expect(r1.ok && r2.ok).toBe(true);
  expect(r1.report.batch).toBe(r2.report.batch);
  expect(r1.report.swept + r2.report.swept).toBe(30);
  expect(r1.report.marked + r2.report.marked).toBe(30);
  checkSettledOnce(r1.report.batch);
  // a third run changes nothing
  const snap = JSON.stringify(lc.db.find('commissions', {}, { sort: { _id: 1 } }));
  const r3 = (await lc.fireTimer('settleCommissions')) as any;
  expect(r3.report.marked).toBe(0);
  expect(JSON.stringify(lc.db.find('commissions', {}, { sort: { _id: 1 } }))).toBe(snap);
});

test('a run stopped half-way (chunk budget) leaves the batch marking; the next run resumes and settles the rest once', async () => {
  seedLedger();
  const first = await settle(lc, { chunk: 4, maxChunks: 3 });
  expect(first.report.stoppedEarly).toBe(true);
  expect(first.report.marked).toBe(12);
  const batch = first.report.batch;
  expect(lc.db.get('settlement_batches', batch).status).toBe('marking');
  expect(lc.db.find('commissions', { state: 'settled' })).toHaveLength(12);
  // two resumptions racing, small chunks
  const [a, b] = await Promise.all([settle(lc, { chunk: 4 }), settle(lc, { chunk: 5 })]);
  expect(first.report.marked + a.report.marked + b.report.marked).toBe(30);
  checkSettledOnce(batch);
});

test('a run killed by its timeout is finished by the next run', async () => {
  seedLedger();
  // a budget too small to do anything past the sweep
  const out = await settle(lc, { budgetMs: 1 });
  expect(out.report.stoppedEarly).toBe(true);
  const r = await settle(lc);
  expect(r.ok).toBe(true);
  checkSettledOnce(r.report.batch);
});

test('manual settlement: a proposed batch with totals waits for the merchant; approval settles it', async () => {
  await useDistSettings(lc, { settlement: { cycle: 'weekly', mode: 'manual' } });
  seedLedger();
  const r = await settle(lc);
  const batch = r.report.batch;
  expect(lc.db.get('settlement_batches', batch)).toEqual(expect.objectContaining({ status: 'proposed', mode: 'manual', totals: expect.objectContaining({ entries: 30, distributors: 2 }) }));
  expect(lc.db.find('commissions', { state: 'settled' })).toHaveLength(0);
  await settle(lc); // nothing happens without approval
  expect(lc.db.find('commissions', { state: 'settled' })).toHaveLength(0);
  const list = await call(lc, 'admin', 'settlements.list', {}, MERCHANT);
  expect(list.data.items.map((b: { _id: string }) => b._id)).toEqual([batch]);
  const ok = await call(lc, 'admin', 'settlements.approve', { id: batch }, MERCHANT);
  expect(ok.ok).toBe(true);
  checkSettledOnce(batch);
  const detail = await call(lc, 'admin', 'settlements.detail', { id: batch }, MERCHANT);
  expect(detail.data.statements).toHaveLength(2);
  expect(lc.db.find('audit_logs', { action: 'settlements.approve' })).toHaveLength(1);
});

// ---------------- withdrawals ----------------

function settledBalance(openid: string, amountFen: number, n = 900) {
  entry(n, openid, amountFen, 'settled', lc.clock.now() - 10 * DAY, { batchId: 'settle:old' });
}

const withdraw = (openid: string, amountFen: number, requestId = rid('wd')) => call(lc, 'distribution', 'withdraw', { requestId, amountFen }, openid);

test('minimum, auto approval below the threshold with payout SUCCESS, double tap = one payout, daily limit', async () => {
  settledBalance('o_A', 20000);
  expect((await withdraw('o_A', 50)).code).toBe('WITHDRAWAL_BELOW_MIN');
  const req = rid('wd');
  const w = await withdraw('o_A', 3000, req);
  expect(w.ok).toBe(true);
  expect(w.data.withdrawal).toEqual(expect.objectContaining({ status: 'paid', amountFen: 3000, outBillNo: w.data.withdrawal._id }));
  const again = await withdraw('o_A', 3000, req);
  expect(again.data.withdrawal._id).toBe(w.data.withdrawal._id);
  expect(again.data.created).toBe(false);
  const bills = lc.transfers.list();
  expect(bills).toEqual([expect.objectContaining({ out_bill_no: w.data.withdrawal._id, openid: 'o_A', transfer_amount: 3000, state: 'SUCCESS', transfer_scene_id: '1005' })]);
  // manual approval at/above the threshold (5000)
  const big = await withdraw('o_A', 6000);
  expect(big.data.withdrawal.status).toBe('pending_review');
  expect(lc.transfers.list()).toHaveLength(1);
  // daily limit 10000: 3000 + 6000 held → 1001 more is over
  const over = await withdraw('o_A', 1001);
  expect(over.code).toBe('WITHDRAWAL_LIMIT_EXCEEDED');
  const ap = await call(lc, 'admin', 'withdrawals.approve', { id: big.data.withdrawal._id }, MERCHANT);
  expect(ap.ok).toBe(true);
  expect(lc.db.get('withdrawals', big.data.withdrawal._id).status).toBe('paid');
  expect(lc.transfers.list()).toHaveLength(2);
  const me = await call(lc, 'distribution', 'me', {}, 'o_A');
  expect(me.data.balances).toEqual(expect.objectContaining({ settled: 20000, withdrawn: 9000, available: 11000 }));
  // next day the limit resets
  await lc.clock.advance(DAY);
  expect((await withdraw('o_A', 4000)).data.withdrawal.status).toBe('paid');
});

test('payout FAIL gives the amount back exactly once; a rejected request too; a lost reply is queried, never billed twice', async () => {
  settledBalance('o_A', 10000);
  lc.transfers.failNext();
  const w = await withdraw('o_A', 2000);
  expect(w.data.withdrawal.status).toBe('failed');
  expect(lc.db.get('wallets', 'o_A').withdrawnFen).toBe(0);
  await lc.fireTimer('payoutTransfers');
  await call(lc, 'admin', 'withdrawals.reject', { id: w.data.withdrawal._id, reason: '重复' }, MERCHANT);
  expect(lc.db.get('wallets', 'o_A').withdrawnFen).toBe(0);
  // manual → rejected: money back
  const big = await withdraw('o_A', 6000);
  const rj = await call(lc, 'admin', 'withdrawals.reject', { id: big.data.withdrawal._id, reason: '账户信息待核实' }, MERCHANT);
  expect(rj.data).toEqual(expect.objectContaining({ status: 'rejected', reason: '账户信息待核实' }));
  await call(lc, 'admin', 'withdrawals.reject', { id: big.data.withdrawal._id, reason: '账户信息待核实' }, MERCHANT);
  expect(lc.db.get('wallets', 'o_A').withdrawnFen).toBe(0);
  // lost reply: the bill exists but the answer was a 500 → stays paying; the timer queries and finishes it
  lc.transfers.dropNextReply();
  const lost = await withdraw('o_A', 1000);
  expect(lost.data.withdrawal.status).toBe('paying');
  await lc.fireTimer('payoutTransfers');
  expect(lc.db.get('withdrawals', lost.data.withdrawal._id).status).toBe('paid');
  const bills = lc.transfers.list().filter((b) => b.out_bill_no === lost.data.withdrawal._id);
  expect(bills).toHaveLength(1);
  expect(lc.transfers.requests.filter((r) => r.method === 'GET' && r.outBillNo === lost.data.withdrawal._id).length).toBeGreaterThanOrEqual(1);
  expect(lc.db.get('wallets', 'o_A').withdrawnFen).toBe(1000);
});

test('10 concurrent withdrawals (different requestIds) with balance for one: exactly one succeeds, paid once', async () => {
  settledBalance('o_B', 3000);
  const rs = await Promise.all(Array.from({ length: 10 }, () => withdraw('o_B', 2500)));
  const oks = rs.filter((r) => r.ok);
  expect(oks).toHaveLength(1);
  expect(rs.filter((r) => !r.ok).every((r) => ['INSUFFICIENT_BALANCE', 'CONFLICT'].includes(r.code))).toBe(true);
  expect(lc.db.find('withdrawals', { openid: 'o_B' })).toHaveLength(1);
  expect(lc.db.get('wallets', 'o_B').withdrawnFen).toBe(2500);
  expect(lc.transfers.list().filter((b) => b.openid === 'o_B')).toHaveLength(1);
  // clients cannot run the payout or settlement functions directly
  expect(await lc.invoke('payoutTransfers', {}, { openid: 'o_B' })).toEqual(expect.objectContaining({ ok: false }));
  expect(await lc.invoke('settleCommissions', {}, { openid: 'o_B' })).toEqual(expect.objectContaining({ ok: false }));
});

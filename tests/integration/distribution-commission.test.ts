/**
 * Distribution: commission at payment (tiers, chain, self-purchase, duplicate callbacks, request counts),
 * reversals on refund (proportional, exact on full), freeze → settleable, and clawback after settlement.
 */
import { startTestCloud, call, type LocalCloud } from '../helpers/cloud';
import { seedShop, MERCHANT, SKU } from '../helpers/fixtures';
import { DAY, bind, completeOrder, createOrder, entriesOf, mkDistributor, paidOrder, settle, useDistSettings } from './distribution-helpers';

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
  // chain: A recruited B, B recruited C; D is a plain buyer
  mkDistributor(lc, 'o_A', 'AAAAAA', { levelId: 'gold' });
  mkDistributor(lc, 'o_B', 'BBBBBB', { inviter: 'o_A', levelId: 'gold' });
  mkDistributor(lc, 'o_C', 'CCCCCC', { inviter: 'o_B', levelId: 'normal' });
});

const sum = (xs: { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);

test('chain A→B→C, buyer D bound to C pays: tier 1 to C (level rate), tier 2 to B (gold 团队佣金), nothing to A; snapshot on the order', async () => {
  expect((await bind(lc, 'o_D', 'CCCCCC')).ok).toBe(true);
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 1 }]); // base 5900 (shipping excluded)
  const es = entriesOf(lc, id);
  expect(es.map((e) => [e._id, e.beneficiary, e.tier, e.amountFen, e.state, e.kind])).toEqual([
    [`${id}:L1:T1:accrue`, 'o_C', 1, 590, 'pending', 'accrue'], // normal 10%
    [`${id}:L1:T2:accrue`, 'o_B', 2, 295, 'pending', 'accrue'], // gold tier-2 5%
  ]);
  expect(es.every((e) => Number.isSafeInteger(e.amountFen) && Number.isSafeInteger(e.baseFen))).toBe(true);
  const order = lc.db.get('orders', id);
  expect(order.commission).toEqual(
    expect.objectContaining({
      binding: expect.objectContaining({ distributorId: 'o_C', source: 'share_card' }),
      beneficiaries: [
        { openid: 'o_C', tier: 1, levelId: 'normal' },
        { openid: 'o_B', tier: 2, levelId: 'gold' },
      ],
      entryCount: 2,
      entriesDone: true,
    }),
  );
  expect(order.commission.lines[0]).toEqual(expect.objectContaining({ baseFen: 5900, rate: { type: 'bp', bp: 1000 }, ruleSource: 'level' }));
  expect(lc.db.find('commissions', { beneficiary: 'o_A' })).toHaveLength(0);
  // the distributor centre shows it
  const me = await call(lc, 'distribution', 'me', {}, 'o_C');
  expect(me.data.balances).toEqual(expect.objectContaining({ pending: 590, frozen: 0, settled: 0, available: 0 }));
  const ords = await call(lc, 'distribution', 'orders', {}, 'o_C');
  expect(ords.data.items[0]).toEqual(expect.objectContaining({ orderId: id, amountFen: 590, earned: true }));
});

test('tier 2 only when the inviter level grants it; unbound and self-purchase orders earn nothing, with reasons', async () => {
  lc.db.update('distributors', 'o_B', { $set: { levelId: 'normal' } });
  await bind(lc, 'o_D', 'CCCCCC');
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 1 }]);
  expect(entriesOf(lc, id).map((e) => e.beneficiary)).toEqual(['o_C']);
  expect(lc.db.get('orders', id).commission.reasons.map((r: { code: string }) => r.code)).toContain('TIER2_NOT_GRANTED');
  // self-purchase (off by default): C buys for themselves
  const own = await paidOrder(lc, 'o_C', [{ skuId: SKU.teeRed, qty: 1 }]);
  expect(entriesOf(lc, own)).toHaveLength(0);
  expect(lc.db.get('orders', own).commission.reasons.map((r: { code: string }) => r.code)).toEqual(['SELF_PURCHASE_OFF']);
  // no binding
  const none = await paidOrder(lc, 'o_E', [{ skuId: SKU.mug, qty: 1 }]);
  expect(entriesOf(lc, none)).toHaveLength(0);
  expect(lc.db.get('orders', none).commission.reasons.map((r: { code: string }) => r.code)).toEqual(['NO_BINDING']);
  // unpaid orders earn nothing
  const unpaid = await createOrder(lc, 'o_D', [{ skuId: SKU.mug, qty: 1 }]);
  expect(entriesOf(lc, unpaid)).toHaveLength(0);
  expect(lc.db.get('orders', unpaid).commission).toBeUndefined();
});

test('5 duplicate callbacks (sequential and concurrent) → one commission set; a crash between snapshot and entries converges', async () => {
  await bind(lc, 'o_D', 'CCCCCC');
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 2 }]);
  const before = JSON.stringify(entriesOf(lc, id));
  await lc.redeliverPayment(id);
  await Promise.all([1, 2, 3, 4].map(() => lc.redeliverPayment(id)));
  expect(JSON.stringify(entriesOf(lc, id))).toBe(before);
  expect(entriesOf(lc, id)).toHaveLength(2);
  // simulate a crash after the snapshot: entries gone, flag unset
  for (const e of entriesOf(lc, id)) lc.db.remove('commissions', e._id);
  lc.db.update('orders', id, { $unset: { 'commission.entriesDone': '' } });
  const r = await lc.redeliverPayment(id);
  expect(r.delivered).toBe(true);
  expect(entriesOf(lc, id).map((e) => e.amountFen)).toEqual([1180, 590]);
  expect(lc.db.get('orders', id).commission.entriesDone).toBe(true);
});

test('database requests of the pay callback including commission do not grow with the number of rules', async () => {
  await bind(lc, 'o_D', 'CCCCCC');
  const measure = async () => {
    const id = await createOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 1 }]);
    lc.counters.reset();
    await lc.pay(id);
    const c = lc.counters.snapshot();
    const db = Object.entries(c).filter(([k]) => k.startsWith('database.')).reduce((s, [, n]) => s + n, 0);
    return { c, db };
  };
  await measure(); // warm
  const few = await measure();
  const rules = Array.from({ length: 500 }, (_, i) => ({ id: `r${i}`, scope: 'product' as const, targetId: `p_other_${i}`, bp: 800 }));
  await useDistSettings(lc, { rules });
  await measure(); // reload settings once
  const many = await measure();
  console.log('pay callback requests (warm), 0 rules:', few.c, '500 rules:', many.c);
  expect(many.db).toBe(few.db);
  expect(few.db).toBeLessThanOrEqual(12);
  // duplicate delivery of a complete set: no commission request at all
  const id = await createOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 1 }]);
  await lc.pay(id);
  lc.counters.reset();
  await lc.redeliverPayment(id);
  const dup = lc.counters.snapshot();
  console.log('duplicate callback requests:', dup);
  expect(dup['database.aggregateDocuments'] ?? 0).toBe(0);
  expect(Object.entries(dup).filter(([k]) => k.startsWith('database.')).reduce((s, [, n]) => s + n, 0)).toBeLessThanOrEqual(4);
});

test('refunds before settlement reverse in proportion and exactly on the full refund', async () => {
  await bind(lc, 'o_D', 'CCCCCC');
  // 7 tees: base 41300 → T1 4130 (10%), T2 2065 (5%)
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 7 }]);
  const refund = async (qty: number) => {
    const a = await call(lc, 'afterSale', 'apply', { orderId: id, type: 'refund', items: [{ lineId: 'L1', qty }], reason: '不想要了' }, 'o_D');
    expect(a.ok).toBe(true);
    const r = await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
    expect(r.ok).toBe(true);
    // approving again adds nothing
    await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
    return a.data._id as string;
  };
  const a1 = await refund(3);
  let es = entriesOf(lc, id);
  expect(es.find((e) => e._id === `${id}:L1:T1:rev-${a1}`)).toEqual(expect.objectContaining({ kind: 'reverse', amountFen: -1770, state: 'pending', beneficiary: 'o_C' }));
  expect(es.find((e) => e._id === `${id}:L1:T2:rev-${a1}`)).toEqual(expect.objectContaining({ kind: 'reverse', amountFen: -885, state: 'pending', beneficiary: 'o_B' }));
  await refund(4);
  es = entriesOf(lc, id);
  expect(es).toHaveLength(6);
  expect(sum(es.filter((e) => e.beneficiary === 'o_C'))).toBe(0);
  expect(sum(es.filter((e) => e.beneficiary === 'o_B'))).toBe(0);
  const ords = await call(lc, 'distribution', 'orders', {}, 'o_C');
  expect(ords.data.items[0].reasons.map((r: { code: string }) => r.code)).toContain('REFUNDED');
});

test('completion freezes; settleable only after freezeDays and with no open after-sale; then settled in the daily batch', async () => {
  await bind(lc, 'o_D', 'CCCCCC');
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 2 }]);
  await completeOrder(lc, id, 'o_D');
  const completedAt = lc.db.get('orders', id).completedAt;
  let es = entriesOf(lc, id);
  expect(es.map((e) => e.state)).toEqual(['frozen', 'frozen']);
  expect(es[0].freezeUntil).toBe(completedAt + 7 * DAY);
  await lc.clock.advance(6 * DAY);
  await settle(lc);
  expect(entriesOf(lc, id).map((e) => e.state)).toEqual(['frozen', 'frozen']);
  // an after-sale opened within the return window holds the order's entries past the freeze
  const a = await call(lc, 'afterSale', 'apply', { orderId: id, type: 'return_refund', items: [{ lineId: 'L1', qty: 1 }], reason: '有瑕疵' }, 'o_D');
  expect(a.ok).toBe(true);
  await lc.clock.advance(2 * DAY);
  await settle(lc);
  expect(entriesOf(lc, id).map((e) => e.state)).toEqual(['frozen', 'frozen']);
  const rej = await call(lc, 'admin', 'afterSales.reject', { id: a.data._id, reason: '商品完好' }, MERCHANT);
  expect(rej.ok).toBe(true);
  await settle(lc);
  es = entriesOf(lc, id);
  expect(es.map((e) => e.state)).toEqual(['settleable', 'settleable']);
  // the next day's run settles them into the batch of the closed day
  await lc.clock.advance(1 * DAY);
  const rep = await settle(lc);
  es = entriesOf(lc, id);
  expect(es.map((e) => e.state)).toEqual(['settled', 'settled']);
  expect(es[0].batchId).toBe(rep.report.batch);
  const st = lc.db.get('statements', `${rep.report.batch}:o_C`);
  expect(st).toEqual(expect.objectContaining({ amountFen: 1180, entries: 1 }));
  const me = await call(lc, 'distribution', 'me', {}, 'o_C');
  expect(me.data.balances).toEqual(expect.objectContaining({ settled: 1180, available: 1180, pending: 0, frozen: 0 }));
});

test('a refund after settlement appends a clawback that nets against the next settlement', async () => {
  await bind(lc, 'o_D', 'CCCCCC');
  const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 3 }]); // T1 1770, T2 885
  await completeOrder(lc, id, 'o_D');
  await lc.clock.advance(8 * DAY); // timers run: sweep + the daily batch
  await settle(lc);
  expect(entriesOf(lc, id).map((e) => e.state)).toEqual(['settled', 'settled']);
  // the shop lengthens its return window afterwards, so the buyer may still ask for a refund
  lc.db.update('settings', 'shop', { $set: { returnWindowDays: 30 } });
  await lc.clock.advance(31_000);
  const a = await call(lc, 'afterSale', 'apply', { orderId: id, type: 'return_refund', items: [{ lineId: 'L1', qty: 1 }], reason: '质量问题' }, 'o_D');
  expect(a.ok).toBe(true);
  await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
  const r = await call(lc, 'admin', 'afterSales.receive', { id: a.data._id }, MERCHANT);
  expect(r.ok).toBe(true);
  const claw = entriesOf(lc, id).filter((e) => e.kind === 'clawback');
  expect(claw.map((e) => [e._id, e.amountFen, e.state])).toEqual([
    [`${id}:L1:T1:claw-${a.data._id}`, -590, 'settleable'],
    [`${id}:L1:T2:claw-${a.data._id}`, -295, 'settleable'],
  ]);
  await lc.clock.advance(1 * DAY);
  const rep = await settle(lc);
  const settledClaw = entriesOf(lc, id).filter((e) => e.kind === 'clawback');
  expect(settledClaw.every((e) => e.state === 'settled' && e.batchId === rep.report.batch)).toBe(true);
  expect(lc.db.get('statements', `${rep.report.batch}:o_C`)).toEqual(expect.objectContaining({ amountFen: -590 }));
  const me = await call(lc, 'distribution', 'me', {}, 'o_C');
  expect(me.data.balances.settled).toBe(1770 - 590);
});

test('level upgrade by own net sales and completed orders (never head-count); centre lists buyers, entries by state and ranking', async () => {
  const s = (await import('./distribution-helpers')).distSettings();
  const levels = s.levels.map((l) => (l.id === 'senior' ? { ...l, upgrade: { netSalesFen: 10000, completedOrders: 2, periodDays: 30 } } : l));
  await useDistSettings(lc, { levels });
  await bind(lc, 'o_D', 'CCCCCC');
  const before = await call(lc, 'distribution', 'me', {}, 'o_C');
  expect(before.data.level.id).toBe('normal');
  expect(before.data.nextLevel).toEqual({ id: 'senior', name: '高级' });
  expect(before.data.progress).toEqual([
    expect.objectContaining({ key: 'netSalesFen', current: 0, target: 10000, money: true }),
    expect.objectContaining({ key: 'completedOrders', current: 0, target: 2, money: false }),
  ]);
  for (let i = 0; i < 2; i++) {
    const id = await paidOrder(lc, 'o_D', [{ skuId: SKU.teeRed, qty: 1 }]); // 5900 each
    await completeOrder(lc, id, 'o_D');
  }
  // net sales 2 × 5900 (shipping excluded) ≥ 10000 and 2 completed orders: evaluated on read, stored with its reason
  const after = await call(lc, 'distribution', 'me', {}, 'o_C');
  expect(after.data.stats).toEqual({ netSalesFen: 11800, completedOrders: 2 });
  expect(after.data.level.id).toBe('senior');
  expect(after.data.nextLevel).toEqual({ id: 'gold', name: '金牌' });
  expect(lc.db.get('distributors', 'o_C').levelHistory.at(-1)).toEqual(expect.objectContaining({ from: 'normal', to: 'senior', reason: '达到升级条件', by: 'system' }));
  const buyers = await call(lc, 'distribution', 'buyers', {}, 'o_C');
  expect(buyers.data.items.map((b: { openid: string }) => b.openid)).toEqual(['o_D']);
  const frozen = await call(lc, 'distribution', 'commissions', { state: 'frozen' }, 'o_C');
  expect(frozen.data.items).toHaveLength(2);
  const rank = await call(lc, 'distribution', 'ranking', {}, 'o_C');
  expect(rank.data.items.map((r: { openid: string; amountFen: number }) => [r.openid, r.amountFen])).toEqual([
    ['o_C', 1180],
    ['o_B', 590],
  ]);
  expect(rank.data.mine).toEqual(expect.objectContaining({ rank: 1, me: true }));
});

test('rule precedence reaches the functions: category rule from the order line snapshot, promotion exclusion, product rule with a fixed amount', async () => {
  const now = lc.clock.now();
  lc.db.insert('promotions', { _id: 'promo_tee', type: 'discount', title: 'T恤9折', enabled: true, startAt: now - 3600e3, endAt: now + 30 * DAY, percentOffBp: 1000, productIds: ['p_tee'], commission: { enabled: false } });
  await useDistSettings(lc, {
    rules: [
      { id: 'r_home', scope: 'category', targetId: 'cat_home', bp: 2000 },
      { id: 'r_badge', scope: 'product', targetId: 'p_scarce', perUnitFen: 150 },
    ],
  });
  await bind(lc, 'o_D', 'CCCCCC');
  const id = await paidOrder(lc, 'o_D', [
    { skuId: SKU.mug, qty: 2 }, // 5000, category rule 20% → 1000
    { skuId: SKU.teeRed, qty: 1 }, // promotion excludes commission
    { skuId: SKU.scarce, qty: 2 }, // product rule: 150 per unit → 300
  ]);
  const order = lc.db.get('orders', id);
  expect(order.lines.map((l: { categoryId: string }) => l.categoryId)).toEqual(['cat_home', 'cat_clothes_tee', 'cat_home']);
  const t1 = order.commission.lines.filter((l: { tier: number }) => l.tier === 1);
  expect(t1.map((l: { lineId: string; ruleSource: string; amountFen: number }) => [l.lineId, l.ruleSource, l.amountFen])).toEqual([
    ['L1', 'category', 1000],
    ['L3', 'product', 300],
  ]);
  expect(order.commission.reasons.map((r: { code: string }) => r.code)).toContain('PROMOTION_EXCLUDED');
  expect(entriesOf(lc, id).filter((e) => e.lineId === 'L2')).toHaveLength(0);
});

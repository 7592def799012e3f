/**
 * THE RACE: 50 concurrent buyers on the last 5 units, through the real order function on the local cloud.
 * The conditional decrement must sell exactly 5 in every run; the naive read-modify-write fixture, run the
 * same way, must oversell at least once (so this test is able to fail).
 */
import { startTestCloud, rid, type LocalCloud } from '../helpers/cloud';
import { addressDoc, seedShop, SKU } from '../helpers/fixtures';

jest.setTimeout(300_000);

const RUNS = 20;
const BUYERS = 50;
const UNITS = 5;

let lc: LocalCloud;
const buyers = Array.from({ length: BUYERS }, (_, i) => `o_racer_${i}`);

beforeAll(async () => {
  lc = await startTestCloud({ fixtures: true });
  seedShop(lc);
  for (const b of buyers) lc.db.insert('addresses', addressDoc(b));
});
afterAll(async () => {
  await lc?.stop();
});

function reseed(sku: string, stock: number) {
  for (const o of lc.db.find('orders', {})) lc.db.remove('orders', o._id);
  for (const m of lc.db.find('stock_movements', {})) lc.db.remove('stock_movements', m._id);
  lc.db.update('skus', sku, { $set: { stock, sold: 0, holds: [] } });
}

test(`${BUYERS} concurrent buyers on the last ${UNITS} units: exactly ${UNITS} orders, stock 0, in ${RUNS} of ${RUNS} runs`, async () => {
  const outcomes: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    reseed(SKU.scarce, UNITS);
    const results = await Promise.all(
      buyers.map((b) =>
        lc.invoke('order', { action: 'create', requestId: rid(`race${run}`), lines: [{ skuId: SKU.scarce, qty: 1 }], addressId: `addr_${b}` }, { openid: b }),
      ),
    );
    const ok = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const sku = lc.db.get('skus', SKU.scarce);
    const orders = lc.db.find('orders', {});
    const reserves = lc.db.find('stock_movements', { kind: 'reserve' });
    outcomes.push(`${ok.length}/${sku.stock}`);
    expect(ok.length).toBe(UNITS);
    expect(failed.every((r) => r.code === 'OUT_OF_STOCK' && /库存不足/.test(r.message))).toBe(true);
    expect(sku.stock).toBe(0);
    expect(sku.sold).toBe(UNITS);
    expect(orders).toHaveLength(UNITS);
    expect(sku.holds.sort()).toEqual(orders.map((o: { _id: string }) => o._id).sort());
    // conservation: stock + Σ reserved == initial
    expect(sku.stock + reserves.reduce((s: number, m: { qty: number }) => s - m.qty, 0)).toBe(UNITS);
  }
  expect(outcomes).toEqual(Array(RUNS).fill(`${UNITS}/0`));
});

test('the same race against the naive read-modify-write fixture oversells in at least one of the runs', async () => {
  let oversold = 0;
  const seen: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    reseed(SKU.scarce, UNITS);
    const results = await Promise.all(buyers.map((b) => lc.invoke('naiveOrder', { action: 'create', skuId: SKU.scarce, qty: 1 }, { openid: b })));
    const sold = results.filter((r) => r.ok).length;
    seen.push(`${sold}/${lc.db.get('skus', SKU.scarce).stock}`);
    if (sold > UNITS) oversold++;
  }
  // eslint-disable-next-line no-console
  console.log(`naive fixture: sold/stock per run ${seen.join(' ')}; oversold in ${oversold}/${RUNS} runs`);
  expect(oversold).toBeGreaterThanOrEqual(1);
});

test('random quantities: stock 10, 30 buyers wanting 1–3 each — never oversold, conservation holds (5 runs)', async () => {
  for (let run = 0; run < 5; run++) {
    reseed(SKU.scarce, 10);
    const wants = buyers.slice(0, 30).map((b, i) => ({ b, qty: 1 + ((i * 7 + run * 3) % 3) }));
    const results = await Promise.all(
      wants.map(({ b, qty }) =>
        lc.invoke('order', { action: 'create', requestId: rid(`rq${run}`), lines: [{ skuId: SKU.scarce, qty }], addressId: `addr_${b}` }, { openid: b }),
      ),
    );
    const soldQty = results.reduce((s, r, i) => s + (r.ok ? wants[i].qty : 0), 0);
    const sku = lc.db.get('skus', SKU.scarce);
    const orders = lc.db.find('orders', {});
    expect(sku.stock).toBeGreaterThanOrEqual(0);
    expect(sku.stock + soldQty).toBe(10);
    expect(orders.reduce((s: number, o: { lines: { qty: number }[] }) => s + o.lines[0].qty, 0)).toBe(soldQty);
    // every refusal was a real shortage: stock only falls here, so the final stock is below every refused qty
    const refused = results.map((r, i) => (r.ok ? null : wants[i].qty)).filter((q): q is number => q !== null);
    for (const q of refused) expect(sku.stock).toBeLessThan(q);
    expect(results.filter((r) => !r.ok).every((r) => r.code === 'OUT_OF_STOCK')).toBe(true);
  }
});

test('minimal race: 1 unit, 2 buyers → exactly one order (20 runs)', async () => {
  for (let run = 0; run < 20; run++) {
    reseed(SKU.scarce, 1);
    const rs = await Promise.all(
      buyers.slice(0, 2).map((b) =>
        lc.invoke('order', { action: 'create', requestId: rid(`min${run}`), lines: [{ skuId: SKU.scarce, qty: 1 }], addressId: `addr_${b}` }, { openid: b }),
      ),
    );
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
    expect(lc.db.get('skus', SKU.scarce).stock).toBe(0);
  }
});

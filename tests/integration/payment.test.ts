/**
 * The payment callback and the close-unpaid timer: duplicates, forgeries, wrong amounts, late callbacks,
 * lost callbacks and the pay-vs-close race — through the real functions on the local cloud.
 */
import { startTestCloud, call, rid, type LocalCloud } from '../helpers/cloud';
import { seedShop, snapshot, BUYER, MERCHANT, SKU } from '../helpers/fixtures';

jest.setTimeout(180_000);

let lc: LocalCloud;

beforeAll(async () => {
  lc = await startTestCloud();
});
afterAll(async () => {
  await lc?.stop();
});
beforeEach(() => {
  lc.db.clear();
  seedShop(lc);
});

async function newOrder(qty = 1, sku: string = SKU.teeRed): Promise<string> {
  const r = await call(lc, 'order', 'create', { requestId: rid(), lines: [{ skuId: sku, qty }], addressId: `addr_${BUYER}` }, BUYER);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data.order._id;
}

/** Invokes payCallback as WeChat Pay does (no client identity). */
function deliver(event: Record<string, unknown>) {
  return lc.invoke('payCallback', event, { source: 'wx_pay' });
}

function notifyEvent(id: string, patch: Record<string, unknown> = {}) {
  const t = lc.trade(id)!;
  return {
    returnCode: 'SUCCESS',
    resultCode: 'SUCCESS',
    outTradeNo: id,
    transactionId: t.transactionId ?? '4200000000000000000000000001',
    totalFee: t.totalFee,
    subOpenid: BUYER,
    ...patch,
  };
}

test('5 duplicate callbacks in sequence and 5 concurrently: one transition, one payments doc, all errcode 0', async () => {
  const id = await newOrder(2);
  const first = await lc.pay(id);
  expect(first.delivered).toBe(true);
  const after = snapshot(lc);
  const seq = [];
  for (let i = 0; i < 5; i++) seq.push(await deliver(notifyEvent(id)));
  const conc = await Promise.all(Array.from({ length: 5 }, () => deliver(notifyEvent(id))));
  for (const r of [...seq, ...conc]) expect(r).toEqual({ errcode: 0, errmsg: '' });
  const order = lc.db.get('orders', id);
  expect(order.history.filter((h: { event: string }) => h.event === 'pay')).toHaveLength(1);
  expect(lc.db.find('payments', {})).toHaveLength(1);
  expect(snapshot(lc)).toBe(after);
});

test('10 concurrent first deliveries of one payment: exactly one transition', async () => {
  const id = await newOrder(1);
  // pay() marks the trade paid synchronously, then delivers; race 10 more first deliveries against it
  const paying = lc.pay(id);
  expect(lc.trade(id)!.transactionId).toBeTruthy();
  const conc = await Promise.all(Array.from({ length: 10 }, () => deliver(notifyEvent(id))));
  expect((await paying).delivered).toBe(true);
  for (const r of conc) expect(r).toEqual({ errcode: 0, errmsg: '' });
  const order = lc.db.get('orders', id);
  expect(order.status).toBe('pending_shipment');
  expect(order.history).toHaveLength(1);
  expect(lc.db.find('payments', {})).toHaveLength(1);
});

test('a forged callback invoked by a client (with an openid) changes nothing and is not acknowledged', async () => {
  const id = await newOrder();
  const before = snapshot(lc);
  const forged = { ...notifyEvent(id), transactionId: '4200000000000000000000009999' };
  const r1 = await lc.invoke('payCallback', forged, { openid: BUYER });
  const r2 = await lc.invoke('payCallback', forged, { source: 'wx_client' });
  expect(r1.errcode).not.toBe(0);
  expect(r2.errcode).not.toBe(0);
  // an identity-less forgery is caught by queryOrder (the trade is NOTPAY)
  const r3 = await deliver(forged);
  expect(r3.errcode).not.toBe(0);
  expect(snapshot(lc)).toBe(before);
  expect(lc.db.get('orders', id).status).toBe('pending_payment');
});

test('a wrong amount changes nothing: event amount ≠ trade, and trade amount ≠ order', async () => {
  const id = await newOrder();
  const before = snapshot(lc);
  expect((await deliver(notifyEvent(id, { totalFee: 1 }))).errcode).not.toBe(0);
  expect(snapshot(lc)).toBe(before);

  // The order's payable no longer matches the paid trade (e.g. edited after unifiedOrder): never applied.
  lc.db.update('orders', id, { $set: { payableFen: 123 } });
  const tampered = snapshot(lc);
  const paid = await lc.pay(id);
  expect(paid.delivered).toBe(false);
  expect(paid.lastError).toMatch(/mismatch/);
  expect(snapshot(lc)).toBe(tampered);
});

test('callback for an order that is not visible yet is retried and applied once it is (no ack without record)', async () => {
  const id = await newOrder();
  const order = lc.db.get('orders', id);
  lc.db.remove('orders', id);
  const paid = await lc.pay(id);
  expect(paid.delivered).toBe(false);
  expect(lc.db.find('payments', {})).toHaveLength(0);
  lc.db.insert('orders', order);
  await lc.flushCallbacks();
  expect(lc.pendingCallbacks().filter((c) => c.outTradeNo === id)).toHaveLength(0);
  expect(lc.db.get('orders', id).status).toBe('pending_shipment');
  expect(lc.db.find('payments', {})).toHaveLength(1);
});

test('late callback after the order was refunded changes nothing', async () => {
  const id = await newOrder(1);
  await lc.pay(id);
  const applied = await call(lc, 'afterSale', 'apply', { orderId: id, type: 'refund', items: [{ lineId: 'L1', qty: 1 }], reason: '不想要了' }, BUYER);
  expect(applied.ok).toBe(true);
  const approved = await call(lc, 'admin', 'afterSales.approve', { id: applied.data._id }, MERCHANT);
  expect(approved.ok).toBe(true);
  expect(lc.db.get('orders', id).status).toBe('closed');
  const before = snapshot(lc);
  for (let i = 0; i < 3; i++) expect(await lc.redeliverPayment(id)).toEqual(expect.objectContaining({ delivered: true }));
  expect(snapshot(lc)).toBe(before);
  expect(lc.db.get('orders', id).status).toBe('closed');
});

test('timer closes an unpaid order after 30 minutes (not before), closes the trade and releases stock once', async () => {
  const id = await newOrder(3);
  expect(lc.db.get('skus', SKU.teeRed).stock).toBe(97);
  await lc.clock.advance(29 * 60e3);
  await lc.fireTimer('closeUnpaidOrders');
  expect(lc.db.get('orders', id).status).toBe('pending_payment');
  await lc.clock.advance(2 * 60e3); // the advance itself fires the due every-minute trigger
  await lc.fireTimer('closeUnpaidOrders');
  const order = lc.db.get('orders', id);
  expect(order).toEqual(expect.objectContaining({ status: 'cancelled', cancelReason: 'timeout', releasePending: false }));
  expect(lc.trade(id)!.state).toBe('CLOSED');
  expect(lc.db.get('skus', SKU.teeRed)).toEqual(expect.objectContaining({ stock: 100, holds: [] }));
  expect(lc.db.find('stock_movements', { kind: 'release' })).toHaveLength(1);
  // a cancelled order cannot be paid any more
  expect(await call(lc, 'order', 'pay', { orderId: id }, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'ORDER_EXPIRED' }));
});

test('timer asks queryOrder first: a paid trade whose callback was lost becomes paid, not closed', async () => {
  const id = await newOrder(1);
  const order = lc.db.get('orders', id);
  lc.db.remove('orders', id); // the callback cannot find the order → not acknowledged (lost)
  const paid = await lc.pay(id);
  expect(paid.delivered).toBe(false);
  lc.db.insert('orders', order);
  await lc.clock.advance(31 * 60e3);
  await lc.fireTimer('closeUnpaidOrders');
  const after = lc.db.get('orders', id);
  expect(after.status).toBe('pending_shipment');
  expect(after.history).toEqual([expect.objectContaining({ event: 'pay', by: 'close_timer' })]);
  expect(lc.db.get('skus', SKU.teeRed)).toEqual(expect.objectContaining({ stock: 99, holds: [] }));
  expect(lc.db.find('stock_movements', { kind: 'release' })).toHaveLength(0);
  expect(lc.db.find('payments', {})).toHaveLength(1);
});

test('a payment that lands on an order cancelled meanwhile is refunded automatically and alerted', async () => {
  const id = await newOrder(1);
  const t = lc.trade(id)!;
  // simulate WeChat accepting the payment even though the order was cancelled (callback arrives afterwards)
  lc.db.update('orders', id, { $set: { status: 'cancelled', cancelReason: 'timeout', releasePending: true } });
  const paid = await lc.pay(id);
  expect(paid.delivered).toBe(true);
  expect(lc.trade(id)!.state).toBe('REFUND');
  expect(lc.trade(id)!.refundedFee).toBe(t.totalFee);
  expect(lc.db.get('orders', id).status).toBe('cancelled');
  expect(lc.db.find('payments', {})).toEqual([expect.objectContaining({ result: 'late_refunded' })]);
  expect(lc.db.find('audit_logs', { action: 'payment.late_refund' })).toHaveLength(1);
  // redelivery refunds nothing twice
  await lc.redeliverPayment(id);
  expect(lc.trade(id)!.refunds).toHaveLength(1);
});

test('pay vs close race (close job twice in parallel): exactly one of paid/cancelled wins, stock released at most once', async () => {
  const tally: Record<string, number> = {};
  for (let i = 0; i < 6; i++) {
    lc.db.clear();
    seedShop(lc);
    const id = await newOrder(2, SKU.mug);
    // expired, but the timer has not run yet (advancing the clock would fire it)
    lc.db.update('orders', id, { $set: { expiresAt: lc.clock.now() - 1 } });
    const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const payFirst = i % 2 === 0;
    const [payRes] = await Promise.all([
      delay(payFirst ? 0 : 5 + i).then(() =>
        lc.pay(id).then(
          (r) => r,
          (e: Error) => e,
        ),
      ),
      delay(payFirst ? 2 * i : 0).then(() => lc.fireTimer('closeUnpaidOrders')),
      delay(payFirst ? 3 * i : 1).then(() => lc.fireTimer('closeUnpaidOrders')),
    ]);
    const order = lc.db.get('orders', id);
    const trade = lc.trade(id)!;
    const sku = lc.db.get('skus', SKU.mug);
    const releases = lc.db.find('stock_movements', { kind: 'release' });
    if (order.status === 'pending_shipment') {
      expect(trade.state).toBe('SUCCESS');
      expect(sku).toEqual(expect.objectContaining({ stock: 98, holds: [] }));
      expect(releases).toHaveLength(0);
    } else {
      expect(order.status).toBe('cancelled');
      expect(trade.state).toBe('CLOSED');
      expect(payRes).toBeInstanceOf(Error);
      expect(sku).toEqual(expect.objectContaining({ stock: 100, holds: [] }));
      expect(releases).toHaveLength(1);
    }
    expect(order.history).toHaveLength(1);
    tally[order.status] = (tally[order.status] ?? 0) + 1;
  }
  // eslint-disable-next-line no-console
  console.log('pay vs close outcomes', tally);
});

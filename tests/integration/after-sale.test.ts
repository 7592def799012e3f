/** 售后 through the real functions: refund (full and partial), return-and-refund, reject with a reason. */
import { startTestCloud, call, rid, type LocalCloud } from '../helpers/cloud';
import { seedShop, BUYER, BUYER2, MERCHANT, SKU } from '../helpers/fixtures';

jest.setTimeout(120_000);

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

async function paidOrder(lines: { skuId: string; qty: number }[]): Promise<string> {
  const r = await call(lc, 'order', 'create', { requestId: rid(), lines, addressId: `addr_${BUYER}` }, BUYER);
  if (!r.ok) throw new Error(JSON.stringify(r));
  const p = await lc.pay(r.data.order._id);
  if (!p.delivered) throw new Error('payment not delivered');
  return r.data.order._id;
}

const apply = (orderId: string, items: { lineId: string; qty: number }[], type = 'refund', openid = BUYER) =>
  call(lc, 'afterSale', 'apply', { orderId, type, items, reason: '尺码不合适' }, openid);

test('full refund of every line closes the order; the refund is idempotent on outRefundNo', async () => {
  // 3 × 5900 = 17700 goods (free shipping ≥ 9900)
  const id = await paidOrder([{ skuId: SKU.teeRed, qty: 3 }]);
  const a = await apply(id, [{ lineId: 'L1', qty: 3 }]);
  expect(a.ok).toBe(true);
  expect(a.data).toEqual(expect.objectContaining({ status: 'pending', refundFen: 17700, outRefundNo: a.data._id }));
  expect(lc.db.get('orders', id).openAfterSales).toBe(1);
  expect(await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'FORBIDDEN' }));
  const ok = await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
  expect(ok.ok).toBe(true);
  expect(ok.data.status).toBe('refunded');
  const order = lc.db.get('orders', id);
  expect(order.status).toBe('closed');
  expect(order.refundedFen).toBe(17700);
  expect(order.openAfterSales).toBe(0);
  expect(order.lines[0]).toEqual(expect.objectContaining({ refundedQty: 3, refundedFen: 17700 }));
  expect(order.history.at(-1)).toEqual(expect.objectContaining({ event: 'refund_all', to: 'closed' }));
  expect(lc.trade(id)!.refunds).toEqual([expect.objectContaining({ outRefundNo: a.data._id, refundFee: 17700 })]);
  // approving again changes nothing
  const again = await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
  expect(again.ok).toBe(true);
  expect(lc.trade(id)!.refunds).toHaveLength(1);
  expect(lc.db.get('orders', id).refundedFen).toBe(17700);
  expect(lc.db.find('audit_logs', { target: a.data._id }).map((x: { action: string }) => x.action).sort()).toEqual(['afterSales.approve', 'afterSales.refund']);
});

test('three concurrent approvals refund once', async () => {
  const id = await paidOrder([{ skuId: SKU.teeRed, qty: 2 }]);
  const a = await apply(id, [{ lineId: 'L1', qty: 1 }]);
  const rs = await Promise.all([1, 2, 3].map(() => call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT)));
  expect(rs.some((r) => r.ok && r.data.status === 'refunded')).toBe(true);
  expect(lc.trade(id)!.refunds).toHaveLength(1);
  const order = lc.db.get('orders', id);
  expect(order).toEqual(expect.objectContaining({ refundedFen: 5900, openAfterSales: 0, status: 'pending_shipment' }));
  expect(order.lines[0]).toEqual(expect.objectContaining({ refundedQty: 1, refundedFen: 5900 }));
  expect(lc.db.get('after_sales', a.data._id).status).toBe('refunded');
  const list = await call(lc, 'admin', 'afterSales.list', { status: 'refunded' }, MERCHANT);
  expect(list.data.items.map((x: { _id: string }) => x._id)).toEqual([a.data._id]);
});

test('a full refund before shipping also returns the shipping fee', async () => {
  // 1 mug = 2500 + shipping 1000 (below the 99 元 free-shipping threshold)
  const id = await paidOrder([{ skuId: SKU.mug, qty: 1 }]);
  expect(lc.db.get('orders', id).payableFen).toBe(3500);
  const a = await apply(id, [{ lineId: 'L1', qty: 1 }]);
  const r = await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
  expect(r.data).toEqual(expect.objectContaining({ status: 'refunded', refundFen: 3500 }));
  expect(lc.trade(id)!.refundedFee).toBe(3500);
  expect(lc.db.get('orders', id)).toEqual(expect.objectContaining({ status: 'closed', refundedFen: 3500 }));
});

test('partial refunds add up exactly to the line payable and leave the order open until everything is refunded', async () => {
  // a 满减-free order of 3 mugs at 2500 = 7500 + shipping 1000
  const id = await paidOrder([{ skuId: SKU.mug, qty: 3 }, { skuId: SKU.teeRed, qty: 1 }]);
  const o = lc.db.get('orders', id);
  const mug = o.lines.find((l: { skuId: string }) => l.skuId === SKU.mug);
  const preview = await call(lc, 'afterSale', 'quote', { orderId: id, items: [{ lineId: mug.lineId, qty: 1 }] }, BUYER);
  expect(preview.data.refundFen).toBe(Math.floor(mug.payable / 3));
  const a1 = await apply(id, [{ lineId: mug.lineId, qty: 1 }]);
  expect(a1.data.refundFen).toBe(Math.floor(mug.payable / 3));
  const seen = await call(lc, 'admin', 'afterSales.detail', { id: a1.data._id }, MERCHANT);
  expect(seen.data.afterSale._id).toBe(a1.data._id);
  expect(seen.data.order._id).toBe(id);
  // one open after-sale per line
  expect(await apply(id, [{ lineId: mug.lineId, qty: 1 }])).toEqual(expect.objectContaining({ ok: false, code: 'AFTER_SALE_OPEN' }));
  await call(lc, 'admin', 'afterSales.approve', { id: a1.data._id }, MERCHANT);
  const a2 = await apply(id, [{ lineId: mug.lineId, qty: 2 }]);
  expect(a2.ok).toBe(true);
  expect(await apply(id, [{ lineId: 'L9', qty: 1 }])).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
  await call(lc, 'admin', 'afterSales.approve', { id: a2.data._id }, MERCHANT);
  let order = lc.db.get('orders', id);
  const line = order.lines.find((l: { skuId: string }) => l.skuId === SKU.mug);
  expect(line).toEqual(expect.objectContaining({ refundedQty: 3, refundedFen: mug.payable }));
  expect(order.status).toBe('pending_shipment');
  // more than remains is refused
  expect(await apply(id, [{ lineId: mug.lineId, qty: 1 }])).toEqual(expect.objectContaining({ ok: false, code: 'AFTER_SALE_QTY_EXCEEDED' }));
  const tee = order.lines.find((l: { skuId: string }) => l.skuId === SKU.teeRed);
  const a3 = await apply(id, [{ lineId: tee.lineId, qty: 1 }]);
  await call(lc, 'admin', 'afterSales.approve', { id: a3.data._id }, MERCHANT);
  order = lc.db.get('orders', id);
  expect(order.status).toBe('closed');
  expect(order.refundedFen).toBe(o.lines.reduce((s: number, l: { payable: number }) => s + l.payable, 0));
  expect(lc.trade(id)!.refundedFee).toBe(order.refundedFen);
});

test('reject with a reason; the buyer may apply again afterwards; other buyers cannot apply', async () => {
  const id = await paidOrder([{ skuId: SKU.teeBlue, qty: 2 }]);
  expect(await apply(id, [{ lineId: 'L1', qty: 1 }], 'refund', BUYER2)).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
  const a = await apply(id, [{ lineId: 'L1', qty: 1 }]);
  const noReason = await call(lc, 'admin', 'afterSales.reject', { id: a.data._id, reason: '' }, MERCHANT);
  expect(noReason).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_INPUT', message: '请填写拒绝原因' }));
  const r = await call(lc, 'admin', 'afterSales.reject', { id: a.data._id, reason: '商品已拆封影响二次销售' }, MERCHANT);
  expect(r.ok).toBe(true);
  expect(r.data).toEqual(expect.objectContaining({ status: 'rejected', merchantReason: '商品已拆封影响二次销售' }));
  expect(lc.db.get('orders', id)).toEqual(expect.objectContaining({ openAfterSales: 0, refundedFen: 0, status: 'pending_shipment' }));
  expect(lc.trade(id)!.refunds).toHaveLength(0);
  expect(lc.db.find('audit_logs', { action: 'afterSales.reject' })).toHaveLength(1);
  const again = await apply(id, [{ lineId: 'L1', qty: 2 }]);
  expect(again.ok).toBe(true);
});

test('return and refund: approve → awaiting return → buyer ships back → merchant receives → refunded', async () => {
  const id = await paidOrder([{ skuId: SKU.teeRed, qty: 2 }]);
  expect(await apply(id, [{ lineId: 'L1', qty: 1 }], 'return_refund')).toEqual(expect.objectContaining({ ok: false, code: 'AFTER_SALE_NOT_ALLOWED' }));
  await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: 'SF0000000002' }, MERCHANT);
  const a = await apply(id, [{ lineId: 'L1', qty: 1 }], 'return_refund');
  expect(a.ok).toBe(true);
  const approved = await call(lc, 'admin', 'afterSales.approve', { id: a.data._id }, MERCHANT);
  expect(approved.data.status).toBe('awaiting_return');
  expect(lc.trade(id)!.refunds).toHaveLength(0);
  const shipped = await call(lc, 'afterSale', 'returnShipping', { id: a.data._id, carrier: '中通', trackingNo: 'ZT123456789' }, BUYER);
  expect(shipped.data).toEqual(expect.objectContaining({ carrier: '中通', trackingNo: 'ZT123456789', status: 'awaiting_return' }));
  const received = await call(lc, 'admin', 'afterSales.receive', { id: a.data._id }, MERCHANT);
  expect(received.ok).toBe(true);
  expect(received.data.status).toBe('refunded');
  expect(lc.trade(id)!.refunds).toEqual([expect.objectContaining({ refundFee: 5900 })]);
  const order = lc.db.get('orders', id);
  expect(order.status).toBe('shipped');
  expect(order.refundedFen).toBe(5900);
  const mine = await call(lc, 'afterSale', 'list', {}, BUYER);
  expect(mine.data.items.map((x: { _id: string }) => x._id)).toEqual([a.data._id]);
  expect(await call(lc, 'afterSale', 'detail', { id: a.data._id }, BUYER2)).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
});

test('after-sale on an unpaid order or after the return window is refused', async () => {
  const r = await call(lc, 'order', 'create', { requestId: rid(), lines: [{ skuId: SKU.mug, qty: 1 }], addressId: `addr_${BUYER}` }, BUYER);
  expect(await apply(r.data.order._id, [{ lineId: 'L1', qty: 1 }])).toEqual(expect.objectContaining({ ok: false, code: 'AFTER_SALE_NOT_ALLOWED' }));
  const id = await paidOrder([{ skuId: SKU.mug, qty: 1 }]);
  await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: 'SF0000000003' }, MERCHANT);
  await call(lc, 'order', 'confirm', { id }, BUYER);
  await lc.clock.advance(7 * 86400e3 + 1000);
  const late = await apply(id, [{ lineId: 'L1', qty: 1 }]);
  expect(late).toEqual(expect.objectContaining({ ok: false, code: 'AFTER_SALE_NOT_ALLOWED' }));
  expect(late.message).toMatch(/售后期限/);
});

/**
 * The shopper's buying path through the real built functions and the real wx-server-sdk on the local cloud:
 * catalogue, quote, create (server-side price, idempotent), bad input, pay, cancel, ship, confirm, role gate.
 */
import { startTestCloud, call, rid, type LocalCloud } from '../helpers/cloud';
import { seedShop, snapshot, BUYER, BUYER2, MERCHANT, SKU } from '../helpers/fixtures';

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
  seedShop(lc, { promotions: true });
});

const create = (fields: Record<string, unknown>, openid = BUYER) =>
  call(lc, 'order', 'create', { requestId: rid(), addressId: `addr_${openid}`, ...fields }, openid);

describe('catalogue', () => {
  test('home lists categories, on-shelf products and active promotions', async () => {
    const r = await call(lc, 'catalog', 'home', {}, BUYER);
    expect(r.ok).toBe(true);
    expect(r.data.categories.map((c: { _id: string }) => c._id)).toEqual(['cat_clothes', 'cat_clothes_tee', 'cat_home']);
    const ids = r.data.feed.items.map((p: { _id: string }) => p._id);
    expect(ids).toEqual(expect.arrayContaining(['p_tee', 'p_mug', 'p_scarce']));
    expect(ids).not.toContain('p_old');
    expect(r.data.promotions.map((p: { id: string }) => p.id)).toEqual(['promo_mug']);
    const mug = r.data.feed.items.find((p: { _id: string }) => p._id === 'p_mug');
    expect(mug).toEqual(expect.objectContaining({ minPrice: 2500, promoPrice: 2000 }));
    expect(r.data.feed.items.find((p: { _id: string }) => p._id === 'p_tee').promoPrice).toBeUndefined();
  });

  test('products by parent category include its children; keyword search; price sort', async () => {
    const byCat = await call(lc, 'catalog', 'products', { categoryId: 'cat_clothes' }, BUYER);
    expect(byCat.data.items.map((p: { _id: string }) => p._id)).toEqual(['p_tee']);
    const byKw = await call(lc, 'catalog', 'products', { keyword: '马克' }, BUYER);
    expect(byKw.data.items.map((p: { _id: string }) => p._id)).toEqual(['p_mug']);
    const sorted = await call(lc, 'catalog', 'products', { sort: 'price_asc' }, BUYER);
    expect(sorted.data.items.map((p: { minPrice: number }) => p.minPrice)).toEqual([1000, 2500, 5900]);
    const paged = await call(lc, 'catalog', 'products', { pageSize: 2, page: 1 }, BUYER);
    expect(paged.data.items).toHaveLength(2);
    expect(paged.data.hasMore).toBe(true);
  });

  test('product page carries SKUs with price and stock and the promotion badge; unknown → NOT_FOUND', async () => {
    const r = await call(lc, 'catalog', 'product', { id: 'p_mug' }, BUYER);
    expect(r.ok).toBe(true);
    expect(r.data.skus).toEqual([expect.objectContaining({ _id: SKU.mug, price: 2500, stock: 100 })]);
    expect(r.data.skus[0].holds).toBeUndefined();
    expect(r.data.promotions.discount).toEqual(expect.objectContaining({ promotionId: 'promo_mug', minPrice: 2000 }));
    const missing = await call(lc, 'catalog', 'product', { id: 'nope' }, BUYER);
    expect(missing).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
  });
});

describe('quote and create', () => {
  test('quote prices from the database with promotions and shipping', async () => {
    const r = await call(lc, 'order', 'quote', { lines: [{ skuId: SKU.mug, qty: 2 }] }, BUYER);
    expect(r.ok).toBe(true);
    // 2500 × 80% = 2000 each, 4000 goods < 9900 → shipping 1000
    expect(r.data).toEqual(expect.objectContaining({ goodsFen: 4000, discountFen: 0, shippingFen: 1000, payableFen: 5000 }));
  });

  test('a tampered price/amount/status/openid in the payload is ignored: server figure charged, caller owns the order', async () => {
    const r = await create({
      lines: [{ skuId: SKU.teeRed, qty: 1, price: 1, unitPrice: 1 }],
      payableFen: 1,
      totalFee: 1,
      amount: 1,
      status: 'pending_shipment',
      openid: BUYER2,
    });
    expect(r.ok).toBe(true);
    const order = lc.db.get('orders', r.data.order._id);
    expect(order.payableFen).toBe(5900 + 1000);
    expect(order.status).toBe('pending_payment');
    expect(order.openid).toBe(BUYER);
    expect(order.lines[0]).toEqual(expect.objectContaining({ skuId: SKU.teeRed, unitPrice: 5900, qty: 1, payable: 5900 }));
    const trade = lc.trade(order._id)!;
    expect(trade.totalFee).toBe(6900);
    expect(trade.functionName).toBe('payCallback');
    expect(trade.openid).toBe(BUYER);
    expect(r.data.payment).toEqual(expect.objectContaining({ package: expect.stringMatching(/^prepay_id=/), paySign: expect.any(String) }));
    expect(lc.db.get('skus', SKU.teeRed)).toEqual(expect.objectContaining({ stock: 99, sold: 1, holds: [order._id] }));
    expect(lc.db.find('stock_movements', { orderId: order._id })).toEqual([
      expect.objectContaining({ _id: `${order._id}:${SKU.teeRed}:reserve`, kind: 'reserve', qty: -1 }),
    ]);
  });

  test('the same requestId twice (and concurrently) gives one order and takes the stock once', async () => {
    const requestId = rid('dup');
    const fields = { requestId, lines: [{ skuId: SKU.teeBlue, qty: 3 }] };
    const first = await create(fields);
    const again = await Promise.all([create(fields), create(fields), create(fields)]);
    expect(first.ok).toBe(true);
    for (const r of again) {
      expect(r.ok).toBe(true);
      expect(r.data.order._id).toBe(first.data.order._id);
    }
    expect(lc.db.find('orders', {})).toHaveLength(1);
    expect(lc.db.get('skus', SKU.teeBlue).stock).toBe(97);
    expect(lc.db.find('stock_movements', {})).toHaveLength(1);
    // a different buyer with the same requestId gets a different order
    const other = await create(fields, BUYER2);
    expect(other.data.order._id).not.toBe(first.data.order._id);
  });

  test('an address snapshot instead of a saved address id is kept on the order', async () => {
    const address = { name: '小李', phone: '13900000000', region: ['浙江省', '杭州市', '西湖区'], detail: '文三路 100 号' };
    const r = await create({ addressId: undefined, address, lines: [{ skuId: SKU.mug, qty: 1 }] });
    expect(r.ok).toBe(true);
    expect(lc.db.get('orders', r.data.order._id).address).toEqual(expect.objectContaining(address));
  });

  test('a multi-SKU order where one SKU is short leaves every stock unchanged', async () => {
    lc.db.update('skus', SKU.teeRed, { $set: { stock: 1 } });
    const before = snapshot(lc);
    const r = await create({ lines: [{ skuId: SKU.mug, qty: 2 }, { skuId: SKU.teeRed, qty: 2 }] });
    expect(r).toEqual(expect.objectContaining({ ok: false, code: 'OUT_OF_STOCK' }));
    expect(r.message).toMatch(/库存不足/);
    expect(snapshot(lc)).toBe(before);
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing lines', { lines: undefined }, 'INVALID_INPUT', /请选择要购买的商品/],
    ['empty lines', { lines: [] }, 'INVALID_INPUT', /请选择要购买的商品/],
    ['missing requestId', { requestId: undefined, lines: [{ skuId: SKU.mug, qty: 1 }] }, 'INVALID_INPUT', /请求编号/],
    ['missing addressId', { addressId: undefined, lines: [{ skuId: SKU.mug, qty: 1 }] }, 'INVALID_INPUT', /收货地址/],
    ['qty as a string', { lines: [{ skuId: SKU.mug, qty: '2' }] }, 'INVALID_INPUT', /数量必须是正整数/],
    ['negative qty', { lines: [{ skuId: SKU.mug, qty: -1 }] }, 'INVALID_INPUT', /数量必须是正整数/],
    ['qty 0', { lines: [{ skuId: SKU.mug, qty: 0 }] }, 'INVALID_INPUT', /数量必须是正整数/],
    ['fractional qty', { lines: [{ skuId: SKU.mug, qty: 1.5 }] }, 'INVALID_INPUT', /数量必须是正整数/],
    ['remark too long', { lines: [{ skuId: SKU.mug, qty: 1 }], remark: '长'.repeat(201) }, 'INVALID_INPUT', /备注不能超过200个字/],
    ['unknown SKU', { lines: [{ skuId: 'sku_nope', qty: 1 }] }, 'UNKNOWN_SKU', /商品规格不存在/],
    ['off-shelf product', { lines: [{ skuId: SKU.offShelf, qty: 1 }] }, 'OFF_SHELF', /已下架/],
    ['out of stock', { lines: [{ skuId: SKU.scarce, qty: 6 }] }, 'OUT_OF_STOCK', /库存不足/],
    ['address snapshot with a bad phone', { addressId: undefined, address: { name: '小王', phone: '123', region: ['上海市', '上海市', '浦东新区'], detail: '世纪大道1号' }, lines: [{ skuId: SKU.mug, qty: 1 }] }, 'INVALID_INPUT', /手机号格式不正确/],
    ["someone else's address", { addressId: `addr_${BUYER2}`, lines: [{ skuId: SKU.mug, qty: 1 }] }, 'NOT_FOUND', /收货地址不存在/],
  ];
  test.each(bad)('bad input (%s) → Chinese error and nothing changed', async (_name, fields, code, message) => {
    const before = snapshot(lc);
    const r = await create(fields);
    expect(r).toEqual(expect.objectContaining({ ok: false, code }));
    expect(r.message).toMatch(message);
    expect(snapshot(lc)).toBe(before);
    expect(lc.trade(lc.db.find('orders', {})[0]?._id ?? 'none')).toBeUndefined();
  });

  test('an unexpected error (corrupt price in the database) becomes INTERNAL with the generic Chinese message', async () => {
    lc.db.update('skus', SKU.teeBlue, { $set: { price: 69.9 } });
    const before = snapshot(lc);
    const r = await create({ lines: [{ skuId: SKU.teeBlue, qty: 1 }] });
    expect(r).toEqual({ ok: false, code: 'INTERNAL', message: '系统繁忙，请稍后重试' });
    expect(snapshot(lc)).toBe(before);
  });

  test('an unknown action and a call without identity are refused', async () => {
    expect(await call(lc, 'order', 'nope', {}, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_INPUT' }));
    const anon = await lc.invoke('order', { action: 'quote', lines: [{ skuId: SKU.mug, qty: 1 }] }, { source: 'wx_client' });
    expect(anon).toEqual(expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' }));
  });
});

describe('after creation', () => {
  test('pay → 待发货; holds cleared; one payments doc; buyers only see their own orders', async () => {
    const r = await create({ lines: [{ skuId: SKU.teeRed, qty: 2 }] });
    const id = r.data.order._id;
    const paid = await lc.pay(id);
    expect(paid.delivered).toBe(true);
    const order = lc.db.get('orders', id);
    expect(order.status).toBe('pending_shipment');
    expect(order.transactionId).toBe(paid.trade.transactionId);
    expect(order.history).toEqual([expect.objectContaining({ from: 'pending_payment', to: 'pending_shipment', event: 'pay' })]);
    expect(lc.db.get('skus', SKU.teeRed)).toEqual(expect.objectContaining({ stock: 98, holds: [] }));
    expect(lc.db.find('payments', {})).toEqual([expect.objectContaining({ _id: paid.trade.transactionId, outTradeNo: id, totalFee: 11800, result: 'applied' })]);

    expect((await call(lc, 'order', 'detail', { id }, BUYER)).data.order._id).toBe(id);
    expect(await call(lc, 'order', 'detail', { id }, BUYER2)).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
    expect((await call(lc, 'order', 'list', { tab: 'pending_shipment' }, BUYER)).data.items).toHaveLength(1);
    expect((await call(lc, 'order', 'list', { tab: 'all' }, BUYER2)).data.items).toHaveLength(0);
    expect((await call(lc, 'order', 'counts', {}, BUYER)).data).toEqual({ pending_payment: 0, pending_shipment: 1, to_receive: 0, after_sale: 0 });
    // paying again is refused
    expect(await call(lc, 'order', 'pay', { orderId: id }, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'ALREADY_PAID' }));
  });

  test('order.pay returns fresh payment params for an unpaid, unexpired order', async () => {
    const r = await create({ lines: [{ skuId: SKU.mug, qty: 1 }] });
    const again = await call(lc, 'order', 'pay', { orderId: r.data.order._id }, BUYER);
    expect(again.ok).toBe(true);
    expect(again.data.payment.package).toMatch(/^prepay_id=/);
    expect(await call(lc, 'order', 'pay', { orderId: r.data.order._id }, BUYER2)).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
  });

  test('cancel unpaid → stock released exactly once, even when cancelled twice and concurrently with the timer', async () => {
    const r = await create({ lines: [{ skuId: SKU.teeRed, qty: 2 }, { skuId: SKU.mug, qty: 1 }] });
    const id = r.data.order._id;
    expect(lc.db.get('skus', SKU.teeRed).stock).toBe(98);
    await lc.clock.set(lc.db.get('orders', id).expiresAt + 1000);
    const [a, b] = await Promise.all([
      call(lc, 'order', 'cancel', { id }, BUYER),
      call(lc, 'order', 'cancel', { id }, BUYER),
      lc.fireTimer('closeUnpaidOrders'),
    ]);
    const c = await call(lc, 'order', 'cancel', { id }, BUYER);
    for (const x of [a, b, c]) expect(x.ok || x.code === 'ILLEGAL_TRANSITION').toBe(true);
    const order = lc.db.get('orders', id);
    expect(order.status).toBe('cancelled');
    expect(['buyer', 'timeout']).toContain(order.cancelReason);
    expect(order.releasePending).toBe(false);
    expect(order.history).toHaveLength(1);
    expect(lc.db.get('skus', SKU.teeRed)).toEqual(expect.objectContaining({ stock: 100, sold: 0, holds: [] }));
    expect(lc.db.get('skus', SKU.mug)).toEqual(expect.objectContaining({ stock: 100, sold: 0, holds: [] }));
    const releases = lc.db.find('stock_movements', { kind: 'release' });
    expect(releases.map((m: { _id: string }) => m._id).sort()).toEqual([`${id}:${SKU.mug}:release`, `${id}:${SKU.teeRed}:release`]);
    expect(lc.trade(id)!.state).toBe('CLOSED');
  });

  test('merchant ships, buyer confirms; a shopper calling admin gets FORBIDDEN; every merchant action is audited', async () => {
    const r = await create({ lines: [{ skuId: SKU.mug, qty: 1 }] });
    const id = r.data.order._id;
    await lc.pay(id);
    const forbidden = await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: 'SF1234567890' }, BUYER);
    expect(forbidden).toEqual(expect.objectContaining({ ok: false, code: 'FORBIDDEN' }));
    expect(await call(lc, 'admin', 'orders.list', {}, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'FORBIDDEN' }));
    // the role gate comes before input validation: nothing about the admin API leaks to a shopper
    expect(await call(lc, 'admin', 'orders.ship', {}, BUYER)).toEqual(expect.objectContaining({ ok: false, code: 'FORBIDDEN' }));
    expect(lc.db.get('orders', id).status).toBe('pending_shipment');

    const badNo = await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: '单号' }, MERCHANT);
    expect(badNo).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_INPUT', message: '快递单号格式不正确' }));
    const shipped = await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: 'SF1234567890' }, MERCHANT);
    expect(shipped.ok).toBe(true);
    expect(shipped.data).toEqual(expect.objectContaining({ status: 'shipped', carrier: '顺丰', trackingNo: 'SF1234567890' }));
    expect(lc.db.find('audit_logs', { action: 'orders.ship' })).toEqual([expect.objectContaining({ actor: MERCHANT, target: id })]);
    const list = await call(lc, 'admin', 'orders.list', { status: 'shipped' }, MERCHANT);
    expect(list.data.items.map((o: { _id: string }) => o._id)).toEqual([id]);
    const byPhone = await call(lc, 'admin', 'orders.list', { keyword: '13800138000' }, MERCHANT);
    expect(byPhone.data.items.map((o: { _id: string }) => o._id)).toEqual([id]);
    const byIdAndStatus = await call(lc, 'admin', 'orders.list', { keyword: id, status: 'pending_payment' }, MERCHANT);
    expect(byIdAndStatus.data.items).toHaveLength(0);
    const detail = await call(lc, 'admin', 'orders.detail', { id }, MERCHANT);
    expect(detail.data.order._id).toBe(id);

    expect(await call(lc, 'order', 'confirm', { id }, BUYER2)).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
    const confirmed = await call(lc, 'order', 'confirm', { id }, BUYER);
    expect(confirmed.data.status).toBe('completed');
    expect(lc.db.get('orders', id).history.map((h: { event: string }) => h.event)).toEqual(['pay', 'ship', 'confirm_receipt']);
  });

  test('auto-confirm: a shipped order completes after autoConfirmDays, not before', async () => {
    const r = await create({ lines: [{ skuId: SKU.mug, qty: 1 }] });
    const id = r.data.order._id;
    await lc.pay(id);
    await call(lc, 'admin', 'orders.ship', { id, carrier: '顺丰', trackingNo: 'SF0000000001' }, MERCHANT);
    await lc.clock.advance(9 * 86400e3);
    await lc.fireTimer('autoConfirmReceipt');
    expect(lc.db.get('orders', id).status).toBe('shipped');
    await lc.clock.advance(1 * 86400e3 + 60e3);
    await lc.fireTimer('autoConfirmReceipt');
    const order = lc.db.get('orders', id);
    expect(order.status).toBe('completed');
    expect(order.history.at(-1)).toEqual(expect.objectContaining({ event: 'auto_confirm', by: 'system' }));
  });
});

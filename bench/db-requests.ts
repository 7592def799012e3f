/**
 * Database requests per use case, read from the local cloud's counters (CloudBase bills per request).
 * Targets: create order ≤ 3 + 1 per SKU; pay callback ≤ 4. Prints figures; asserts nothing.
 */
import { seededCloud, call, countRequests, dbTotal, requestId, SHOPPER, MERCHANT, type LocalCloud } from './common';

/** The shopper's default address as the client sends it with an order (a snapshot, no extra read). */
async function firstAddress(lc: LocalCloud): Promise<Record<string, unknown>> {
  const list = await call<any>(lc, 'user', { action: 'addresses.list' });
  const a = (list.items ?? list)[0];
  return { id: a._id, name: a.name, phone: a.phone, region: a.region, detail: a.detail };
}

async function main(): Promise<void> {
  const lc = await seededCloud();
  try {
    const rows: [string, Record<string, number>][] = [];
    await call(lc, 'user', { action: 'login' });
    const address = await firstAddress(lc);
    const home = await call<any>(lc, 'catalog', { action: 'home' }); // warm
    rows.push(['home page (catalog.home)', await countRequests(lc, () => call(lc, 'catalog', { action: 'home' }))]);
    const product = home.feed.items[0];
    rows.push(['product page (catalog.product)', await countRequests(lc, () => call(lc, 'catalog', { action: 'product', id: product._id }))]);
    const detail = await call<any>(lc, 'catalog', { action: 'product', id: product._id });
    const skus = (detail.skus as any[]).filter((s) => s.stock > 10);
    const create = (n: number) => call<any>(lc, 'order', {
      action: 'create', requestId: requestId(), address,
      lines: skus.slice(0, n).map((s) => ({ skuId: s._id, qty: 1 })),
    });
    await create(1); // warm instance (settings/promotions cache)
    let order: any;
    for (const n of [1, Math.min(2, skus.length), Math.min(3, skus.length)]) {
      rows.push([`create order, ${n} SKU (warm)`, await countRequests(lc, async () => { order = await create(n); })]);
    }
    const orderId = order.order._id;
    rows.push(['pay callback (sandbox pay → payCallback)', await countRequests(lc, () => lc.pay(orderId))]);
    await call(lc, 'admin', { action: 'orders.ship', id: orderId, carrier: '顺丰速运', trackingNo: 'SF100200300' }, MERCHANT);
    rows.push(['confirm receipt (order.confirm)', await countRequests(lc, () => call(lc, 'order', { action: 'confirm', id: orderId }, SHOPPER))]);

    console.log('\nDatabase requests per use case (local cloud counters)\n');
    console.log('use case'.padEnd(44) + 'db requests'.padStart(12) + '   breakdown');
    for (const [name, c] of rows) {
      const detailText = Object.entries(c).map(([k, v]) => `${k.replace('database.', '')}×${v}`).join(', ');
      console.log(name.padEnd(44) + String(dbTotal(c)).padStart(12) + '   ' + detailText);
    }
    console.log('\ntargets: create order ≤ 3 + 1 per SKU; pay callback ≤ 4');
  } finally {
    await lc.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Checkout throughput on the local cloud: 8 concurrent buyers each creating and paying orders.
 * Prints orders/second and latency percentiles; asserts nothing.
 */
import { seededCloud, call, requestId } from './common';

const BUYERS = 8;
const ORDERS_PER_BUYER = Number(process.env.ORDERS_PER_BUYER ?? 10);

async function main(): Promise<void> {
  const lc = await seededCloud();
  try {
    const home = await call<any>(lc, 'catalog', { action: 'home' });
    const detail = await call<any>(lc, 'catalog', { action: 'product', id: home.feed.items[0]._id });
    const sku = (detail.skus as any[]).sort((a, b) => b.stock - a.stock)[0];
    lc.db.update('skus', sku._id, { $set: { stock: 1_000_000 } });
    const buyers = Array.from({ length: BUYERS }, (_, i) => `o_bench_buyer_${i}`);
    const addressOf: Record<string, string> = {};
    for (const b of buyers) {
      await call(lc, 'user', { action: 'login' }, b);
      const saved = await call<any>(lc, 'user', {
        action: 'addresses.save',
        address: { name: '测试', phone: '13800000000', region: ['上海市', '上海市', '浦东新区'], detail: '世纪大道1号', isDefault: true },
      }, b);
      addressOf[b] = saved._id;
    }
    // Warm-up round (not measured): one order per buyer concurrently, so every function has its warm
    // instances, as in steady-state production. Cold starts are reported separately.
    const tc = Date.now();
    await Promise.all(buyers.map(async (b) => {
      const r = await call<any>(lc, 'order', { action: 'create', requestId: requestId(), addressId: addressOf[b], lines: [{ skuId: sku._id, qty: 1 }] }, b);
      await lc.pay(r.order._id);
    }));
    console.log(`\nwarm-up (cold instances): ${BUYERS} concurrent orders in ${Date.now() - tc} ms`);
    const latencies: number[] = [];
    const t0 = Date.now();
    await Promise.all(buyers.map(async (b) => {
      for (let i = 0; i < ORDERS_PER_BUYER; i++) {
        const s = Date.now();
        const r = await call<any>(lc, 'order', { action: 'create', requestId: requestId(), addressId: addressOf[b], lines: [{ skuId: sku._id, qty: 1 }] }, b);
        await lc.pay(r.order._id);
        latencies.push(Date.now() - s);
      }
    }));
    const secs = (Date.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(`\nCheckout throughput (create + sandbox pay), ${BUYERS} concurrent buyers × ${ORDERS_PER_BUYER} orders`);
    console.log(`  ${latencies.length} orders in ${secs.toFixed(2)} s = ${(latencies.length / secs).toFixed(1)} orders/s`);
    console.log(`  latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies[latencies.length - 1]} ms`);
  } finally {
    await lc.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

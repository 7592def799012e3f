/**
 * End-to-end check of the tcb-admin-node ops path against an in-memory local cloud:
 * seed (with uploadFile + doc.set) → read every document back (--verify) → re-run (idempotent) →
 * --if-empty (no-op) → --reset → export with paging. Exits non-zero on the first failure.
 *
 *   npx tsx scripts/seed/smoke.ts
 */
import * as assert from 'assert';
import { startLocalCloud } from '../../localcloud';
import { main as seed } from './seed';
import { exportCollection } from '../ops/export';
import { connect } from '../ops/tcb-connect';
import { renderImages } from './images';

async function run(): Promise<void> {
  const lc = await startLocalCloud({ dataDir: null, port: 0, timers: false });
  try {
    const args = { url: lc.url };
    const first = await seed({ ...args, verify: true });
    assert.ok(first, 'seed returned nothing');
    const counts = (c: string) => lc.db.count(c);
    const before = Object.fromEntries(Object.keys(first.docs).map((c) => [c, counts(c)]));
    assert.deepStrictEqual(before, first.docs, 'document counts after the first seed');

    const images = renderImages();
    for (const [path, buf] of [...images].slice(0, 5)) {
      const res = await fetch(`${lc.url}/storage/${path}`);
      assert.strictEqual(res.status, 200, `GET /storage/${path}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(buf), `bytes of ${path}`);
    }
    const p001 = lc.db.get('products', 'p001') as { images: string[] };
    assert.strictEqual(p001.images[0], '/storage/products/p001-1.png');

    await seed({ ...args });
    assert.deepStrictEqual(Object.fromEntries(Object.keys(first.docs).map((c) => [c, counts(c)])), before, 'a second seed must not duplicate');
    assert.strictEqual(await seed({ ...args, 'if-empty': true }), null, '--if-empty must skip a seeded shop');

    lc.db.insert('products', { _id: 'p999', title: 'stray' });
    await seed({ ...args, reset: true, 'no-images': true });
    assert.strictEqual(lc.db.get('products', 'p999'), null, '--reset must remove stray documents');
    assert.strictEqual(counts('products'), first.docs.products);

    const ids: string[] = [];
    let pages = 0;
    const n = await exportCollection(connect(args), 'skus', (docs) => {
      pages++;
      ids.push(...docs.map((d) => String(d._id)));
    }, 50);
    assert.strictEqual(n, first.docs.skus);
    assert.strictEqual(new Set(ids).size, n, 'export pages must not overlap');
    assert.strictEqual(pages, Math.ceil(n / 50));
    console.log(`smoke ok: seeded ${JSON.stringify(first.docs)}, ${first.files} images; export ${n} skus in ${pages} pages`);
  } finally {
    await lc.stop();
  }
}

run().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('smoke FAILED:', e);
    process.exit(1);
  },
);

/**
 * Contract: the REAL tcb-admin-node 1.23.0 (legacy @cloudbase/database 0.9.15 dialect:
 * database.addDocument/queryDocument/updateDocument/deleteDocument/countDocument/aggregate) against localcloud/db.
 * This is what an ops/seed script uses.
 */
import { Database } from '../../localcloud/db';
import { DbServer, startDbServer } from './helpers/db-server';

const NOW = Date.UTC(2026, 2, 4, 5, 6, 7);
let db: Database;
let srv: DbServer;
let tdb: any;
let _: any;

beforeAll(async () => {
  db = new Database({ file: null, now: () => NOW, collections: ['products', 'settings'] });
  srv = await startDbServer(db);
  process.env.SILENCE = 'true';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tcb = require('tcb-admin-node');
  tcb.init({ secretId: 'x', secretKey: 'x', env: 'local-env', serviceUrl: srv.url, timeout: 5000 });
  tdb = tcb.database();
  _ = tdb.command;
});

afterAll(async () => {
  await srv.close();
  db.close();
});

beforeEach(() => {
  db.clear();
  srv.actions.length = 0;
});

test('add → _id, with Date and serverDate; doc get returns Dates', async () => {
  const at = new Date(Date.UTC(2025, 0, 1));
  const r = await tdb.collection('products').add({ title: '茶叶', price: 5900, at, createdAt: tdb.serverDate() });
  expect(srv.actions).toEqual(['database.addDocument']);
  expect(typeof r.id).toBe('string');
  expect(r.id).toMatch(/^[0-9a-f]{32}$/);
  expect(db.get('products', r.id)).toEqual({ _id: r.id, title: '茶叶', price: 5900, at, createdAt: new Date(NOW) });
  const got = await tdb.collection('products').doc(r.id).get();
  expect(got.data).toEqual([{ _id: r.id, title: '茶叶', price: 5900, at, createdAt: new Date(NOW) }]);
  expect(got.data[0].at).toBeInstanceOf(Date);
});

test('where get with orderBy/skip/limit and operators', async () => {
  for (let i = 1; i <= 8; i++) db.insert('products', { _id: `p${i}`, price: i * 100, status: i % 2 ? 'on_shelf' : 'draft' });
  const r = await tdb.collection('products').where({ status: 'on_shelf', price: _.gt(100) }).orderBy('price', 'desc').skip(1).limit(2).get();
  expect(srv.actions).toContain('database.queryDocument');
  expect(r.data.map((d: any) => d._id)).toEqual(['p5', 'p3']);
  const all = await tdb.collection('products').where({ _id: _.in(['p1', 'p2', 'zz']) }).get();
  expect(all.data.map((d: any) => d._id).sort()).toEqual(['p1', 'p2']);
});

test('doc set (upsert + replace) and doc update (merge + operators)', async () => {
  const s = await tdb.collection('settings').doc('shop').set({ shippingFen: 800, freeShippingOverFen: 9900 });
  expect(s.code).toBeUndefined();
  expect(db.get('settings', 'shop')).toEqual({ _id: 'shop', shippingFen: 800, freeShippingOverFen: 9900 });
  const s2 = await tdb.collection('settings').doc('shop').set({ shippingFen: 600 });
  expect(s2.updated).toBe(1);
  expect(db.get('settings', 'shop')).toEqual({ _id: 'shop', shippingFen: 600 });
  const u = await tdb.collection('settings').doc('shop').update({ shippingFen: _.inc(100), nested: { a: 1 }, at: tdb.serverDate() });
  expect(u.updated).toBe(1);
  expect(db.get('settings', 'shop')).toEqual({ _id: 'shop', shippingFen: 700, nested: { a: 1 }, at: new Date(NOW) });
  const u0 = await tdb.collection('settings').doc('missing').update({ a: 1 });
  expect(u0.updated).toBe(0);
});

test('where update, count, where remove, doc remove', async () => {
  for (let i = 1; i <= 5; i++) db.insert('products', { _id: `p${i}`, n: i });
  const u = await tdb.collection('products').where({ n: _.lte(3) }).update({ flag: true });
  expect(u.updated).toBe(3);
  const c = await tdb.collection('products').where({ flag: true }).count();
  expect(c.total).toBe(3);
  expect(srv.actions).toContain('database.countDocument');
  const rm = await tdb.collection('products').where({ flag: true }).remove();
  expect(rm.deleted).toBe(3);
  const rm1 = await tdb.collection('products').doc('p4').remove();
  expect(rm1.deleted).toBe(1);
  expect(db.find('products').map((d) => d._id)).toEqual(['p5']);
});

test('aggregate (legacy database.aggregate)', async () => {
  for (let i = 1; i <= 6; i++) db.insert('products', { cat: i % 2 ? 'odd' : 'even', price: i });
  const r = await tdb.collection('products').aggregate().match({ price: _.gt(1) }).group({ _id: '$cat', sum: { $sum: '$price' } }).sort({ sum: -1 }).end();
  expect(r.data).toEqual([
    { _id: 'even', sum: 12 },
    { _id: 'odd', sum: 8 },
  ]);
});

test('errors: unknown collection and duplicate _id come back as {code, message}', async () => {
  const r = await tdb.collection('nope').where({}).get();
  expect(r.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
  db.insert('products', { _id: 'd' });
  const d = await tdb.collection('products').add({ _id: 'd', x: 1 });
  expect(d.code).toBe('DATABASE_REQUEST_FAILED');
  expect(d.message).toMatch(/E11000 duplicate key/);
});

test('legacy runTransaction (getInTransaction/updateDocInTransaction/insertDocInTransaction/deleteDocInTransaction)', async () => {
  db.insert('products', { _id: 'a', stock: 5 });
  db.insert('products', { _id: 'gone', stock: 1 });
  const res = await tdb.runTransaction(async (t: any) => {
    const a = (await t.collection('products').doc('a').get()).data;
    await t.collection('products').doc('a').update({ stock: _.inc(-2), at: tdb.serverDate() });
    await t.collection('products').add({ _id: 'b', stock: 1 });
    await t.collection('products').doc('c').set({ stock: 9 });
    await t.collection('products').doc('gone').delete();
    expect(db.get('products', 'a').stock).toBe(5); // not yet visible
    return a.stock;
  });
  expect(res).toBe(5);
  expect(srv.actions).toEqual(
    expect.arrayContaining(['database.getInTransaction', 'database.updateDocInTransaction', 'database.insertDocInTransaction', 'database.deleteDocInTransaction', 'database.commitTransaction']),
  );
  expect(db.get('products', 'a')).toEqual({ _id: 'a', stock: 3, at: new Date(NOW) });
  expect(db.get('products', 'b')).toEqual({ _id: 'b', stock: 1 });
  expect(db.get('products', 'c')).toEqual({ _id: 'c', stock: 9 });
  expect(db.get('products', 'gone')).toBeNull();
});

/**
 * Contract: the REAL wx-server-sdk 4.0.2 (→ @cloudbase/node-sdk 3.17.2 → @cloudbase/database 1.4.3) against
 * localcloud/db through a minimal /admin HTTP server.
 */
import { Database } from '../../localcloud/db';
import { DbServer, loadWxServerSdk, startDbServer } from './helpers/db-server';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
let clock = NOW;
let db: Database;
let srv: DbServer;
let cloud: any;
let wdb: any;
let _: any;

beforeAll(async () => {
  db = new Database({ file: null, now: () => clock, collections: ['items', 'skus', 'orders', 'accounts'] });
  srv = await startDbServer(db);
  cloud = loadWxServerSdk(srv.url);
  wdb = cloud.database();
  _ = wdb.command;
});

afterAll(async () => {
  await srv.close();
  db.close();
});

beforeEach(() => {
  db.clear();
  clock = NOW;
  srv.actions.length = 0;
  srv.bodies.length = 0;
});

describe('add / doc get', () => {
  test('add single → _id (32 hex) and doc get returns it with Date revived', async () => {
    const at = new Date(Date.UTC(2025, 5, 1));
    const r = await wdb.collection('items').add({ data: { name: '苹果', price: 1999, at, tags: ['a'] } });
    expect(r._id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.errMsg).toBe('collection.add:ok');
    const got = await wdb.collection('items').doc(r._id).get();
    expect(got.data).toEqual({ _id: r._id, name: '苹果', price: 1999, at, tags: ['a'] });
    expect(got.data.at).toBeInstanceOf(Date);
    expect(typeof got.data.price).toBe('number');
  });

  test('add array → _ids; client-chosen _id is honoured', async () => {
    const r = await wdb.collection('items').add({ data: [{ _id: 'x1', n: 1 }, { n: 2 }] });
    expect(r._ids).toHaveLength(2);
    expect(r._ids[0]).toBe('x1');
    expect(db.get('items', 'x1')).toEqual({ _id: 'x1', n: 1 });
    expect(db.get('items', r._ids[1])).toEqual({ _id: r._ids[1], n: 2 });
  });

  test('large integers and doubles round-trip as numbers', async () => {
    const r = await wdb.collection('items').add({ data: { big: 2 ** 40, half: 1.5, neg: -7 } });
    const got = (await wdb.collection('items').doc(r._id).get()).data;
    expect(got).toMatchObject({ big: 2 ** 40, half: 1.5, neg: -7 });
    expect(db.get('items', r._id).big).toBe(2 ** 40);
  });

  test('doc get of a missing doc throws by default and returns null with throwOnNotFound:false', async () => {
    await expect(wdb.collection('items').doc('missing').get()).rejects.toMatchObject({
      errMsg: expect.stringContaining('document with _id missing does not exist'),
    });
    const lenient = cloud.database({ throwOnNotFound: false });
    const r = await lenient.collection('items').doc('missing').get();
    expect(r.data).toBeNull();
  });

  test('duplicate _id on add is refused (-502001, E11000 message) and the original is untouched', async () => {
    db.insert('items', { _id: 'dup', v: 1 });
    const err = await wdb
      .collection('items')
      .add({ data: { _id: 'dup', v: 2 } })
      .catch((e: any) => e);
    expect(err.errCode).toBe(-502001);
    expect(String(err.errMsg)).toMatch(/E11000 duplicate key/);
    expect(db.get('items', 'dup')).toEqual({ _id: 'dup', v: 1 });
  });

  test('unknown collection → errCode -502005', async () => {
    const err = await wdb.collection('nope').where({ a: 1 }).get().catch((e: any) => e);
    expect(err.errCode).toBe(-502005);
    const err2 = await wdb.collection('nope').add({ data: { a: 1 } }).catch((e: any) => e);
    expect(err2.errCode).toBe(-502005);
  });

  test('createCollection makes a new collection usable', async () => {
    await wdb.createCollection('fresh');
    expect(db.collections()).toContain('fresh');
    await wdb.collection('fresh').add({ data: { _id: 'f', a: 1 } });
    expect(db.get('fresh', 'f')).toEqual({ _id: 'f', a: 1 });
  });
});

describe('where queries', () => {
  beforeEach(() => {
    for (let i = 1; i <= 12; i++) {
      db.insert('items', {
        _id: `i${String(i).padStart(2, '0')}`,
        n: i,
        shop: i % 3 === 0 ? 'A' : 'B',
        name: i % 2 ? `Apple ${i}` : `pear ${i}`,
        tags: i % 4 === 0 ? ['hot', 'new'] : ['new'],
        lines: [{ sku: `s${i}`, qty: i }],
        at: new Date(NOW + i * 1000),
        ...(i <= 3 ? { flag: true } : {}),
      });
    }
  });

  test('orderBy + skip + limit + field', async () => {
    const r = await wdb.collection('items').where({ n: _.gte(3) }).orderBy('n', 'desc').skip(2).limit(3).field({ n: true }).get();
    expect(r.data).toEqual([
      { _id: 'i10', n: 10 },
      { _id: 'i09', n: 9 },
      { _id: 'i08', n: 8 },
    ]);
  });

  test('multi-key orderBy follows key order', async () => {
    const r = await wdb.collection('items').where({}).orderBy('shop', 'asc').orderBy('n', 'desc').limit(5).get();
    expect(r.data.map((d: any) => d._id)).toEqual(['i12', 'i09', 'i06', 'i03', 'i11']);
  });

  test('get() without limit returns at most 100 (SDK default) and limit(5000) is clamped to 1000 by the SDK', async () => {
    for (let i = 0; i < 1100; i++) db.insert('orders', { k: i });
    const r = await wdb.collection('orders').get();
    expect(r.data).toHaveLength(100);
    const r2 = await wdb.collection('orders').limit(5000).get();
    expect(r2.data).toHaveLength(1000);
    expect(srv.bodies[srv.bodies.length - 1].limit).toBe(1000);
  });

  test('server refuses limit > 1000 sent on the wire', async () => {
    const r = await db.handle('database.getDocument', { collectionName: 'items', queryType: 'WHERE', query: '{}', limit: 1001 });
    expect(r.code).toBe('INVALID_PARAM');
    const ok = await db.handle('database.getDocument', { collectionName: 'items', queryType: 'WHERE', query: '{}' });
    expect(ok.data.list).toHaveLength(12);
  });

  test('count', async () => {
    expect((await wdb.collection('items').where({ shop: 'A' }).count()).total).toBe(4);
    expect((await wdb.collection('items').count()).total).toBe(12);
  });

  test('_.in / _.nin / _.lt / _.neq / _.exists', async () => {
    const ids = async (q: any) => (await wdb.collection('items').where(q).limit(100).get()).data.map((d: any) => d._id).sort();
    expect(await ids({ n: _.in([1, 5, 99]) })).toEqual(['i01', 'i05']);
    expect(await ids({ n: _.nin([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) })).toEqual(['i11', 'i12']);
    expect(await ids({ n: _.lt(3) })).toEqual(['i01', 'i02']);
    expect((await ids({ shop: _.neq('B') })).length).toBe(4);
    expect(await ids({ flag: _.exists(true) })).toEqual(['i01', 'i02', 'i03']);
    expect((await ids({ flag: _.exists(false) })).length).toBe(9);
  });

  test('_.and / _.or / chained gt().and(lt())', async () => {
    const ids = async (q: any) => (await wdb.collection('items').where(q).get()).data.map((d: any) => d._id).sort();
    expect(await ids({ n: _.gt(2).and(_.lt(5)) })).toEqual(['i03', 'i04']);
    expect(await ids(_.or([{ n: 1 }, { n: 12 }]))).toEqual(['i01', 'i12']);
    expect(await ids(_.and([{ shop: 'A' }, { n: _.gt(6) }]))).toEqual(['i09', 'i12']);
    expect(await ids({ n: _.lt(2).or(_.gt(11)) })).toEqual(['i01', 'i12']);
  });

  test('_.elemMatch, array contains, nested object partial match', async () => {
    const ids = async (q: any) => (await wdb.collection('items').where(q).get()).data.map((d: any) => d._id).sort();
    expect(await ids({ lines: _.elemMatch({ sku: 's7', qty: _.gte(7) }) })).toEqual(['i07']);
    expect(await ids({ tags: 'hot' })).toEqual(['i04', 'i08', 'i12']);
    // where({lines: {sku}}) is flattened by the SDK to "lines.sku"
    expect(await ids({ lines: { sku: 's2' } })).toEqual(['i02']);
  });

  test('RegExp (JS literal and db.RegExp) and Date comparisons', async () => {
    const ids = async (q: any) => (await wdb.collection('items').where(q).get()).data.map((d: any) => d._id).sort();
    expect(await ids({ name: /^apple 1/i })).toEqual(['i01', 'i11']);
    expect(await ids({ name: wdb.RegExp({ regexp: '^pear 1', options: 'i' }) })).toEqual(['i10', 'i12']);
    expect(await ids({ at: _.gt(new Date(NOW + 10500)) })).toEqual(['i11', 'i12']);
  });

  test('where remove (multi) and doc remove', async () => {
    const r = await wdb.collection('items').where({ shop: 'A' }).remove();
    expect(r.stats.removed).toBe(4);
    const r2 = await wdb.collection('items').doc('i01').remove();
    expect(r2.stats.removed).toBe(1);
    const r3 = await wdb.collection('items').doc('i01').remove();
    expect(r3.stats.removed).toBe(0);
    expect(db.find('items')).toHaveLength(7);
  });

  test('aggregate match/group/sort/limit', async () => {
    const $ = wdb.command.aggregate;
    const r = await wdb
      .collection('items')
      .aggregate()
      .match({ n: _.gt(1) })
      .group({ _id: '$shop', total: $.sum('$n'), cnt: $.sum(1) })
      .sort({ total: -1 })
      .limit(1)
      .end();
    expect(r.list).toEqual([{ _id: 'B', total: 1 + 2 + 4 + 5 + 7 + 8 + 10 + 11 - 1, cnt: 7 }]);
  });

  test('aggregate project/count/lookup', async () => {
    db.insert('orders', { _id: 'o1', itemId: 'i05' });
    const r = await wdb
      .collection('orders')
      .aggregate()
      .lookup({ from: 'items', localField: 'itemId', foreignField: '_id', as: 'item' })
      .project({ itemN: '$item.n' })
      .end();
    expect(r.list).toEqual([{ _id: 'o1', itemN: [5] }]);
    const c = await wdb.collection('items').aggregate().match({ shop: 'A' }).count('c').end();
    expect(c.list).toEqual([{ c: 4 }]);
  });
});

describe('updates', () => {
  beforeEach(() => {
    db.insert('items', { _id: 'u', n: 1, tags: ['a', 'b'], obj: { k: 1, keep: true }, gone: 'x' });
  });

  test('doc update with _.inc/_.push/_.pull/_.remove/serverDate', async () => {
    clock = NOW + 5000;
    const r = await wdb
      .collection('items')
      .doc('u')
      .update({ data: { n: _.inc(2), tags: _.push(['c']), gone: _.remove(), at: wdb.serverDate({ offset: 1000 }) } });
    expect(r.stats.updated).toBe(1);
    await wdb.collection('items').doc('u').update({ data: { tags: _.pull('a') } });
    const d = (await wdb.collection('items').doc('u').get()).data;
    expect(d).toEqual({ _id: 'u', n: 3, tags: ['b', 'c'], obj: { k: 1, keep: true }, at: new Date(NOW + 6000) });
  });

  test('dotted merge keeps siblings; _.set replaces the sub-document', async () => {
    await wdb.collection('items').doc('u').update({ data: { obj: { k: 2 } } });
    expect(db.get('items', 'u').obj).toEqual({ k: 2, keep: true });
    await wdb.collection('items').doc('u').update({ data: { obj: _.set({ k: 3 }) } });
    expect(db.get('items', 'u').obj).toEqual({ k: 3 });
  });

  test('doc update of a missing doc → updated 0, no error, nothing created', async () => {
    const r = await wdb.collection('items').doc('nobody').update({ data: { n: 1 } });
    expect(r.stats.updated).toBe(0);
    expect(db.get('items', 'nobody')).toBeNull();
  });

  test('doc.set replaces existing and upserts missing', async () => {
    const r = await wdb.collection('items').doc('u').set({ data: { only: 1 } });
    expect(r).toMatchObject({ _id: 'u', stats: { updated: 1, created: 0 } });
    expect(db.get('items', 'u')).toEqual({ _id: 'u', only: 1 });
    const r2 = await wdb.collection('items').doc('new1').set({ data: { a: 1, at: new Date(7) } });
    expect(r2).toMatchObject({ _id: 'new1', stats: { updated: 0, created: 1 } });
    expect(db.get('items', 'new1')).toEqual({ _id: 'new1', a: 1, at: new Date(7) });
  });

  test('where update multi:true updates all, multi:false updates one', async () => {
    db.insert('items', { _id: 'v', n: 1 });
    db.insert('items', { _id: 'w', n: 1 });
    const r = await wdb.collection('items').where({ n: 1 }).update({ data: { seen: true } });
    expect(r.stats.updated).toBe(3);
    const r2 = await wdb.collection('items').where({ n: 1 }).update({ data: { n: 2 }, multi: false });
    expect(r2.stats.updated).toBe(1);
    expect(db.find('items', { n: 2 })).toHaveLength(1);
  });

  test('an update that changes nothing reports updated 0 (MongoDB nModified semantics)', async () => {
    const r = await wdb.collection('items').doc('u').update({ data: { n: 1 } });
    expect(r.stats.updated).toBe(0);
  });

  test('changing _id through an operator is refused', async () => {
    const r = await db.handle('database.modifyDocument', {
      collectionName: 'items',
      queryType: 'DOC',
      query: '{"_id":"u"}',
      data: '{"$set":{"_id":"other"}}',
      multi: false,
      merge: true,
      upsert: false,
    });
    expect(r.code).toBe('DATABASE_REQUEST_FAILED');
    expect(db.get('items', 'u')).not.toBeNull();
    expect(db.get('items', 'other')).toBeNull();
  });

  test('update with an operator mingo does not know is refused without changes', async () => {
    const r = await db.handle('database.modifyDocument', {
      collectionName: 'items',
      queryType: 'DOC',
      query: '{"_id":"u"}',
      data: '{"$bogus":{"n":1}}',
      merge: true,
    });
    expect(r.code).toMatch(/^DATABASE_/);
    expect(db.get('items', 'u').n).toBe(1);
  });
});

describe('stock protocol (conditional update)', () => {
  const reserve = (orderId: string, q: number) =>
    wdb
      .collection('skus')
      .where({ _id: 'sku1', stock: _.gte(q), onShelf: true, holds: _.neq(orderId) })
      .update({ data: { stock: _.inc(-q), sold: _.inc(q), holds: _.push([orderId]) } });
  const release = (orderId: string, q: number) =>
    wdb
      .collection('skus')
      .where({ _id: 'sku1', holds: orderId })
      .update({ data: { stock: _.inc(q), sold: _.inc(-q), holds: _.pull(orderId) } });

  beforeEach(() => {
    db.insert('skus', { _id: 'sku1', stock: 5, sold: 0, onShelf: true, holds: [] });
  });

  test('reserve once per order, refuse when short, release at most once', async () => {
    expect((await reserve('o1', 2)).stats.updated).toBe(1);
    expect((await reserve('o1', 2)).stats.updated).toBe(0); // replay: already held
    expect((await reserve('o2', 4)).stats.updated).toBe(0); // only 3 left
    expect((await reserve('o2', 3)).stats.updated).toBe(1);
    expect(db.get('skus', 'sku1')).toMatchObject({ stock: 0, sold: 5, holds: ['o1', 'o2'] });
    expect((await release('o1', 2)).stats.updated).toBe(1);
    expect((await release('o1', 2)).stats.updated).toBe(0); // second release is a no-op
    expect(db.get('skus', 'sku1')).toMatchObject({ stock: 2, sold: 3, holds: ['o2'] });
    // payment clears holds for an order across SKUs
    const paid = await wdb.collection('skus').where({ holds: 'o2' }).update({ data: { holds: _.pull('o2') } });
    expect(paid.stats.updated).toBe(1);
    expect(db.get('skus', 'sku1')).toMatchObject({ stock: 2, sold: 3, holds: [] });
  });

  test('50 concurrent reservations never oversell', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_x, i) => reserve(`c${i}`, 1)));
    const ok = results.filter((r) => r.stats.updated === 1).length;
    expect(ok).toBe(5);
    const sku = db.get('skus', 'sku1');
    expect(sku.stock).toBe(0);
    expect(sku.holds).toHaveLength(5);
  });

  test('refuses an off-shelf SKU', async () => {
    db.update('skus', 'sku1', { onShelf: false });
    expect((await reserve('o1', 1)).stats.updated).toBe(0);
  });
});

describe('transactions', () => {
  beforeEach(() => {
    db.insert('accounts', { _id: 'a', balance: 100 });
    db.insert('accounts', { _id: 'b', balance: 0 });
  });

  test('runTransaction commits get/update/add/set/remove atomically', async () => {
    db.insert('accounts', { _id: 'old', balance: 1 });
    const res = await wdb.runTransaction(async (t: any) => {
      const a = (await t.collection('accounts').doc('a').get()).data;
      await t.collection('accounts').doc('a').update({ data: { balance: _.inc(-30) } });
      await t.collection('accounts').doc('b').update({ data: { balance: _.inc(30) } });
      // reads inside the tx see the tx's own writes
      const b = (await t.collection('accounts').doc('b').get()).data;
      await t.collection('orders').add({ data: { _id: 'log1', amount: 30 } });
      await t.collection('accounts').doc('c').set({ data: { balance: 5 } });
      await t.collection('accounts').doc('old').remove();
      // nothing is visible outside before commit
      expect(db.get('accounts', 'a').balance).toBe(100);
      expect(db.get('orders', 'log1')).toBeNull();
      return { a: a.balance, b: b.balance };
    });
    expect(res).toEqual({ a: 100, b: 30 });
    expect(db.get('accounts', 'a').balance).toBe(70);
    expect(db.get('accounts', 'b').balance).toBe(30);
    expect(db.get('accounts', 'c')).toEqual({ _id: 'c', balance: 5 });
    expect(db.get('accounts', 'old')).toBeNull();
    expect(db.get('orders', 'log1')).toEqual({ _id: 'log1', amount: 30 });
    expect(srv.actions).toContain('database.commitTransaction');
  });

  test('rollback discards all writes and rejects with the reason', async () => {
    const p = wdb.runTransaction(async (t: any) => {
      await t.collection('accounts').doc('a').update({ data: { balance: _.inc(-30) } });
      await t.collection('orders').add({ data: { _id: 'never' } });
      await t.rollback('不够');
    });
    await expect(p).rejects.toBe('不够');
    expect(db.get('accounts', 'a').balance).toBe(100);
    expect(db.get('orders', 'never')).toBeNull();
    expect(srv.actions).toContain('database.abortTransaction');
  });

  test('a throw inside the callback rolls back', async () => {
    await expect(
      wdb.runTransaction(async (t: any) => {
        await t.collection('accounts').doc('a').update({ data: { balance: 0 } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(db.get('accounts', 'a').balance).toBe(100);
  });

  test('where().get() inside a transaction is refused by the server', async () => {
    const err = await wdb
      .runTransaction(async (t: any) => {
        await t.collection('accounts').where({ balance: 100 }).get();
      })
      .catch((e: any) => e);
    expect(err).toBeTruthy();
    expect(JSON.stringify(err)).toMatch(/single-document/);
    expect(db.get('accounts', 'a').balance).toBe(100);
  });

  test('SURPRISE: where().update inside a transaction is sent WITHOUT transactionId and applies immediately', async () => {
    // @cloudbase/database 1.4.3 Query.update/remove/count do not pass transactionId (only get() does),
    // so the server cannot refuse them: they run outside the transaction, even if it rolls back.
    await wdb
      .runTransaction(async (t: any) => {
        await t.collection('accounts').where({ _id: 'a' }).update({ data: { balance: 1 } });
        await t.rollback('undo');
      })
      .catch(() => undefined);
    const body = srv.bodies.find((b) => b.action === 'database.modifyDocument');
    expect(body.transactionId).toBeUndefined();
    expect(db.get('accounts', 'a').balance).toBe(1); // NOT rolled back
  });

  test('startTransaction returns a working transaction; unknown transaction ids are refused', async () => {
    const t = await wdb.startTransaction();
    await t.collection('accounts').doc('a').update({ data: { balance: 1 } });
    await t.commit();
    expect(db.get('accounts', 'a').balance).toBe(1);
    const r = await db.handle('database.commitTransaction', { transactionId: 'tx-nope' });
    expect(r.code).toBe('DATABASE_TRANSACTION_FAIL');
    // a committed transaction cannot be reused
    const r2 = await db.handle('database.modifyDocument', {
      collectionName: 'accounts',
      transactionId: t._transaction?._id ?? t.getTransactionId?.() ?? 'x',
      queryType: 'DOC',
      query: '{"_id":"a"}',
      data: '{"$set":{"balance":{"$numberInt":"2"}}}',
    });
    expect(r2.code).toBe('DATABASE_TRANSACTION_FAIL');
    expect(db.get('accounts', 'a').balance).toBe(1);
  });

  test('a committed write to a doc read by an open tx makes the commit conflict', async () => {
    const t = await db.handle('database.startTransaction', {});
    const tx = t.transactionId;
    await db.handle('database.getDocument', { collectionName: 'accounts', transactionId: tx, queryType: 'DOC', query: '{"_id":"a"}' });
    db.update('accounts', 'a', { $inc: { balance: 1 } });
    await db.handle('database.modifyDocument', {
      collectionName: 'accounts',
      transactionId: tx,
      queryType: 'DOC',
      query: '{"_id":"b"}',
      data: '{"$set":{"balance":{"$numberInt":"9"}}}',
      merge: true,
    });
    const c = await db.handle('database.commitTransaction', { transactionId: tx });
    expect(c.code).toBe('DATABASE_TRANSACTION_CONFLICT');
    expect(db.get('accounts', 'b').balance).toBe(0);
  });

  test('two concurrent runTransactions on the same doc: one conflicts, is retried by the SDK, both applied once', async () => {
    let entered = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    let attempts = 0;
    const transfer = (amount: number) =>
      wdb.runTransaction(async (t: any) => {
        attempts++;
        const a = (await t.collection('accounts').doc('a').get()).data;
        if (++entered === 2) release();
        await bothRead; // make sure both transactions read before either commits
        await t.collection('accounts').doc('a').update({ data: { balance: a.balance - amount } });
        return a.balance;
      });
    const [r1, r2] = await Promise.all([transfer(10), transfer(20)]);
    expect(db.get('accounts', 'a').balance).toBe(70); // not 90 or 80: no lost update
    expect(attempts).toBe(3); // the loser ran again after DATABASE_TRANSACTION_CONFLICT
    expect([r1, r2].sort()).toEqual(expect.arrayContaining([100]));
    expect(srv.actions.filter((a) => a === 'database.startTransaction')).toHaveLength(3);
  });
});

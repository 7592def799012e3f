/** localcloud/db direct API and transaction edge cases at the wire level (no SDK). */
import { Database } from '../../localcloud/db';

const mk = (extra: Partial<ConstructorParameters<typeof Database>[0]> = {}) =>
  new Database({ file: null, now: () => 1000, collections: ['c'], ...extra });

const upd = (tx: string | undefined, id: string, data: string) => ({
  collectionName: 'c', transactionId: tx, queryType: 'DOC', query: JSON.stringify({ _id: id }), data, merge: true, multi: false, upsert: false,
});

test('direct API: insert/get/update/set/find/count/remove return copies, not live objects', () => {
  const db = mk();
  const id = db.insert('c', { n: 1, at: new Date(5), o: { a: 1 } });
  const got = db.get('c', id);
  got.n = 99;
  expect(db.get('c', id).n).toBe(1);
  expect(db.update('c', id, { n: 2, 'o.b': 2 })).toBe(true); // plain fields = $set, dotted merge
  expect(db.update('c', id, { $inc: { n: 1 } })).toBe(true);
  expect(db.get('c', id)).toEqual({ _id: id, n: 3, at: new Date(5), o: { a: 1, b: 2 } });
  expect(db.update('c', 'missing', { n: 1 })).toBe(false);
  db.set('c', 's', { _id: 'ignored', v: 1 });
  db.set('c', 's', { v: 2 });
  expect(db.get('c', 's')).toEqual({ _id: 's', v: 2 });
  db.insert('c', { _id: 'z', n: 10 });
  expect(db.find('c', { n: { $gte: 3 } }, { sort: { n: -1 }, limit: 1 }).map((d) => d._id)).toEqual(['z']);
  expect(db.count('c', { n: { $exists: true } })).toBe(2);
  expect(() => db.insert('c', { _id: 'z' })).toThrow(/duplicate key/);
  expect(() => db.update('c', 'z', { $set: { _id: 'y' } })).toThrow(/_id/);
  expect(db.remove('c', 'z')).toBe(true);
  expect(db.remove('c', 'z')).toBe(false);
});

test('two overlapping transactions writing the same doc: first commit wins, second conflicts and is discarded', async () => {
  const db = mk();
  db.insert('c', { _id: 'd', n: 0 });
  const t1 = (await db.handle('database.startTransaction', {})).transactionId;
  const t2 = (await db.handle('database.startTransaction', {})).transactionId;
  expect(t1).not.toBe(t2);
  expect((await db.handle('database.modifyDocument', upd(t1, 'd', '{"$inc":{"n":{"$numberInt":"1"}}}'))).data.updated).toBe(1);
  expect((await db.handle('database.modifyDocument', upd(t2, 'd', '{"$inc":{"n":{"$numberInt":"10"}}}'))).data.updated).toBe(1);
  expect(await db.handle('database.commitTransaction', { transactionId: t1 })).not.toHaveProperty('code');
  const c2 = await db.handle('database.commitTransaction', { transactionId: t2 });
  expect(c2.code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect(db.get('c', 'd').n).toBe(1);
  // the conflicted transaction is gone
  expect((await db.handle('database.abortTransaction', { transactionId: t2 })).code).toBe('DATABASE_TRANSACTION_FAIL');
});

test('transactions inserting the same new _id: the second commit conflicts', async () => {
  const db = mk();
  const t1 = (await db.handle('database.startTransaction', {})).transactionId;
  const t2 = (await db.handle('database.startTransaction', {})).transactionId;
  await db.handle('database.insertDocument', { collectionName: 'c', transactionId: t1, data: ['{"_id":"new","by":"t1"}'] });
  await db.handle('database.insertDocument', { collectionName: 'c', transactionId: t2, data: ['{"_id":"new","by":"t2"}'] });
  // a duplicate inside the same transaction is refused at once
  const dup = await db.handle('database.insertDocument', { collectionName: 'c', transactionId: t1, data: ['{"_id":"new"}'] });
  expect(dup.code).toBe('DATABASE_REQUEST_FAILED');
  expect((await db.handle('database.commitTransaction', { transactionId: t1 })).code).toBeUndefined();
  expect((await db.handle('database.commitTransaction', { transactionId: t2 })).code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect(db.get('c', 'new')).toEqual({ _id: 'new', by: 't1' });
});

test('a transaction that only read a doc also conflicts when it was changed (no write skew)', async () => {
  const db = mk();
  db.insert('c', { _id: 'r', n: 1 });
  db.insert('c', { _id: 'w', n: 1 });
  const t = (await db.handle('database.startTransaction', {})).transactionId;
  await db.handle('database.getDocument', { collectionName: 'c', transactionId: t, queryType: 'DOC', query: '{"_id":"r"}' });
  await db.handle('database.modifyDocument', upd(t, 'w', '{"$set":{"n":{"$numberInt":"2"}}}'));
  await db.handle('database.removeDocument', { collectionName: 'c', queryType: 'DOC', query: '{"_id":"r"}' });
  expect((await db.handle('database.commitTransaction', { transactionId: t })).code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect(db.get('c', 'w').n).toBe(1);
});

test('expired transactions are refused', async () => {
  const db = mk({ maxTxMs: 1 });
  db.insert('c', { _id: 'd', n: 0 });
  const t = (await db.handle('database.startTransaction', {})).transactionId;
  await new Promise((r) => setTimeout(r, 20));
  const r = await db.handle('database.modifyDocument', upd(t, 'd', '{"$set":{"n":{"$numberInt":"5"}}}'));
  expect(r.code).toBe('DATABASE_TRANSACTION_FAIL');
  expect(db.get('c', 'd').n).toBe(0);
});

test('count and aggregate with a transactionId are refused; unknown action is refused', async () => {
  const db = mk();
  const t = (await db.handle('database.startTransaction', {})).transactionId;
  expect((await db.handle('database.calculateDocument', { collectionName: 'c', transactionId: t, query: '{}' })).code).toBe('INVALID_PARAM');
  expect((await db.handle('database.aggregateDocuments', { collectionName: 'c', transactionId: t, stages: [] })).code).toBe('INVALID_PARAM');
  expect((await db.handle('database.nope', {})).code).toBe('INVALID_PARAM');
  expect(db.isDatabaseAction('database.getDocument')).toBe(true);
  expect(db.isDatabaseAction('functions.invokeFunction')).toBe(false);
});

test('doc.set with operators is refused; $where (script) is not executed', async () => {
  const db = mk();
  db.insert('c', { _id: 'd', n: 0 });
  const r = await db.handle('database.modifyDocument', {
    collectionName: 'c', queryType: 'DOC', query: '{"_id":"d"}', data: '{"$inc":{"n":{"$numberInt":"1"}}}', merge: false, upsert: true,
  });
  expect(r.code).toBe('DATABASE_REQUEST_FAILED');
  const w = await db.handle('database.getDocument', { collectionName: 'c', queryType: 'WHERE', query: '{"$where":"true"}' });
  expect(w.code).toBeDefined();
});

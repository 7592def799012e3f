/** Durability: committed writes survive a reopen and a SIGKILL right after the response. */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Database } from '../../localcloud/db';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lcdb-'));

async function post(url: string, body: object): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}

test('file DB: writes, transactions and collections are read back by a new Database on the same file', async () => {
  const file = path.join(tmp(), 'db.sqlite');
  const at = new Date(Date.UTC(2026, 1, 3));
  const db1 = new Database({ file, now: () => 42, collections: ['orders', 'skus'] });
  const id = db1.insert('orders', { amount: 1999, at, big: 2 ** 40, lines: [{ q: 1 }] });
  await db1.handle('database.insertDocument', { collectionName: 'skus', data: ['{"_id":"s1","stock":{"$numberInt":"5"}}'] });
  await db1.handle('database.modifyDocument', {
    collectionName: 'skus', queryType: 'DOC', query: '{"_id":"s1"}', merge: true,
    data: '{"$inc":{"stock":{"$numberInt":"-2"}},"$set":{"t":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}}}}',
  });
  const tx = (await db1.handle('database.startTransaction', {})).transactionId;
  await db1.handle('database.insertDocument', { collectionName: 'orders', transactionId: tx, data: ['{"_id":"txo"}'] });
  await db1.handle('database.removeDocument', { collectionName: 'orders', transactionId: tx, queryType: 'DOC', query: JSON.stringify({ _id: id }) });
  expect((await db1.handle('database.commitTransaction', { transactionId: tx })).code).toBeUndefined();
  db1.createCollection('extra');
  db1.insert('orders', { _id: 'keep', v: 1 });
  db1.close();

  const db2 = new Database({ file, now: () => 0, collections: [] });
  expect(db2.collections().sort()).toEqual(['extra', 'orders', 'skus']);
  expect(db2.get('orders', id)).toBeNull();
  expect(db2.get('orders', 'txo')).toEqual({ _id: 'txo' });
  expect(db2.get('orders', 'keep')).toEqual({ _id: 'keep', v: 1 });
  expect(db2.get('skus', 's1')).toEqual({ _id: 's1', stock: 3, t: new Date(42) });
  db2.close();

  // and a value round-trip that keeps types
  const db3 = new Database({ file, now: () => 0, collections: [] });
  db3.insert('orders', { _id: 'typed', at, big: 2 ** 40, half: 0.5 });
  db3.close();
  const db4 = new Database({ file, now: () => 0, collections: [] });
  expect(db4.get('orders', 'typed')).toEqual({ _id: 'typed', at, big: 2 ** 40, half: 0.5 });
  db4.close();
});

test('a write acknowledged over HTTP survives SIGKILL of the server process; an open transaction does not', async () => {
  const file = path.join(tmp(), 'crash.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'db-child.ts'), file], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    const tx = (await post(url, { action: 'database.startTransaction' })).transactionId;
    await post(url, { action: 'database.insertDocument', collectionName: 'orders', transactionId: tx, data: ['{"_id":"uncommitted"}'] });
    const res = await post(url, { action: 'database.insertDocument', collectionName: 'orders', data: ['{"_id":"o-crash","amount":{"$numberInt":"7"}}'] });
    expect(res.data.insertedIds).toEqual(['o-crash']);
    child.kill('SIGKILL'); // immediately after the acknowledgement
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await exited;
  const db = new Database({ file, now: () => 0, collections: [] });
  expect(db.get('orders', 'o-crash')).toEqual({ _id: 'o-crash', amount: 7 });
  expect(db.get('orders', 'uncommitted')).toBeNull();
  db.close();
});

test('memory DB (file:null) works without sqlite and clear() keeps collections', () => {
  const db = new Database({ file: null, now: () => 0, collections: ['a'] });
  db.insert('a', { _id: 'x' });
  db.clear();
  expect(db.collections()).toEqual(['a']);
  expect(db.find('a')).toEqual([]);
  expect(() => db.insert('zzz', {})).toThrow(/not exist/);
  db.close();
});

/**
 * The database of the local CloudBase emulator.
 *
 * Speaks the wire dialect of @cloudbase/database 1.4.3 (used by wx-server-sdk 4.0.2 through
 * @cloudbase/node-sdk 3.17.2) and the legacy dialect of @cloudbase/database 0.9.15 (tcb-admin-node 1.23.0).
 * Query/projection/sort/aggregation/update semantics come from mingo; values are stored as canonical EJSON
 * in SQLite (WAL, synchronous=FULL) with an in-memory cache per collection.
 * Spec and pitfalls: shared/research/cloudbase-wire.md §1.3, §1.4, §2.4, §5, §6.
 *
 * Error codes returned (body `{code, message, requestId}`, HTTP 200; wx-server-sdk errCode in brackets):
 *  - DATABASE_COLLECTION_NOT_EXIST  [-502005] unknown collection
 *  - DATABASE_REQUEST_FAILED        [-502001] duplicate `_id` (message starts with "E11000 duplicate key error"),
 *                                              changing `_id`, update operators in a replace (doc.set), bad documents
 *  - DATABASE_INVALID_OPERRATOR     [-502002] an operator mingo does not know / malformed query or update
 *  - INVALID_PARAM                  [-501007] where/WHERE-type operation inside a transaction, limit > 1000,
 *                                              missing collectionName / query, unknown action
 *  - DATABASE_TRANSACTION_CONFLICT  [SDK retries runTransaction] commit found a touched document changed
 *  - DATABASE_TRANSACTION_FAIL      [-501001] unknown, finished or expired transactionId
 *
 * Semantics worth knowing:
 *  - `updated` counts documents actually changed (MongoDB nModified): an update that changes nothing → 0.
 *  - Transactions are optimistic: every document a tx reads or writes records its committed version; commit
 *    fails with DATABASE_TRANSACTION_CONFLICT if any of them was changed by a committed write meanwhile
 *    (first committer wins). Only commit reports conflicts, because only that path is retried by runTransaction.
 *  - The 1.4.3 SDK sends where().update/remove, count and aggregate WITHOUT transactionId even inside a
 *    transaction, so they run immediately outside it; only where().get() carries it (and is refused here).
 *  - Legacy tx actions (getInTransaction/insertDocInTransaction/updateDocInTransaction/deleteDocInTransaction)
 *    are supported too. No geo operators (mingo has none).
 */
import Sqlite from 'better-sqlite3';
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Aggregator, ProcessingMode, Query, update as mingoUpdate } from 'mingo';
import { clone, fromLegacy, fromStored, parseWire, toLegacy, toWire } from './ejson';

export interface DatabaseOptions {
  /** SQLite file path; null = in memory only. */
  file: string | null;
  /** Emulated clock in ms (used for serverDate). */
  now: () => number;
  /** Collections that exist at start (created if missing). */
  collections: string[];
  /** Max lifetime of a transaction in real (wall-clock) ms. Default 30000. */
  maxTxMs?: number;
}

export class DbError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Entry {
  doc: any;
}

interface TxTouch {
  coll: string;
  key: string;
  /** committed version when the transaction first touched the document */
  ver: number;
  /** the transaction's view of the document (null = absent) */
  doc: any | null;
  dirty: boolean;
}

interface Tx {
  id: string;
  startedAt: number;
  touched: Map<string, TxTouch>;
}

type Write = { coll: string; key: string; doc: any | null };

const QUERY_OPTS = { scriptEnabled: false, useStrictMode: true } as const;
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

/** key used in maps and in the sqlite `id` column for an `_id` value */
function idKey(id: unknown): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'number') return `\u0000n:${id}`;
  throw new DbError('DATABASE_REQUEST_FAILED', `_id must be a string or a number, got ${typeof id}`);
}

function fullKey(coll: string, key: string): string {
  return `${coll}\u0001${key}`;
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

function withNewId(d: Record<string, any>): Record<string, any> {
  const rest = { ...d };
  delete rest._id;
  return { _id: newId(), ...rest };
}

function hasOperatorKeys(o: Record<string, unknown>): boolean {
  return Object.keys(o).some((k) => k.startsWith('$'));
}

function isPlainObject(v: unknown): v is Record<string, any> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** `{a:1, $inc:{…}}` → `{$set:{a:1}, $inc:{…}}` */
function toModifier(data: Record<string, any>): Record<string, any> {
  const mod: Record<string, any> = {};
  const set: Record<string, any> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith('$')) mod[k] = v;
    else set[k] = v;
  }
  if (Object.keys(set).length) mod.$set = { ...(mod.$set || {}), ...set };
  return mod;
}

function sameValue(a: any, b: any): boolean {
  return toWire(a) === toWire(b);
}

export class Database {
  private readonly opts: DatabaseOptions;
  private readonly maxTxMs: number;
  private readonly colls = new Map<string, Map<string, Entry>>();
  /** committed version per fullKey (also kept for removed documents) */
  private readonly versions = new Map<string, number>();
  private seq = 0;
  private readonly txs = new Map<string, Tx>();
  private reqSeq = 0;
  private sql: Sqlite.Database | null = null;
  private stmt: {
    upsert: Sqlite.Statement;
    del: Sqlite.Statement;
    delColl: Sqlite.Statement;
    addColl: Sqlite.Statement;
  } | null = null;

  constructor(opts: DatabaseOptions) {
    this.opts = opts;
    this.maxTxMs = opts.maxTxMs ?? 30000;
    if (opts.file) {
      if (opts.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
      const db = new Sqlite(opts.file);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(
        'CREATE TABLE IF NOT EXISTS collections(name TEXT PRIMARY KEY);' +
          'CREATE TABLE IF NOT EXISTS docs(coll TEXT NOT NULL, id TEXT NOT NULL, ejson TEXT NOT NULL, PRIMARY KEY(coll, id));',
      );
      this.sql = db;
      this.stmt = {
        upsert: db.prepare(
          'INSERT INTO docs(coll, id, ejson) VALUES (?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET ejson = excluded.ejson',
        ),
        del: db.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
        delColl: db.prepare('DELETE FROM docs WHERE coll = ?'),
        addColl: db.prepare('INSERT OR IGNORE INTO collections(name) VALUES (?)'),
      };
      for (const row of db.prepare('SELECT name FROM collections ORDER BY rowid').all() as { name: string }[]) {
        this.colls.set(row.name, new Map());
      }
      for (const row of db.prepare('SELECT coll, id, ejson FROM docs ORDER BY rowid').all() as {
        coll: string;
        id: string;
        ejson: string;
      }[]) {
        let m = this.colls.get(row.coll);
        if (!m) {
          m = new Map();
          this.colls.set(row.coll, m);
        }
        m.set(row.id, { doc: fromStored(row.ejson) });
      }
    }
    for (const c of opts.collections) this.createCollection(c);
  }

  // ───────────────────────────── direct API (uncounted) ─────────────────────────────

  isDatabaseAction(action: string): boolean {
    return typeof action === 'string' && action.startsWith('database.');
  }

  createCollection(name: string): void {
    if (!name || typeof name !== 'string') throw new DbError('INVALID_PARAM', 'collection name required');
    if (this.colls.has(name)) return;
    this.stmt?.addColl.run(name);
    this.colls.set(name, new Map());
  }

  collections(): string[] {
    return [...this.colls.keys()];
  }

  get(coll: string, id: string): any | null {
    const e = this.coll(coll).get(idKey(id));
    return e ? clone(e.doc) : null;
  }

  find(coll: string, query: object = {}, opts: { sort?: Record<string, 1 | -1>; limit?: number } = {}): any[] {
    const docs = this.matchEntries(this.coll(coll), query).map((e) => e.doc);
    let out = docs;
    if (opts.sort && Object.keys(opts.sort).length) out = new Query({}, QUERY_OPTS).find(docs).sort(opts.sort).all();
    if (opts.limit !== undefined) out = out.slice(0, opts.limit);
    return out.map((d) => clone(d));
  }

  insert(coll: string, doc: any): string {
    const m = this.coll(coll);
    let d = clone(doc);
    if (d._id === undefined || d._id === null) d = withNewId(d);
    const key = idKey(d._id);
    if (m.has(key)) throw this.dupError(coll, d._id);
    this.commitWrites([{ coll, key, doc: d }]);
    return d._id;
  }

  update(coll: string, id: string, update: object): boolean {
    const m = this.coll(coll);
    const key = idKey(id);
    const e = m.get(key);
    if (!e) return false;
    const next = this.applyUpdate(e.doc, update as Record<string, any>, true);
    if (!sameValue(next, e.doc)) this.commitWrites([{ coll, key, doc: next }]);
    return true;
  }

  /** Replace-or-insert `doc` under `id` (like `doc(id).set(doc)`); any `_id` in `doc` is ignored. */
  set(coll: string, id: string, doc: object): void {
    this.coll(coll);
    const rest: Record<string, any> = clone(doc as Record<string, any>);
    delete rest._id;
    this.commitWrites([{ coll, key: idKey(id), doc: { _id: id, ...rest } }]);
  }

  /** Number of documents matching `query`. */
  count(coll: string, query: object = {}): number {
    return this.matchEntries(this.coll(coll), query).length;
  }

  remove(coll: string, id: string): boolean {
    const m = this.coll(coll);
    const key = idKey(id);
    if (!m.has(key)) return false;
    this.commitWrites([{ coll, key, doc: null }]);
    return true;
  }

  clear(): void {
    const run = () => {
      for (const [name, m] of this.colls) {
        this.stmt?.delColl.run(name);
        for (const key of m.keys()) this.versions.set(fullKey(name, key), ++this.seq);
        m.clear();
      }
    };
    if (this.sql) this.sql.transaction(run)();
    else run();
    this.txs.clear();
  }

  close(): void {
    this.txs.clear();
    if (this.sql) {
      this.sql.close();
      this.sql = null;
      this.stmt = null;
    }
  }

  // ───────────────────────────── wire protocol ─────────────────────────────

  async handle(action: string, params: any): Promise<any> {
    const requestId = `lc-db-${Date.now().toString(36)}-${(++this.reqSeq).toString(36)}`;
    try {
      const p = params || {};
      const res = this.dispatch(action, p);
      return { requestId, ...res };
    } catch (err) {
      if (err instanceof DbError) return { code: err.code, message: err.message, requestId };
      const msg = err instanceof Error ? err.message : String(err);
      // mingo throws plain Errors for unknown/malformed operators
      const code = /operator|unknown|invalid|unsupported/i.test(msg) ? 'DATABASE_INVALID_OPERRATOR' : 'DATABASE_REQUEST_FAILED';
      return { code, message: msg, requestId };
    }
  }

  private dispatch(action: string, p: any): Record<string, any> {
    switch (action) {
      // ── 1.4.3 dialect ──
      case 'database.getDocument':
        return this.wGet(p);
      case 'database.insertDocument':
        return this.wInsert(p);
      case 'database.modifyDocument':
        return this.wModify(p);
      case 'database.removeDocument':
        return this.wRemove(p);
      case 'database.calculateDocument':
        return this.wCount(p);
      case 'database.aggregateDocuments':
        return this.wAggregate(p, false);
      case 'database.modifyAndReturnDoc':
        return this.wModifyAndReturn(p);
      case 'database.addCollection':
        this.createCollection(p.collectionName);
        return {};
      case 'database.startTransaction':
        return this.txStart();
      case 'database.commitTransaction':
        return this.txCommit(p.transactionId);
      case 'database.abortTransaction':
        return this.txAbort(p.transactionId);
      // ── legacy 0.9.15 dialect (tcb-admin-node) ──
      case 'database.queryDocument':
        return this.lQuery(p);
      case 'database.addDocument':
        return this.lAdd(p);
      case 'database.updateDocument':
        return this.lUpdate(p);
      case 'database.deleteDocument':
        return this.lDelete(p);
      case 'database.countDocument':
        return this.lCount(p);
      case 'database.aggregate':
        return this.wAggregate(p, true);
      case 'database.getInTransaction':
        return this.lTxGet(p);
      case 'database.insertDocInTransaction':
        return this.lTxInsert(p);
      case 'database.updateDocInTransaction':
        return this.lTxUpdate(p);
      case 'database.deleteDocInTransaction':
        return this.lTxDelete(p);
      default:
        throw new DbError('INVALID_PARAM', `unsupported action ${action}`);
    }
  }

  // ── 1.4.3 handlers ──

  private now = (): number => this.opts.now();

  private wQuery(p: any): any {
    const q = parseWire(p.query, this.now);
    return q === undefined ? {} : q;
  }

  private wGet(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = this.wQuery(p);
    const projection = parseWire(p.projection, this.now);
    if (p.transactionId) {
      const tx = this.requireTx(p.transactionId);
      if (p.queryType !== 'DOC') throw this.txWhereError();
      const id = this.docIdOf(query);
      const doc = this.txRead(tx, p.collectionName, id);
      const list = doc ? this.project([doc], projection) : [];
      return { data: { list: list.map(toWire) } };
    }
    const docs = this.runQuery(coll, query, p, projection);
    return { data: { list: docs.map(toWire) } };
  }

  private runQuery(coll: Map<string, Entry>, query: any, p: any, projection: any): any[] {
    let limit = p.limit === undefined || p.limit === null || p.limit === 0 ? DEFAULT_LIMIT : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new DbError('INVALID_PARAM', `invalid limit ${p.limit}`);
    if (limit > MAX_LIMIT) throw new DbError('INVALID_PARAM', `limit must not exceed ${MAX_LIMIT}, got ${limit}`);
    const offset = Number(p.offset || 0);
    if (!Number.isInteger(offset) || offset < 0) throw new DbError('INVALID_PARAM', `invalid offset ${p.offset}`);
    const order = this.parseOrder(p.order);
    let docs = this.matchEntries(coll, query).map((e) => e.doc);
    if (order && Object.keys(order).length) docs = new Query({}, QUERY_OPTS).find(docs).sort(order).all();
    docs = docs.slice(offset, offset + limit);
    return this.project(docs, projection);
  }

  private parseOrder(order: any): Record<string, 1 | -1> | undefined {
    if (order === undefined || order === null || order === '') return undefined;
    if (Array.isArray(order)) {
      // legacy: [{field, direction:'asc'|'desc'}]
      const o: Record<string, 1 | -1> = {};
      for (const it of order) o[it.field] = it.direction === 'desc' ? -1 : 1;
      return o;
    }
    const parsed = typeof order === 'string' ? parseWire(order, this.now) : order;
    const o: Record<string, 1 | -1> = {};
    for (const [k, v] of Object.entries(parsed || {})) o[k] = v === -1 || v === 'desc' ? -1 : 1;
    return o;
  }

  private project(docs: any[], projection: any): any[] {
    if (!projection || !Object.keys(projection).length) return docs;
    return new Query({}, QUERY_OPTS).find(docs, projection).all();
  }

  private wInsert(p: any) {
    this.requireColl(p.collectionName);
    const raw: unknown[] = Array.isArray(p.data) ? p.data : [p.data];
    const docs = raw.map((s) => parseWire(s, this.now));
    return { data: { insertedIds: this.doInsert(p.collectionName, docs, p.transactionId) } };
  }

  private doInsert(collName: string, docs: any[], transactionId?: string): unknown[] {
    const m = this.coll(collName);
    const ids: unknown[] = [];
    const prepared: { key: string; doc: any }[] = [];
    const seen = new Set<string>();
    for (let d of docs) {
      if (!isPlainObject(d)) throw new DbError('DATABASE_REQUEST_FAILED', 'document must be an object');
      if (d._id === undefined || d._id === null) d = withNewId(d);
      const key = idKey(d._id);
      if (seen.has(key)) throw this.dupError(collName, d._id);
      seen.add(key);
      prepared.push({ key, doc: d });
      ids.push(d._id);
    }
    if (transactionId) {
      const tx = this.requireTx(transactionId);
      for (const { doc } of prepared) {
        if (this.txRead(tx, collName, doc._id) !== null) throw this.dupError(collName, doc._id);
      }
      for (const { key, doc } of prepared) this.txWrite(tx, collName, key, doc);
      return ids;
    }
    for (const { key, doc } of prepared) if (m.has(key)) throw this.dupError(collName, doc._id);
    this.commitWrites(prepared.map(({ key, doc }) => ({ coll: collName, key, doc })));
    return ids;
  }

  private wModify(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = this.wQuery(p);
    const data = parseWire(p.data, this.now);
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'data must be an object');
    return { data: this.doModify(p.collectionName, coll, p, query, data) };
  }

  private doModify(collName: string, coll: Map<string, Entry>, p: any, query: any, data: any) {
    const merge = p.merge !== false;
    const upsert = p.upsert === true;
    if (p.transactionId) {
      const tx = this.requireTx(p.transactionId);
      if (p.queryType !== 'DOC') throw this.txWhereError();
      const id = this.docIdOf(query);
      const cur = this.txRead(tx, collName, id);
      if (cur === null) {
        if (!upsert) return { updated: 0 };
        const created = this.applyUpdate({ _id: id }, data, merge);
        this.txWrite(tx, collName, idKey(id), created);
        return { updated: 0, upsert_id: id };
      }
      const next = this.applyUpdate(cur, data, merge);
      if (sameValue(next, cur)) return { updated: 0 };
      this.txWrite(tx, collName, idKey(id), next);
      return { updated: 1 };
    }
    if (p.queryType === 'DOC') {
      const id = this.docIdOf(query);
      const key = idKey(id);
      const e = coll.get(key);
      if (!e) {
        if (!upsert) return { updated: 0 };
        const created = this.applyUpdate({ _id: id }, data, merge);
        this.commitWrites([{ coll: collName, key, doc: created }]);
        return { updated: 0, upsert_id: id };
      }
      const next = this.applyUpdate(e.doc, data, merge);
      if (sameValue(next, e.doc)) return { updated: 0 };
      this.commitWrites([{ coll: collName, key, doc: next }]);
      return { updated: 1 };
    }
    // WHERE
    let matched = this.matchEntries(coll, query);
    if (p.multi === false) matched = matched.slice(0, 1);
    const writes: Write[] = [];
    for (const e of matched) {
      const next = this.applyUpdate(e.doc, data, merge);
      if (!sameValue(next, e.doc)) writes.push({ coll: collName, key: idKey(e.doc._id), doc: next });
    }
    if (!matched.length && upsert) {
      const base: Record<string, any> = {};
      for (const [k, v] of Object.entries(query || {})) if (!k.startsWith('$') && !isPlainObject(v)) base[k] = v;
      const created = this.applyUpdate(base, data, merge);
      if (created._id === undefined) created._id = newId();
      this.commitWrites([{ coll: collName, key: idKey(created._id), doc: created }]);
      return { updated: 0, upsert_id: created._id };
    }
    this.commitWrites(writes);
    return { updated: writes.length };
  }

  private wModifyAndReturn(p: any) {
    const coll = this.requireColl(p.collectionName);
    if (p.transactionId) throw this.txWhereError();
    const query = this.wQuery(p);
    const data = parseWire(p.data, this.now);
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'data must be an object');
    const e = this.matchEntries(coll, query)[0];
    if (!e) return { data: { updated: 0, doc: null } };
    const next = this.applyUpdate(e.doc, data, true);
    const changed = !sameValue(next, e.doc);
    if (changed) this.commitWrites([{ coll: p.collectionName, key: idKey(e.doc._id), doc: next }]);
    return { data: { updated: changed ? 1 : 0, doc: toWire(next) } };
  }

  private wRemove(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = this.wQuery(p);
    return { data: { deleted: this.doRemove(p.collectionName, coll, p, query) } };
  }

  private doRemove(collName: string, coll: Map<string, Entry>, p: any, query: any): number {
    if (p.transactionId) {
      const tx = this.requireTx(p.transactionId);
      if (p.queryType !== 'DOC') throw this.txWhereError();
      const id = this.docIdOf(query);
      if (this.txRead(tx, collName, id) === null) return 0;
      this.txWrite(tx, collName, idKey(id), null);
      return 1;
    }
    let matched: Entry[];
    if (p.queryType === 'DOC') {
      const e = coll.get(idKey(this.docIdOf(query)));
      matched = e ? [e] : [];
    } else {
      matched = this.matchEntries(coll, query);
      if (p.multi === false) matched = matched.slice(0, 1);
    }
    this.commitWrites(matched.map((e) => ({ coll: collName, key: idKey(e.doc._id), doc: null })));
    return matched.length;
  }

  private wCount(p: any) {
    const coll = this.requireColl(p.collectionName);
    if (p.transactionId) throw this.txWhereError();
    const query = this.wQuery(p);
    return { data: { total: this.matchEntries(coll, query).length } };
  }

  private wAggregate(p: any, legacy: boolean) {
    const coll = this.requireColl(p.collectionName);
    if (p.transactionId) throw this.txWhereError();
    const stages: { stageKey: string; stageValue: any }[] = Array.isArray(p.stages) ? p.stages : [];
    const pipeline = stages.map((s) => {
      const raw = s.stageValue;
      let v: any;
      if (legacy) v = fromLegacy(typeof raw === 'string' ? JSON.parse(raw) : raw, this.now);
      else v = typeof raw === 'string' ? parseWire(raw, this.now) : parseWire(JSON.stringify(raw), this.now);
      return { [s.stageKey]: v };
    });
    const docs = [...coll.values()].map((e) => e.doc);
    const agg = new Aggregator(pipeline, {
      ...QUERY_OPTS,
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => [...this.coll(name).values()].map((e) => clone(e.doc)),
    });
    const out = agg.run(docs) as any[];
    const list = out.map((d) => toWire(d));
    return { data: { list: legacy ? JSON.stringify(list) : list } };
  }

  // ── legacy (0.9.15) handlers ──

  private lQuery(p: any) {
    const coll = this.requireColl(p.collectionName);
    if (p.transactionId) throw this.txWhereError();
    const query = fromLegacy(p.query || {}, this.now);
    const projection = p.projection && Object.keys(p.projection).length ? p.projection : undefined;
    if (p.queryType === 'DOC') {
      const e = coll.get(idKey(this.docIdOf(query)));
      const list = e ? this.project([e.doc], projection) : [];
      return { data: { list: list.map(toLegacy) } };
    }
    const docs = this.runQuery(coll, query, p, projection);
    return { data: { list: docs.map(toLegacy) } };
  }

  private lAdd(p: any) {
    this.requireColl(p.collectionName);
    const doc = fromLegacy(p.data, this.now);
    if (!isPlainObject(doc)) throw new DbError('DATABASE_REQUEST_FAILED', 'document must be an object');
    if (p._id !== undefined && p._id !== null) doc._id = p._id;
    const [id] = this.doInsert(p.collectionName, [doc]);
    return { data: { _id: id } };
  }

  private lUpdate(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = fromLegacy(p.query || {}, this.now);
    const data = fromLegacy(p.data, this.now);
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'data must be an object');
    const r = this.doModify(p.collectionName, coll, { ...p, transactionId: undefined }, query, data);
    const out: Record<string, any> = { updated: r.updated };
    if (r.upsert_id !== undefined) out.upserted_id = r.upsert_id;
    return { data: out };
  }

  private lDelete(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = fromLegacy(p.query || {}, this.now);
    return { data: { deleted: this.doRemove(p.collectionName, coll, { ...p, transactionId: undefined }, query) } };
  }

  private lCount(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = fromLegacy(p.query || {}, this.now);
    return { data: { total: this.matchEntries(coll, query).length } };
  }

  // ── legacy (0.9.15) transaction actions: data is EJSON of the legacy-serialized value ──

  /** EJSON string whose values were first legacy-serialized (`{$date: ms}`, `{$date:{offset}}`). */
  private parseLegacyEjson(s: unknown): any {
    if (typeof s !== 'string') return fromLegacy(s, this.now);
    const fix = (v: any): any => {
      if (Array.isArray(v)) return v.map(fix);
      if (!isPlainObject(v)) return v;
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$date' && isPlainObject(v.$date) && 'offset' in v.$date) {
        return { $tcb_server_date: { offset: v.$date.offset } };
      }
      const o: Record<string, any> = {};
      for (const k of keys) o[k] = fix(v[k]);
      return o;
    };
    return parseWire(JSON.stringify(fix(JSON.parse(s))), this.now);
  }

  private lTxGet(p: any) {
    this.requireColl(p.collectionName);
    const tx = this.requireTx(p.transactionId);
    const doc = this.txRead(tx, p.collectionName, this.docIdOf(fromLegacy(p.query || {}, this.now)));
    return { data: doc ? toWire(doc) : 'null' };
  }

  private lTxInsert(p: any) {
    this.requireColl(p.collectionName);
    const doc = this.parseLegacyEjson(p.data);
    if (!isPlainObject(doc)) throw new DbError('DATABASE_REQUEST_FAILED', 'document must be an object');
    if (p._id !== undefined && p._id !== null) doc._id = p._id;
    const [id] = this.doInsert(p.collectionName, [doc], p.transactionId);
    return { inserted: '1', ok: '1', insertedId: id };
  }

  private lTxUpdate(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = fromLegacy(p.query || {}, this.now);
    const data = this.parseLegacyEjson(p.data);
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'data must be an object');
    const upsert = p.upsert === true;
    const r = this.doModify(p.collectionName, coll, { transactionId: p.transactionId, queryType: 'DOC', upsert, merge: !upsert }, query, data);
    const out: Record<string, any> = { updated: String(r.updated) };
    if (r.upsert_id !== undefined) out.upserted = JSON.stringify([{ _id: r.upsert_id }]);
    return out;
  }

  private lTxDelete(p: any) {
    const coll = this.requireColl(p.collectionName);
    const query = fromLegacy(p.query || {}, this.now);
    return { deleted: String(this.doRemove(p.collectionName, coll, { transactionId: p.transactionId, queryType: 'DOC' }, query)) };
  }

  // ── transactions ──

  private txStart() {
    this.expireTxs();
    const id = `tx-${newId()}`;
    this.txs.set(id, { id, startedAt: Date.now(), touched: new Map() });
    return { transactionId: id };
  }

  private txCommit(id: string) {
    const tx = this.requireTx(id);
    this.txs.delete(id);
    for (const t of tx.touched.values()) {
      if (this.version(t.coll, t.key) !== t.ver) {
        throw new DbError(
          'DATABASE_TRANSACTION_CONFLICT',
          `database transaction conflict: document ${t.coll}/${t.doc?._id ?? t.key} was changed by another write`,
        );
      }
    }
    const writes: Write[] = [];
    for (const t of tx.touched.values()) if (t.dirty) writes.push({ coll: t.coll, key: t.key, doc: t.doc });
    this.commitWrites(writes);
    return {};
  }

  private txAbort(id: string) {
    this.requireTx(id);
    this.txs.delete(id);
    return {};
  }

  private expireTxs(): void {
    const t = Date.now();
    for (const [id, tx] of this.txs) if (t - tx.startedAt > this.maxTxMs) this.txs.delete(id);
  }

  private requireTx(id: unknown): Tx {
    this.expireTxs();
    const tx = typeof id === 'string' ? this.txs.get(id) : undefined;
    if (!tx) throw new DbError('DATABASE_TRANSACTION_FAIL', `transaction ${String(id)} does not exist or has expired`);
    return tx;
  }

  private txTouch(tx: Tx, coll: string, key: string): TxTouch {
    const fk = fullKey(coll, key);
    let t = tx.touched.get(fk);
    if (!t) {
      const e = this.coll(coll).get(key);
      t = { coll, key, ver: this.version(coll, key), doc: e ? clone(e.doc) : null, dirty: false };
      tx.touched.set(fk, t);
    }
    return t;
  }

  private txRead(tx: Tx, coll: string, id: unknown): any | null {
    return this.txTouch(tx, coll, idKey(id)).doc;
  }

  private txWrite(tx: Tx, coll: string, key: string, doc: any | null): void {
    const t = this.txTouch(tx, coll, key);
    t.doc = doc;
    t.dirty = true;
  }

  private txWhereError(): DbError {
    return new DbError(
      'INVALID_PARAM',
      'only single-document operations are allowed in a transaction (doc().get/update/set/remove and add); where/count/aggregate are not',
    );
  }

  // ── core helpers ──

  private version(coll: string, key: string): number {
    return this.versions.get(fullKey(coll, key)) ?? 0;
  }

  /** Write through to sqlite (one sqlite transaction), then to memory; bumps versions. */
  private commitWrites(writes: Write[]): void {
    if (!writes.length) return;
    const ser = writes.map((w) => ({ ...w, ejson: w.doc === null ? null : toWire(w.doc) }));
    if (this.sql && this.stmt) {
      const st = this.stmt;
      this.sql.transaction(() => {
        for (const w of ser) {
          if (w.ejson === null) st.del.run(w.coll, w.key);
          else st.upsert.run(w.coll, w.key, w.ejson);
        }
      })();
    }
    for (const w of writes) {
      const m = this.coll(w.coll);
      if (w.doc === null) m.delete(w.key);
      else {
        const e = m.get(w.key);
        if (e) e.doc = w.doc;
        else m.set(w.key, { doc: w.doc });
      }
      this.versions.set(fullKey(w.coll, w.key), ++this.seq);
    }
  }

  private applyUpdate(doc: any, data: Record<string, any>, merge: boolean): any {
    const id = doc._id;
    if (!merge) {
      if (hasOperatorKeys(data)) throw new DbError('DATABASE_REQUEST_FAILED', 'update operator complicit: a replace (set) must not contain update operators');
      if (data._id !== undefined && !sameValue(data._id, id)) throw this.idChangeError();
      const next: Record<string, any> = { _id: id, ...clone(data) };
      next._id = id;
      if (id === undefined) delete next._id;
      return next;
    }
    const mod = toModifier(data);
    const next = clone(doc);
    if (Object.keys(mod).length) mingoUpdate(next, mod as any, undefined, undefined, { cloneMode: 'deep', queryOptions: QUERY_OPTS });
    if (id !== undefined && !sameValue(next._id, id)) throw this.idChangeError();
    return next;
  }

  private idChangeError(): DbError {
    return new DbError('DATABASE_REQUEST_FAILED', "Performing an update on the path '_id' would modify the immutable field '_id' (不能更新_id的值)");
  }

  private dupError(coll: string, id: unknown): DbError {
    return new DbError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`);
  }

  private coll(name: string): Map<string, Entry> {
    const m = this.colls.get(name);
    if (!m) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    return m;
  }

  private requireColl(name: unknown): Map<string, Entry> {
    if (typeof name !== 'string' || !name) throw new DbError('INVALID_PARAM', 'collectionName is required');
    return this.coll(name);
  }

  /** `_id` of a DOC query: `{_id: X}` or `{_id: {$eq: X}}` */
  private docIdOf(query: any): string {
    let id = query?._id;
    if (isPlainObject(id) && '$eq' in id) id = id.$eq;
    if (typeof id !== 'string' && typeof id !== 'number') throw new DbError('INVALID_PARAM', 'a DOC query needs an _id');
    return id as string;
  }

  /** Matching entries in natural (insertion) order, with a fast path for `_id` equality / `$in`. */
  private matchEntries(coll: Map<string, Entry>, query: any): Entry[] {
    const q = query || {};
    const keys = Object.keys(q);
    if (!keys.length) return [...coll.values()];
    let candidates: Entry[] | null = null;
    const idc = q._id;
    if (typeof idc === 'string' || typeof idc === 'number') {
      const e = coll.get(idKey(idc));
      candidates = e ? [e] : [];
    } else if (isPlainObject(idc) && Object.keys(idc).length === 1) {
      if (typeof idc.$eq === 'string' || typeof idc.$eq === 'number') {
        const e = coll.get(idKey(idc.$eq));
        candidates = e ? [e] : [];
      } else if (Array.isArray(idc.$in) && idc.$in.every((x: unknown) => typeof x === 'string' || typeof x === 'number')) {
        const wanted = new Set(idc.$in.map((x: string | number) => idKey(x)));
        candidates = [...coll.entries()].filter(([k]) => wanted.has(k)).map(([, e]) => e);
      }
    }
    const pool = candidates ?? [...coll.values()];
    if (candidates && keys.length === 1 && (typeof idc === 'string' || typeof idc === 'number')) return pool;
    const mq = new Query(q, QUERY_OPTS);
    return pool.filter((e) => mq.test(e.doc));
  }
}

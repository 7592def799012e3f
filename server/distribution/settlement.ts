/**
 * The commission state sweep and period settlement (DESIGN §5.4), run by `settleCommissions`.
 *
 * Every step is an idempotent conditional write, and the batch's `status` records how far it got, so the run can
 * be repeated, run twice at once, or killed at any point and re-run:
 *   1. catch-up freeze: completed orders whose entries were not yet frozen (a crash after completion)
 *   2. sweep frozen → settleable: freezeUntil ≤ now, and no open after-sale on the order
 *   3. the batch of the last closed period, `settle:${periodKey}` (add with that `_id`; a duplicate = exists):
 *      auto → created 'marking'; manual → created 'proposed' with totals and waits for approval ('approved').
 *      approved → marking → (entries `settleable` with freezeUntil ≤ cutoff → `settled` + batchId, in chunks of
 *      ≤ 1000 by `_id`, each `where({_id: _.in(ids), state: 'settleable'})`) → marked → statements (one aggregate
 *      per batch, upsert with doc.set) → done.
 * Work stops at the deadline (≈ 70% of the function timeout); the next run resumes where this one stopped.
 * A run that marks entries after a concurrent run moved the batch past 'marking' recomputes the statements itself
 * (statement and totals writes are monotone in the entry count); should it die before that, every later run
 * compares the recent done batches' totals with a count of their entries and recomputes on a mismatch.
 * Only `settleable` entries are ever marked, so nothing inside its freeze is settled.
 */
import { batchId, settlementPeriod } from '../../core/distribution/settlement';
import { db, cmd, isDuplicateKeyError, getDoc } from '../cloud';
import { logEvent } from '../log';
import { loadDistributionSettings } from './settings';
import { freezeOrderCommissions } from './commission';

export type BatchStatus = 'proposed' | 'approved' | 'marking' | 'marked' | 'done' | 'rejected';

export interface BatchDoc {
  _id: string;
  period: string;
  cutoff: number;
  mode: 'auto' | 'manual';
  status: BatchStatus;
  /** proposed (manual): the proposal; from approval / auto creation on: what is settled (only grows) */
  totals: { entries: number; amountFen: number; distributors: number };
  proposedTotals?: { entries: number; amountFen: number; distributors: number };
  createdAt: number;
  approvedBy?: string;
  approvedAt?: number;
  rejectedReason?: string;
  doneAt?: number;
  history?: { from: BatchStatus | null; to: BatchStatus; at: number; by: string }[];
}

export interface RunOptions {
  /** entries per request (≤ 1000) */
  chunk?: number;
  /** absolute wall-clock deadline (Date.now() ms) */
  deadline: number;
  /** stop after this many chunk updates (tests: simulate a run killed half-way) */
  maxChunks?: number;
}

export interface RunReport {
  frozenCaughtUp: number;
  swept: number;
  held: number;
  batch: string | null;
  marked: number;
  statements: number;
  batchesDone: string[];
  stoppedEarly: boolean;
}

const updated = (res: { stats?: { updated?: number } } | undefined) => res?.stats?.updated ?? 0;

async function catchUpFreeze(now: number, opts: RunOptions, report: RunReport): Promise<void> {
  const _ = cmd();
  const res = await db()
    .collection('orders')
    .where({ status: 'completed', 'commission.entryCount': _.gt(0), 'commission.frozenAt': _.exists(false) })
    .limit(50)
    .field({ _id: true, completedAt: true })
    .get();
  for (const o of (res.data as { _id: string; completedAt?: number }[]) ?? []) {
    if (Date.now() > opts.deadline) {
      report.stoppedEarly = true;
      return;
    }
    await freezeOrderCommissions(o._id, o.completedAt ?? now, now);
    report.frozenCaughtUp++;
  }
}

/** frozen → settleable where the freeze has ended and the order has no open after-sale. */
export async function sweep(now: number, opts: RunOptions, report: RunReport): Promise<void> {
  const _ = cmd();
  const chunk = Math.min(1000, opts.chunk ?? 1000);
  let cursor = '';
  for (;;) {
    if (Date.now() > opts.deadline) {
      report.stoppedEarly = true;
      return;
    }
    const where: Record<string, unknown> = { state: 'frozen', freezeUntil: _.lte(now) };
    if (cursor) where._id = _.gt(cursor);
    const res = await db().collection('commissions').where(where).orderBy('_id', 'asc').limit(chunk).field({ _id: true, orderId: true }).get();
    const rows = (res.data as { _id: string; orderId: string }[]) ?? [];
    if (rows.length === 0) return;
    cursor = rows[rows.length - 1]._id;
    const orderIds = [...new Set(rows.map((r) => r.orderId))];
    const open = await db()
      .collection('orders')
      .where({ _id: _.in(orderIds), openAfterSales: _.gt(0) })
      .limit(1000)
      .field({ _id: true })
      .get();
    const held = new Set(((open.data as { _id: string }[]) ?? []).map((o) => o._id));
    const ids = rows.filter((r) => !held.has(r.orderId)).map((r) => r._id);
    report.held += rows.length - ids.length;
    if (ids.length > 0) {
      const u = await db()
        .collection('commissions')
        .where({ _id: _.in(ids), state: 'frozen' })
        .update({ data: { state: 'settleable', settleableAt: now } });
      report.swept += updated(u);
    }
    if (rows.length < chunk) return;
  }
}

async function aggregateSettleable(cutoff: number): Promise<{ entries: number; amountFen: number; distributors: number }> {
  const $ = db().command.aggregate;
  const _ = cmd();
  const r = await db()
    .collection('commissions')
    .aggregate()
    .match({ state: 'settleable', freezeUntil: _.lte(cutoff) })
    .group({ _id: '$beneficiary', amountFen: $.sum('$amountFen'), entries: $.sum(1) })
    .group({ _id: null, amountFen: $.sum('$amountFen'), entries: $.sum('$entries'), distributors: $.sum(1) })
    .limit(1)
    .end();
  const row = (r.list ?? [])[0] as { amountFen?: number; entries?: number; distributors?: number } | undefined;
  return { entries: row?.entries ?? 0, amountFen: row?.amountFen ?? 0, distributors: row?.distributors ?? 0 };
}

async function moveBatch(b: BatchDoc, to: BatchStatus, by: string, now: number, patch: Record<string, unknown> = {}): Promise<boolean> {
  const _ = cmd();
  const u = await db()
    .collection('settlement_batches')
    .where({ _id: b._id, status: b.status })
    .update({ data: { ...patch, status: to, history: _.push([{ from: b.status, to, at: now, by }]) } });
  return updated(u) > 0;
}

/** Creates the batch of the last closed period if it does not exist yet. */
export async function ensureBatch(now: number, mode: 'auto' | 'manual', cycle: 'daily' | 'weekly' | 'monthly'): Promise<string> {
  const p = settlementPeriod(now, cycle);
  const period = p.key;
  const cutoff = p.end;
  const id = batchId(period);
  const existing = await db().collection('settlement_batches').doc(id).get();
  if (existing.data) return id;
  const status: BatchStatus = mode === 'auto' ? 'marking' : 'proposed';
  const totals = mode === 'manual' ? await aggregateSettleable(cutoff) : { entries: 0, amountFen: 0, distributors: 0 };
  if (mode === 'manual' && totals.entries === 0) return id; // nothing to propose
  const doc: BatchDoc = { _id: id, period, cutoff, mode, status, totals, createdAt: now, history: [{ from: null, to: status, at: now, by: 'system' }] };
  try {
    await db().collection('settlement_batches').add({ data: doc });
    logEvent('settlement_batch_created', { id, mode, status, totals });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
  return id;
}

async function getBatch(id: string): Promise<BatchDoc | null> {
  return getDoc<BatchDoc>('settlement_batches', id);
}

/** Marks settleable entries up to the cutoff as settled in this batch, chunk by chunk. Returns true when none are left. */
async function markEntries(b: BatchDoc, now: number, opts: RunOptions, report: RunReport, chunksLeft: { n: number }): Promise<boolean> {
  const _ = cmd();
  const chunk = Math.min(1000, opts.chunk ?? 1000);
  for (;;) {
    if (Date.now() > opts.deadline || chunksLeft.n <= 0) {
      report.stoppedEarly = true;
      return false;
    }
    const res = await db()
      .collection('commissions')
      .where({ state: 'settleable', freezeUntil: _.lte(b.cutoff) })
      .orderBy('_id', 'asc')
      .limit(chunk)
      .field({ _id: true })
      .get();
    const ids = ((res.data as { _id: string }[]) ?? []).map((r) => r._id);
    if (ids.length === 0) return true;
    // a concurrent run may have finished this batch meanwhile: never mark into a batch past 'marking'
    const cur = await getBatch(b._id);
    if (!cur || cur.status !== 'marking') return false;
    const u = await db()
      .collection('commissions')
      .where({ _id: _.in(ids), state: 'settleable' })
      .update({ data: { state: 'settled', batchId: b._id, settledAt: now } });
    const n = updated(u);
    report.marked += n;
    chunksLeft.n--;
    if (n > 0) {
      // a concurrent run may have moved the batch on between our check and our write: then its statements may
      // miss what we just marked — recompute them now (monotone writes: a stale computation never wins)
      const after = await getBatch(b._id);
      if (after && after.status !== 'marking') {
        const totals = await writeStatements(after, now, report);
        await raiseTotals(after._id, totals);
        return false;
      }
    }
    if (ids.length < chunk) return true;
  }
}

/**
 * Monotone statement write: entries only ever join a batch, so a computation with more entries is newer.
 * Insert, or overwrite only a statement computed from fewer entries (a concurrent, staler computation never wins).
 */
async function writeStatement(doc: { _id: string; entries: number } & Record<string, unknown>): Promise<void> {
  const _ = cmd();
  try {
    await db().collection('statements').add({ data: doc });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    const { _id, ...rest } = doc;
    await db()
      .collection('statements')
      .where({ _id, entries: _.lt(doc.entries) })
      .update({ data: rest });
  }
}

/** Raises a done batch's totals when a late mark added entries (monotone on totals.entries). */
async function raiseTotals(id: string, totals: BatchDoc['totals']): Promise<void> {
  const _ = cmd();
  await db()
    .collection('settlement_batches')
    .where({ _id: id, 'totals.entries': _.lt(totals.entries) })
    .update({ data: { totals } });
}

/** One statement per distributor from the batch's entries (a recomputable view: doc.set). */
async function writeStatements(b: BatchDoc, now: number, report: RunReport): Promise<BatchDoc['totals']> {
  const $ = db().command.aggregate;
  const r = await db()
    .collection('commissions')
    .aggregate()
    .match({ batchId: b._id })
    .group({ _id: { openid: '$beneficiary', tier: '$tier' }, amountFen: $.sum('$amountFen'), entries: $.sum(1) })
    .limit(100000)
    .end();
  const per = new Map<string, { amountFen: number; entries: number; byTier: Record<string, number> }>();
  for (const row of (r.list ?? []) as { _id: { openid: string; tier: number }; amountFen: number; entries: number }[]) {
    const s = per.get(row._id.openid) ?? { amountFen: 0, entries: 0, byTier: {} };
    s.amountFen += row.amountFen;
    s.entries += row.entries;
    s.byTier[String(row._id.tier)] = (s.byTier[String(row._id.tier)] ?? 0) + row.amountFen;
    per.set(row._id.openid, s);
  }
  const totals = { entries: 0, amountFen: 0, distributors: per.size };
  const writes: Promise<unknown>[] = [];
  for (const [openid, s] of per) {
    totals.entries += s.entries;
    totals.amountFen += s.amountFen;
    writes.push(writeStatement({ _id: `${b._id}:${openid}`, batchId: b._id, period: b.period, openid, amountFen: s.amountFen, entries: s.entries, byTier: s.byTier, at: now }));
    if (writes.length >= 20) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  report.statements += per.size;
  return totals;
}

/** Drives one batch as far as it can go. */
async function advanceBatch(id: string, now: number, opts: RunOptions, report: RunReport, chunksLeft: { n: number }): Promise<void> {
  for (let step = 0; step < 6; step++) {
    const b = await getBatch(id);
    if (!b) return;
    if (b.status === 'approved') {
      await moveBatch(b, 'marking', 'system', now);
      continue;
    }
    if (b.status === 'marking') {
      const finished = await markEntries(b, now, opts, report, chunksLeft);
      if (!finished) return;
      await moveBatch(b, 'marked', 'system', now);
      continue;
    }
    if (b.status === 'marked') {
      if (Date.now() > opts.deadline) {
        report.stoppedEarly = true;
        return;
      }
      const totals = await writeStatements(b, now, report);
      await raiseTotals(b._id, totals); // before 'done': a crash in between redoes this step
      const moved = await moveBatch(b, 'done', 'system', now, { doneAt: now });
      if (moved) {
        report.batchesDone.push(b._id);
        logEvent('settlement_batch_done', { id: b._id, totals });
      }
      continue;
    }
    return; // proposed (waiting for the merchant), done, rejected
  }
}

export async function runSettlement(now: number, opts: RunOptions): Promise<RunReport> {
  const report: RunReport = { frozenCaughtUp: 0, swept: 0, held: 0, batch: null, marked: 0, statements: 0, batchesDone: [], stoppedEarly: false };
  const settings = await loadDistributionSettings(now);
  await catchUpFreeze(now, opts, report);
  await sweep(now, opts, report);
  if (Date.now() > opts.deadline) {
    report.stoppedEarly = true;
    return report;
  }
  report.batch = await ensureBatch(now, settings.settlement.mode, settings.settlement.cycle);
  const _ = cmd();
  const open = await db()
    .collection('settlement_batches')
    .where({ status: _.in(['approved', 'marking', 'marked']) })
    .orderBy('createdAt', 'asc')
    .limit(20)
    .field({ _id: true })
    .get();
  const chunksLeft = { n: opts.maxChunks ?? Number.POSITIVE_INFINITY };
  for (const row of (open.data as { _id: string }[]) ?? []) {
    await advanceBatch(row._id, now, opts, report, chunksLeft);
    if (report.stoppedEarly) break;
  }
  if (!report.stoppedEarly) await reconcileRecent(now, report);
  return report;
}

/**
 * Closes the last window: a run that marked entries late into a finished batch and died before recomputing.
 * For the most recent done batches, one count of the entries carrying the batch id; a mismatch with the
 * batch totals recomputes the statements (monotone writes). 1 + RECENT requests per run when all is well.
 */
const RECENT = 3;
async function reconcileRecent(now: number, report: RunReport): Promise<void> {
  const r = await db().collection('settlement_batches').where({ status: 'done' }).orderBy('doneAt', 'desc').limit(RECENT).get();
  for (const b of (r.data as BatchDoc[]) ?? []) {
    const c = await db().collection('commissions').where({ batchId: b._id }).count();
    if ((c?.total ?? 0) !== (b.totals?.entries ?? 0)) {
      const totals = await writeStatements(b, now, report);
      await raiseTotals(b._id, totals);
      logEvent('settlement_batch_reconciled', { alert: true, id: b._id, before: b.totals, after: totals });
    }
  }
}

/** Merchant approval of a proposed (manual) batch; the next run settles it. */
export async function approveBatch(id: string, by: string, now: number): Promise<BatchDoc | null> {
  const b = await getBatch(id);
  if (!b) return null;
  // from approval on, `totals` only grows with what is actually settled (monotone); the proposal is kept aside
  if (b.status === 'proposed') {
    await moveBatch(b, 'approved', by, now, { approvedBy: by, approvedAt: now, proposedTotals: b.totals, totals: { entries: 0, amountFen: 0, distributors: 0 } });
  }
  return getBatch(id);
}

export async function rejectBatch(id: string, by: string, reason: string, now: number): Promise<BatchDoc | null> {
  const b = await getBatch(id);
  if (!b) return null;
  if (b.status === 'proposed') await moveBatch(b, 'rejected', by, now, { rejectedReason: reason });
  return getBatch(id);
}

export { getBatch };

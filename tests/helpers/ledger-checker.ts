/**
 * Whole-database invariant checker for the distribution ledger, in the style of Jepsen's bank checker
 * (jepsen/src/jepsen/tests/bank.clj): read everything, check every invariant, group the violations by type
 * and keep the first and last example of each (plus a count), so one run shows every kind of breakage.
 *
 * The checks follow docs/contracts.md "Distribution (issue 3)" and the issue's "Must hold":
 * - every order that reached paid (paidAt set) has exactly one commission set (snapshot + one `accrue` entry
 *   per snapshot line, deterministic ids, no duplicates); orders never paid have no entries;
 * - ≤ 2 beneficiaries per line, distinct tiers 1|2, never the buyer unless self-purchase is on (then tier 1 only);
 * - every amount a safe integer, signs by kind, accrue ≤ cap of its base;
 * - state consistency (settled ⇔ batchId, the batch exists and settled something, freezeUntil ≤ cutoff);
 * - reversals never exceed their accrue; a fully refunded line nets to exactly 0;
 * - per distributor: balances reported by `distribution.me` equal the ledger, statements add up to the settled
 *   entries, wallet.withdrawnFen equals Σ non-failed withdrawals, nothing is paid out twice
 *   (one transfer per outBillNo, Σ paid ≤ Σ settled earnings).
 *
 * `checkLedgerData` is pure (takes a snapshot) so the checker itself can be tested against corrupted data;
 * `checkLedger(lc)` reads the local cloud and (optionally) asks `distribution.me` for each distributor.
 */
import type { LocalCloud } from '../../localcloud';

export interface Violation {
  count: number;
  first: unknown;
  last: unknown;
}
export interface LedgerReport {
  ok: boolean;
  errors: Record<string, Violation>;
  /** what was looked at (for printing) */
  stats: { orders: number; paidOrders: number; entries: number; distributors: number; batches: number; withdrawals: number; transfers: number; meCalls: number };
}

type Doc = Record<string, any>;

export interface LedgerSnapshot {
  orders: Doc[];
  commissions: Doc[];
  distributors: Doc[];
  bindings: Doc[];
  batches: Doc[];
  statements: Doc[];
  wallets: Doc[];
  withdrawals: Doc[];
  afterSales: Doc[];
  /** 商家转账 stand-in records, if the local cloud has them */
  transfers: Doc[] | null;
  settings: Doc | null;
  /** `distribution.me` data per distributor openid (null = not asked) */
  me: Record<string, Doc> | null;
}

const STATES = ['pending', 'frozen', 'settleable', 'settled'] as const;
/** batch statuses in which entries may carry its batchId as settled */
const SETTLING_BATCH = new Set(['approved', 'marking', 'marked', 'done']);
/** withdrawal statuses that give the money back to the balance */
const RETURNED_WITHDRAWAL = new Set(['failed', 'rejected']);
/** transfer states of the 商家转账 stand-in that mean money left the merchant */
const TRANSFER_PAID = new Set(['SUCCESS', 'success', 'paid', 'PAID']);

class Errors {
  readonly map: Record<string, Violation> = {};
  add(type: string, example: unknown) {
    const v = this.map[type];
    if (v) {
      v.count += 1;
      v.last = example;
    } else this.map[type] = { count: 1, first: example, last: example };
  }
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** The deterministic id of an entry (contracts.md). */
export function entryId(orderId: string, lineId: string, tier: number, event: string): string {
  return `${orderId}:${lineId}:T${tier}:${event}`;
}

function group<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const arr = m.get(k);
    if (arr) arr.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Every numeric field whose name ends in Fen (recursively) must be a safe integer: no float reaches storage. */
function checkFenFields(errors: Errors, coll: string, doc: Doc) {
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Doc)) {
        const p = path ? `${path}.${k}` : k;
        if (/Fen$/.test(k) && typeof x === 'number' && !Number.isSafeInteger(x)) errors.add('non-integer-fen', { coll, _id: doc._id, field: p, value: x });
        if ((k === 'bp' || /Bp$/.test(k)) && typeof x === 'number' && !Number.isSafeInteger(x)) errors.add('non-integer-bp', { coll, _id: doc._id, field: p, value: x });
        walk(x, p);
      }
    }
  };
  walk(doc, '');
}

/** Pure check of one snapshot. */
export function checkLedgerData(s: LedgerSnapshot): LedgerReport {
  const errors = new Errors();
  const settings = s.settings ?? {};
  const selfPurchase = settings.selfPurchase === true;
  const capBp: number = isInt(settings.capBp) ? settings.capBp : 5000;
  const orders = new Map(s.orders.map((o) => [o._id as string, o]));
  const batches = new Map(s.batches.map((b) => [b._id as string, b]));
  const afterSales = new Map(s.afterSales.map((a) => [a._id as string, a]));
  const byOrder = group(s.commissions, (e) => String(e.orderId));

  for (const coll of ['commissions', 'statements', 'wallets', 'withdrawals', 'batches'] as const) {
    for (const d of s[coll]) checkFenFields(errors, coll, d);
  }
  for (const o of s.orders) if (o.commission) checkFenFields(errors, 'orders.commission', { _id: o._id, commission: o.commission });

  // ---- entries, one by one ----
  const accrueOf = new Map<string, Doc>(); // `${orderId}:${lineId}:T${tier}` → accrue entry
  for (const e of s.commissions) {
    const ex = { _id: e._id, orderId: e.orderId, kind: e.kind, state: e.state, amountFen: e.amountFen };
    if (!isInt(e.amountFen)) errors.add('non-integer-amount', ex);
    if (e.baseFen !== undefined && !isInt(e.baseFen)) errors.add('non-integer-amount', { ...ex, baseFen: e.baseFen });
    if (e.tier !== 1 && e.tier !== 2) errors.add('bad-tier', ex);
    if (!STATES.includes(e.state)) errors.add('bad-state', ex);
    const event = e.kind === 'accrue' ? 'accrue' : typeof e._id === 'string' ? String(e._id).split(':').slice(3).join(':') : '';
    if (e.kind === 'accrue') {
      if (isInt(e.amountFen) && e.amountFen < 0) errors.add('negative-accrue', ex);
    } else if (e.kind === 'reverse' || e.kind === 'clawback') {
      if (isInt(e.amountFen) && e.amountFen > 0) errors.add('positive-reversal', ex);
      const prefix = e.kind === 'reverse' ? 'rev-' : 'claw-';
      if (!event.startsWith(prefix)) errors.add('nondeterministic-id', { ...ex, expectedEventPrefix: prefix });
      const asId = event.slice(prefix.length);
      const as = afterSales.get(asId);
      if (!as) errors.add('reversal-without-after-sale', { ...ex, afterSaleId: asId });
      else if (as.orderId !== e.orderId) errors.add('reversal-of-other-order', { ...ex, afterSaleOrder: as.orderId });
      else if (as.status !== 'refunded') errors.add('reversal-before-refund', { ...ex, afterSaleStatus: as.status });
    } else errors.add('bad-kind', ex);
    if (e._id !== entryId(e.orderId, e.lineId, e.tier, event)) errors.add('nondeterministic-id', { ...ex, expected: entryId(e.orderId, e.lineId, e.tier, event) });
    // settled ⇔ batchId, and the batch exists and is a settling batch
    if (e.state === 'settled') {
      if (!e.batchId) errors.add('settled-without-batch', ex);
      else {
        const b = batches.get(e.batchId);
        if (!b) errors.add('settled-in-missing-batch', { ...ex, batchId: e.batchId });
        else {
          if (!SETTLING_BATCH.has(b.status)) errors.add('settled-in-unapproved-batch', { ...ex, batchId: e.batchId, batchStatus: b.status });
          if (isInt(e.freezeUntil) && isInt(b.cutoff) && e.freezeUntil > b.cutoff) {
            errors.add('settled-inside-freeze', { ...ex, freezeUntil: e.freezeUntil, cutoff: b.cutoff, batchId: b._id });
          }
        }
      }
    } else if (e.batchId) errors.add('batch-on-unsettled-entry', { ...ex, batchId: e.batchId });
    if (e.state === 'frozen' && !isInt(e.freezeUntil)) errors.add('frozen-without-freezeUntil', ex);
    if (e.kind === 'accrue') {
      const k = `${e.orderId}:${e.lineId}:T${e.tier}`;
      if (accrueOf.has(k)) errors.add('duplicate-accrue', { ...ex, other: accrueOf.get(k)!._id });
      else accrueOf.set(k, e);
    }
  }

  // ---- orders ----
  let paidOrders = 0;
  for (const o of s.orders) {
    const entries = byOrder.get(o._id) ?? [];
    const paid = typeof o.paidAt === 'number';
    if (!paid) {
      if (entries.length) errors.add('entries-on-unpaid-order', { orderId: o._id, status: o.status, entries: entries.map((e) => e._id) });
      if (o.commission) errors.add('snapshot-on-unpaid-order', { orderId: o._id, status: o.status });
      continue;
    }
    paidOrders++;
    const snap = o.commission;
    if (!snap || !Array.isArray(snap.lines)) {
      errors.add('paid-order-without-commission-set', { orderId: o._id, status: o.status, paidAt: o.paidAt });
      continue;
    }
    const accrues = entries.filter((e) => e.kind === 'accrue');
    const seen = new Set<string>();
    const lineOf = new Map<string, Doc>((o.lines ?? []).map((l: Doc) => [l.lineId, l]));
    for (const sl of snap.lines as Doc[]) {
      const key = entryId(o._id, sl.lineId, sl.tier, 'accrue');
      if (seen.has(key)) errors.add('duplicate-snapshot-line', { orderId: o._id, lineId: sl.lineId, tier: sl.tier });
      seen.add(key);
      if (!isInt(sl.amountFen)) errors.add('non-integer-amount', { orderId: o._id, snapshotLine: sl });
      const e = accrues.find((x) => x._id === key);
      if (!e) {
        if (isInt(sl.amountFen) && sl.amountFen > 0) errors.add('missing-accrue-entry', { orderId: o._id, expected: key, amountFen: sl.amountFen });
        continue;
      }
      if (e.amountFen !== sl.amountFen || e.beneficiary !== sl.beneficiary || e.tier !== sl.tier || (sl.baseFen !== undefined && e.baseFen !== sl.baseFen)) {
        errors.add('entry-differs-from-snapshot', { _id: e._id, entry: { amountFen: e.amountFen, beneficiary: e.beneficiary, baseFen: e.baseFen }, snapshot: { amountFen: sl.amountFen, beneficiary: sl.beneficiary, baseFen: sl.baseFen } });
      }
      if (e.buyer !== undefined && e.buyer !== o.openid) errors.add('entry-buyer-differs', { _id: e._id, entryBuyer: e.buyer, orderBuyer: o.openid });
      const line = lineOf.get(sl.lineId);
      if (!line) errors.add('snapshot-line-not-in-order', { orderId: o._id, lineId: sl.lineId });
      else if (isInt(line.payable) && isInt(sl.baseFen) && sl.baseFen !== line.payable) {
        errors.add('base-differs-from-line-payable', { orderId: o._id, lineId: sl.lineId, baseFen: sl.baseFen, payable: line.payable });
      }
    }
    for (const e of accrues) if (!seen.has(e._id)) errors.add('accrue-not-in-snapshot', { _id: e._id, amountFen: e.amountFen });
    // beneficiaries per line
    for (const [lineId, ls] of group(snap.lines as Doc[], (l) => String(l.lineId))) {
      const bens = new Set(ls.map((l) => l.beneficiary));
      const tiers = ls.map((l) => l.tier);
      if (ls.length > 2 || bens.size !== ls.length || new Set(tiers).size !== tiers.length || tiers.some((t) => t !== 1 && t !== 2)) {
        errors.add('too-many-or-repeated-beneficiaries', { orderId: o._id, lineId, lines: ls.map((l) => ({ tier: l.tier, beneficiary: l.beneficiary })) });
      }
      for (const l of ls) {
        if (l.beneficiary === o.openid && (!selfPurchase || l.tier !== 1)) {
          errors.add('buyer-earns', { orderId: o._id, lineId, tier: l.tier, selfPurchase });
        }
      }
      const line = lineOf.get(lineId);
      const base = line && isInt(line.payable) ? line.payable : Math.max(0, ...ls.map((l) => (isInt(l.baseFen) ? l.baseFen : 0)));
      const total = sum(ls.map((l) => (isInt(l.amountFen) ? l.amountFen : 0)));
      if (total > Math.floor((base * capBp) / 10000)) errors.add('over-cap', { orderId: o._id, lineId, total, base, capBp });
    }
    if (Array.isArray(snap.beneficiaries) && snap.beneficiaries.length > 2) errors.add('too-many-or-repeated-beneficiaries', { orderId: o._id, beneficiaries: snap.beneficiaries });
  }
  for (const [orderId, es] of byOrder) {
    if (!orders.has(orderId)) errors.add('entries-of-missing-order', { orderId, entries: es.map((e) => e._id) });
  }

  // ---- reversals against their accrue; refunded lines net to 0 ----
  const byLineTier = group(s.commissions, (e) => `${e.orderId}:${e.lineId}:T${e.tier}`);
  for (const [k, es] of byLineTier) {
    const acc = accrueOf.get(k);
    const revs = es.filter((e) => e.kind !== 'accrue');
    if (!acc) {
      if (revs.length) errors.add('reversal-without-accrue', { key: k, entries: revs.map((e) => e._id) });
      continue;
    }
    const reversed = -sum(revs.map((e) => (isInt(e.amountFen) ? e.amountFen : 0)));
    if (reversed > acc.amountFen) errors.add('over-reversed', { key: k, accrue: acc.amountFen, reversed, entries: revs.map((e) => [e._id, e.amountFen]) });
    for (const r of revs) {
      if (r.beneficiary !== acc.beneficiary) errors.add('reversal-other-beneficiary', { _id: r._id, beneficiary: r.beneficiary, accrueBeneficiary: acc.beneficiary });
      if (r.kind === 'reverse' && acc.state === 'settled' && !(r.state === 'settled' && r.batchId === acc.batchId)) {
        errors.add('reverse-after-settlement', { _id: r._id, state: r.state, batchId: r.batchId, accrueBatch: acc.batchId });
      }
      if (r.kind === 'reverse' && r.state === 'settled' && acc.state !== 'settled') errors.add('reverse-settled-before-accrue', { _id: r._id, accrueState: acc.state });
      if (r.kind === 'clawback' && acc.state !== 'settled') errors.add('clawback-before-settlement', { _id: r._id, accrueState: acc.state });
    }
    const o = orders.get(acc.orderId);
    const line = o && (o.lines ?? []).find((l: Doc) => l.lineId === acc.lineId);
    if (line && isInt(line.qty)) {
      const fullyRefunded = line.refundedQty === line.qty || (isInt(line.payable) && line.payable > 0 && line.refundedFen === line.payable);
      if (fullyRefunded && acc.amountFen - reversed !== 0) errors.add('refunded-line-nets-nonzero', { key: k, accrue: acc.amountFen, reversed, refundedQty: line.refundedQty, qty: line.qty });
      if (!line.refundedQty && !line.refundedFen && revs.length) errors.add('reversal-without-refund', { key: k, entries: revs.map((e) => e._id) });
    }
  }

  // ---- batches and statements ----
  const settled = s.commissions.filter((e) => e.state === 'settled');
  const settledByBatch = group(settled, (e) => String(e.batchId));
  for (const b of s.batches) {
    const es = settledByBatch.get(b._id) ?? [];
    if (b.status === 'done' && b.totals) {
      if (isInt(b.totals.entries) && b.totals.entries !== es.length) errors.add('batch-total-entries-mismatch', { batchId: b._id, totals: b.totals, actual: es.length });
      const amt = sum(es.map((e) => e.amountFen));
      if (isInt(b.totals.amountFen) && b.totals.amountFen !== amt) errors.add('batch-total-amount-mismatch', { batchId: b._id, totals: b.totals, actual: amt });
    }
    if ((b.status === 'proposed' || b.status === 'rejected') && es.length) errors.add('settled-in-unapproved-batch', { batchId: b._id, status: b.status, entries: es.length });
  }
  const stmtByBatchOpenid = new Map(s.statements.map((st) => [`${st.batchId}:${st.openid}`, st]));
  for (const st of s.statements) {
    if (st._id !== `${st.batchId}:${st.openid}`) errors.add('nondeterministic-statement-id', { _id: st._id, batchId: st.batchId, openid: st.openid });
    const b = batches.get(st.batchId);
    if (!b) errors.add('statement-of-missing-batch', { _id: st._id });
    else if (b.status === 'done') {
      const es = (settledByBatch.get(st.batchId) ?? []).filter((e) => e.beneficiary === st.openid);
      const amt = sum(es.map((e) => e.amountFen));
      if (st.amountFen !== amt) errors.add('statement-amount-mismatch', { _id: st._id, statement: st.amountFen, entries: amt, count: es.length });
      const n = Array.isArray(st.entries) ? st.entries.length : st.entries;
      if (isInt(n) && n !== es.length) errors.add('statement-entries-mismatch', { _id: st._id, statement: n, entries: es.length });
    }
  }
  for (const b of s.batches) {
    if (b.status !== 'done') continue;
    for (const [openid, es] of group(settledByBatch.get(b._id) ?? [], (e) => String(e.beneficiary))) {
      if (!stmtByBatchOpenid.has(`${b._id}:${openid}`)) errors.add('missing-statement', { batchId: b._id, openid, entries: es.length });
    }
  }

  // ---- per distributor: balances, wallet, withdrawals, transfers ----
  const beneficiaries = new Set<string>(s.commissions.map((e) => e.beneficiary));
  for (const d of s.distributors) beneficiaries.add(d._id);
  for (const w of s.withdrawals) beneficiaries.add(w.openid);
  const wallets = new Map(s.wallets.map((w) => [w._id as string, w]));
  const transfersByBill = s.transfers ? group(s.transfers, (t) => String(t.outBillNo ?? t.out_bill_no)) : new Map<string, Doc[]>();
  const withdrawalsById = new Map(s.withdrawals.map((w) => [w._id as string, w]));
  for (const [bill, ts] of transfersByBill) {
    const paid = ts.filter((t) => TRANSFER_PAID.has(t.state ?? t.status));
    if (ts.length > 1 || paid.length > 1) errors.add('transfer-issued-twice', { outBillNo: bill, transfers: ts.length, paid: paid.length });
    const w = withdrawalsById.get(bill);
    if (!w) errors.add('transfer-without-withdrawal', { outBillNo: bill });
    else {
      const amt = ts[0].transferAmount ?? ts[0].transfer_amount ?? ts[0].amountFen ?? ts[0].amount;
      if (isInt(amt) && amt !== w.amountFen) errors.add('transfer-amount-mismatch', { outBillNo: bill, transfer: amt, withdrawal: w.amountFen });
      if (paid.length && RETURNED_WITHDRAWAL.has(w.status)) errors.add('paid-transfer-on-returned-withdrawal', { outBillNo: bill, status: w.status });
    }
  }
  for (const w of s.withdrawals) {
    if (!isInt(w.amountFen) || w.amountFen <= 0) errors.add('bad-withdrawal-amount', { _id: w._id, amountFen: w.amountFen });
    if (w.outBillNo !== undefined && w.outBillNo !== w._id) errors.add('withdrawal-bill-not-id', { _id: w._id, outBillNo: w.outBillNo });
    if (s.transfers && w.status === 'paid') {
      const ts = (transfersByBill.get(w._id) ?? []).filter((t) => TRANSFER_PAID.has(t.state ?? t.status));
      if (ts.length !== 1) errors.add('paid-withdrawal-without-transfer', { _id: w._id, paidTransfers: ts.length });
    }
  }
  const byBeneficiary = group(s.commissions, (e) => String(e.beneficiary));
  const withdrawalsBy = group(s.withdrawals, (w) => String(w.openid));
  for (const openid of beneficiaries) {
    const es = byBeneficiary.get(openid) ?? [];
    const byState: Record<string, number> = { pending: 0, frozen: 0, settleable: 0, settled: 0 };
    for (const e of es) if (e.state in byState && isInt(e.amountFen)) byState[e.state] += e.amountFen;
    const ledger = sum(es.map((e) => (isInt(e.amountFen) ? e.amountFen : 0)));
    if (byState.pending + byState.frozen + byState.settleable + byState.settled !== ledger) errors.add('states-do-not-add-up', { openid, byState, ledger });
    const ws = withdrawalsBy.get(openid) ?? [];
    const live = ws.filter((w) => !RETURNED_WITHDRAWAL.has(w.status));
    const withdrawn = sum(live.map((w) => w.amountFen));
    const wallet = wallets.get(openid);
    const walletWithdrawn = wallet && isInt(wallet.withdrawnFen) ? wallet.withdrawnFen : 0;
    if (wallet && !isInt(wallet.withdrawnFen)) errors.add('non-integer-fen', { coll: 'wallets', _id: openid, withdrawnFen: wallet.withdrawnFen });
    if (walletWithdrawn !== withdrawn) errors.add('wallet-differs-from-withdrawals', { openid, walletWithdrawnFen: walletWithdrawn, sumLiveWithdrawals: withdrawn, withdrawals: ws.map((w) => [w._id, w.amountFen, w.status]) });
    // money that may ever be withdrawn = settled earnings before clawbacks (a later clawback may push the balance below 0)
    const earned = sum(es.filter((e) => e.state === 'settled' && e.kind !== 'clawback').map((e) => e.amountFen));
    if (withdrawn > earned) errors.add('withdrawn-more-than-settled', { openid, withdrawn, settledEarnings: earned });
    // money that actually left the merchant to this person (the 商家转账 stand-in's successful bills)
    const paidOut = s.transfers
      ? sum(s.transfers.filter((t) => t.openid === openid && TRANSFER_PAID.has(t.state ?? t.status)).map((t) => Number(t.transfer_amount ?? t.amountFen ?? 0)))
      : sum(ws.filter((w) => w.status === 'paid').map((w) => w.amountFen));
    if (paidOut > earned) errors.add('paid-out-more-than-settled', { openid, paidOut, settledEarnings: earned });
    // statements: every settled entry counted once across all batches
    const stmts = s.statements.filter((st) => st.openid === openid && batches.get(st.batchId)?.status === 'done');
    const doneSettled = sum(es.filter((e) => e.state === 'settled' && batches.get(e.batchId)?.status === 'done').map((e) => e.amountFen));
    const stmtTotal = sum(stmts.map((st) => (isInt(st.amountFen) ? st.amountFen : 0)));
    if (stmtTotal !== doneSettled) errors.add('statements-differ-from-settled', { openid, statements: stmtTotal, settledEntries: doneSettled });
    // the distributor centre must show the ledger
    const me = s.me?.[openid];
    if (me) {
      const bal = (me.balances ?? me.balance ?? me) as Doc;
      const reported: Record<string, unknown> = {
        pending: bal.pendingFen ?? bal.pending,
        frozen: bal.frozenFen ?? bal.frozen,
        settleable: bal.settleableFen ?? bal.settleable,
        settled: bal.settledFen ?? bal.settled,
      };
      for (const st of STATES) {
        if (reported[st] !== undefined && reported[st] !== byState[st]) errors.add(`me-${st}-differs-from-ledger`, { openid, reported: reported[st], ledger: byState[st] });
      }
      const withdrawnReported = bal.withdrawnFen ?? bal.withdrawn;
      if (withdrawnReported !== undefined && withdrawnReported !== withdrawn) errors.add('me-withdrawn-differs', { openid, reported: withdrawnReported, withdrawals: withdrawn });
      const avail = bal.availableFen ?? bal.available ?? bal.withdrawableFen;
      if (avail !== undefined && avail !== byState.settled - withdrawn && avail !== Math.max(0, byState.settled - withdrawn)) {
        errors.add('me-available-differs', { openid, reported: avail, settledMinusWithdrawn: byState.settled - withdrawn });
      }
    }
  }

  // ---- bindings and the invite graph ----
  const dist = new Map(s.distributors.map((d) => [d._id as string, d]));
  for (const b of s.bindings) {
    if (b._id === b.distributorId) errors.add('self-binding', { buyer: b._id });
    const d = dist.get(b.distributorId);
    if (d && Array.isArray(d.ancestors) && d.ancestors.includes(b._id)) errors.add('binding-to-own-downline', { buyer: b._id, distributor: b.distributorId });
  }
  for (const d of s.distributors) {
    const chain: string[] = [];
    let cur: Doc | undefined = d;
    while (cur && cur.inviterId) {
      if (cur.inviterId === d._id || chain.includes(cur.inviterId)) {
        errors.add('invite-cycle', { openid: d._id, chain: [...chain, cur.inviterId] });
        break;
      }
      chain.push(cur.inviterId);
      cur = dist.get(cur.inviterId);
    }
  }

  const stats = {
    orders: s.orders.length,
    paidOrders,
    entries: s.commissions.length,
    distributors: s.distributors.length,
    batches: s.batches.length,
    withdrawals: s.withdrawals.length,
    transfers: s.transfers?.length ?? 0,
    meCalls: s.me ? Object.keys(s.me).length : 0,
  };
  return { ok: Object.keys(errors.map).length === 0, errors: errors.map, stats };
}

/** Reads everything from the local cloud (uncounted). */
export function readLedger(lc: LocalCloud): LedgerSnapshot {
  const all = (c: string) => {
    try {
      return lc.db.find(c, {}, { sort: { _id: 1 } }) as Doc[];
    } catch {
      return [];
    }
  };
  const transfersApi = (lc as unknown as { transfers?: { list(): Doc[] } }).transfers;
  let settings: Doc | null = null;
  try {
    settings = lc.db.get('settings', 'distribution');
  } catch {
    settings = null;
  }
  return {
    orders: all('orders'),
    commissions: all('commissions'),
    distributors: all('distributors'),
    bindings: all('bindings'),
    batches: all('settlement_batches'),
    statements: all('statements'),
    wallets: all('wallets'),
    withdrawals: all('withdrawals'),
    afterSales: all('after_sales'),
    transfers: transfersApi && typeof transfersApi.list === 'function' ? transfersApi.list() : null,
    settings,
    me: null,
  };
}

/**
 * The whole-database check. `transfers: false` skips the 商家转账 stand-in's bills. With `me: true` (default when the `distribution` function exists) it also asks
 * `distribution.me` as every distributor and compares the balances it shows with the ledger.
 */
export async function checkLedger(lc: LocalCloud, opts: { me?: boolean; transfers?: boolean } = {}): Promise<LedgerReport> {
  const snap = readLedger(lc);
  // the 商家转账 stand-in is not cleared by lc.db.clear(): tests that re-seed the database pass transfers:false
  if (opts.transfers === false) snap.transfers = null;
  const askMe = opts.me ?? lc.functions().includes('distribution');
  if (askMe) {
    snap.me = {};
    for (const d of snap.distributors) {
      const r = await lc.invokeRaw('distribution', { action: 'me' }, { openid: d._id });
      if (r.ok && r.result && (r.result as Doc).ok) snap.me[d._id] = (r.result as Doc).data;
    }
  }
  return checkLedgerData(snap);
}

/** A short human-readable rendering of a report (for console output and failure messages). */
export function formatReport(r: LedgerReport): string {
  const head = `ledger check: ${r.ok ? 'OK' : 'VIOLATIONS'} — ${JSON.stringify(r.stats)}`;
  const lines = Object.entries(r.errors).map(
    ([type, v]) => `  ${type} ×${v.count}\n    first: ${JSON.stringify(v.first)}${v.count > 1 ? `\n    last:  ${JSON.stringify(v.last)}` : ''}`,
  );
  return [head, ...lines].join('\n');
}

// ───────────────────────── crash injection (chaos utilities) ─────────────────────────

/** Database actions that change data (wire and legacy dialects, transactions). */
export const WRITE_ACTIONS = new Set([
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.modifyAndReturnDoc',
  'database.commitTransaction',
  'database.addDocument',
  'database.updateDocument',
  'database.deleteDocument',
  'database.insertDocInTransaction',
  'database.updateDocInTransaction',
  'database.deleteDocInTransaction',
]);

export interface CrashPlan {
  /** only requests made by this function (matched by the caller's API token); undefined = any caller */
  fn?: string;
  /** crash at the k-th write request (1-based) of that function */
  atWrite: number;
  /** 'before': the write never happens (crash before it); 'after': it happens but the reply is lost (crash right after) */
  mode: 'before' | 'after';
  /** only count writes for which this holds (e.g. the write of the commission snapshot) */
  when?: (action: string, params: any) => boolean;
}

export interface CrashRecord {
  fn: string | null;
  action: string;
  collection: string;
  mode: 'before' | 'after';
}

/**
 * Arms crash points in the local cloud's database front door: the k-th write request of a function fails with a
 * database error — either before it is applied or after it was applied (the reply is lost). The function's
 * remaining steps do not happen (its handler catches the error and answers INTERNAL / a non-zero errcode), which
 * is the database state a crash between two steps leaves behind. `arm()` queues a plan; each plan fires once.
 */
export class CrashInjector {
  private plans: (CrashPlan & { seen: number })[] = [];
  readonly fired: CrashRecord[] = [];
  private readonly original: (action: string, params: any) => Promise<any>;

  constructor(private readonly lc: LocalCloud) {
    const db = lc.db as unknown as { handle(action: string, params: any): Promise<any> };
    this.original = db.handle.bind(lc.db);
    db.handle = (action: string, params: any) => this.handle(action, params);
  }

  arm(plan: CrashPlan): void {
    this.plans.push({ ...plan, seen: 0 });
  }

  /** Drops the plans that have not fired (of one function, or all). */
  disarm(fn?: string): void {
    this.plans = fn === undefined ? [] : this.plans.filter((p) => p.fn !== fn);
  }

  pending(): number {
    return this.plans.length;
  }

  restore(): void {
    (this.lc.db as unknown as { handle: unknown }).handle = this.original;
  }

  private async handle(action: string, params: any): Promise<any> {
    if (!this.plans.length || !WRITE_ACTIONS.has(action)) return this.original(action, params);
    const token = typeof params?.wxCloudApiToken === 'string' ? (params.wxCloudApiToken as string) : '';
    const fn = /^lc\.([^.]+)\./.exec(token)?.[1] ?? null;
    const i = this.plans.findIndex((p) => (p.fn === undefined || p.fn === fn) && (!p.when || p.when(action, params)));
    if (i < 0) return this.original(action, params);
    const plan = this.plans[i];
    plan.seen += 1;
    if (plan.seen < plan.atWrite) return this.original(action, params);
    this.plans.splice(i, 1);
    this.fired.push({ fn, action, collection: String(params?.collectionName ?? ''), mode: plan.mode });
    if (plan.mode === 'after') await this.original(action, params);
    return { code: 'DATABASE_REQUEST_FAILED', message: `injected crash (${plan.mode} write ${plan.atWrite})`, requestId: 'crash' };
  }
}

// ───────────────────────── ledger seeding (settlement tests and bench) ─────────────────────────

export interface SeedOptions {
  /** number of orders (one line each, one tier-1 entry each) */
  orders: number;
  /** beneficiaries to spread the entries over (round robin) */
  beneficiaries: string[];
  state: 'pending' | 'frozen' | 'settleable';
  /** freezeUntil per entry (ms) — a number, or a function of the index */
  freezeUntil: number | ((i: number) => number);
  /** completion time of the orders */
  completedAt: number;
  /** id prefix (orders are `${prefix}${i}`) */
  prefix?: string;
  /** also write the orders (the checker needs them; the 100k bench may skip them) */
  withOrders?: boolean;
}

/**
 * Writes paid + completed orders with a commission snapshot and their tier-1 `accrue` entries straight into the
 * database (uncounted), consistent with the checker: amounts are 10% of a line payable between 10 and 500 元.
 */
export function seedLedgerEntries(lc: LocalCloud, o: SeedOptions): { entries: number; amountFen: number } {
  const prefix = o.prefix ?? 'S';
  let amountFen = 0;
  for (let i = 0; i < o.orders; i++) {
    const orderId = `${prefix}${String(i).padStart(7, '0')}`;
    const beneficiary = o.beneficiaries[i % o.beneficiaries.length];
    const payable = 1000 + ((i * 7919) % 49000);
    const amt = Math.floor((payable * 1000) / 10000);
    amountFen += amt;
    const freezeUntil = typeof o.freezeUntil === 'function' ? o.freezeUntil(i) : o.freezeUntil;
    const buyer = `o_seed_buyer_${i % 97}`;
    const rate = { type: 'bp', bp: 1000 };
    if (o.withOrders !== false) {
      lc.db.insert('orders', {
        _id: orderId,
        openid: buyer,
        requestId: `seed-${orderId}`,
        status: 'completed',
        lines: [{ lineId: 'L1', skuId: 'sku_seed', productId: 'p_seed', title: '种子商品', specText: '默认', image: '', unitPrice: payable, qty: 1, amount: payable, discount: 0, payable, refundedQty: 0, refundedFen: 0 }],
        goodsFen: payable,
        discountFen: 0,
        shippingFen: 0,
        payableFen: payable,
        createdAt: o.completedAt - 3 * 86400e3,
        expiresAt: o.completedAt - 3 * 86400e3 + 1800e3,
        paidAt: o.completedAt - 3 * 86400e3 + 60e3,
        completedAt: o.completedAt,
        refundedFen: 0,
        openAfterSales: 0,
        history: [],
        commission: {
          computedAt: o.completedAt - 3 * 86400e3 + 60e3,
          binding: { distributorId: beneficiary, source: 'code', boundAt: 0 },
          beneficiaries: [{ openid: beneficiary, tier: 1, levelId: 'normal' }],
          lines: [{ lineId: 'L1', tier: 1, beneficiary, baseFen: payable, amountFen: amt, rate, ruleSource: 'global' }],
          reasons: [],
        },
      });
    }
    lc.db.insert('commissions', {
      _id: entryId(orderId, 'L1', 1, 'accrue'),
      orderId,
      lineId: 'L1',
      buyer,
      beneficiary,
      tier: 1,
      kind: 'accrue',
      amountFen: amt,
      baseFen: payable,
      rate,
      ruleSource: 'global',
      state: o.state,
      ...(o.state === 'pending' ? {} : { freezeUntil }),
      createdAt: o.completedAt - 3 * 86400e3 + 60e3,
    });
  }
  return { entries: o.orders, amountFen };
}

/**
 * The commission ledger's writes around the order lifecycle:
 *  - createCommissionSet(order, now) — from applyPayment, after the order is durably paid. The snapshot goes on
 *    `orders.commission` once (conditional on it not existing); the entries are inserted with deterministic ids
 *    `${orderId}:${lineId}:T${tier}:accrue` (one batch add; on a duplicate, per-entry adds ignoring duplicates);
 *    `commission.entriesDone` marks completion, so a duplicate callback costs no request once done, and a crash
 *    between snapshot and entries converges on the next delivery.
 *    Requests: binding + buyer's distributor doc (parallel), binder, inviter, snapshot write, entries add — a
 *    constant, whatever the number of rules (the rules live in the one cached settings doc).
 *  - freezeOrderCommissions(order, completedAt) — completion: pending → frozen with freezeUntil.
 *  - appendRefundEntries(orderId, afterSaleId) — after a refund: reverse (unsettled) / clawback (settled) entries.
 */
import { computeCommission, reversalFor, type CommissionLineInput, type CommissionResult, type DistributorRef } from '../../core/distribution/commission';
import type { Binding } from '../../core/distribution/binding';
import { clawbackEvent, entryId, freezeUntil, reverseEvent } from '../../core/distribution/ledger';
import { db, cmd, getDoc, isDuplicateKeyError } from '../cloud';
import { getOrder, type OrderDoc } from '../orders';
import { loadShop } from '../settings';
import { logEvent } from '../log';
import { loadDistributionSettings } from './settings';
import type { DistributorDoc } from './distributors';

export type EntryState = 'pending' | 'frozen' | 'settleable' | 'settled';
export type EntryKind = 'accrue' | 'reverse' | 'clawback';

export interface CommissionEntry {
  _id: string;
  orderId: string;
  lineId: string;
  buyer: string;
  beneficiary: string;
  tier: 1 | 2;
  kind: EntryKind;
  amountFen: number;
  baseFen: number;
  /** the order line's qty (denominator of proportional reversals) */
  qty: number;
  rate: CommissionResult['lines'][number]['rate'];
  ruleSource: CommissionResult['lines'][number]['ruleSource'];
  state: EntryState;
  freezeUntil?: number;
  batchId?: string;
  afterSaleId?: string;
  createdAt: number;
}

export interface CommissionSnapshot {
  computedAt: number;
  binding: { distributorId: string; source: string; boundAt: number; expiresAt: number | null } | null;
  beneficiaries: CommissionResult['beneficiaries'];
  lines: CommissionResult['lines'];
  reasons: CommissionResult['reasons'];
  totalFen: number;
  entryCount: number;
  entriesDone?: boolean;
  frozenAt?: number;
}

export interface CommissionOrderDoc extends OrderDoc {
  commission?: CommissionSnapshot;
  appliedRefunds?: string[];
  commissionRefunds?: { id: string; lines: { lineId: string; before: number; qty: number }[] }[];
}

export function ref(d: DistributorDoc | null): DistributorRef | null {
  return d ? { openid: d._id, status: d.status, levelId: d.levelId, inviterId: d.inviterId } : null;
}

/** Inserts entries, ignoring ones that exist (deterministic ids). */
async function insertEntries(entries: CommissionEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const coll = db().collection('commissions');
  try {
    await coll.add({ data: entries.length === 1 ? entries[0] : entries });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    for (const x of entries) {
      try {
        await coll.add({ data: x });
      } catch (e2) {
        if (!isDuplicateKeyError(e2)) throw e2;
      }
    }
  }
}

async function computeSnapshot(order: CommissionOrderDoc, now: number): Promise<CommissionSnapshot> {
  const settings = await loadDistributionSettings(now);
  if (!settings.enabled) {
    // no reads when the merchant has distribution off
    const r = computeCommission({ order: { lines: [], buyer: order.openid }, binding: null, binder: null, inviter: null, settings, now });
    return { computedAt: now, binding: null, beneficiaries: [], lines: [], reasons: r.reasons, totalFen: 0, entryCount: 0 };
  }
  const { promotions } = await loadShop(now);
  const [binding, buyerDist] = await Promise.all([
    getDoc<Binding & { _id: string }>('bindings', order.openid),
    getDoc<DistributorDoc>('distributors', order.openid),
  ]);
  const binderId = binding && binding.distributorId !== order.openid ? binding.distributorId : null;
  const binder = binderId ? await getDoc<DistributorDoc>('distributors', binderId) : binding ? buyerDist : null;
  const selfEarner = buyerDist && (buyerDist.status === 'active' || buyerDist.status === 'frozen') ? buyerDist : null;
  // the tier-2 candidate: the inviter of whoever earns tier 1
  const earner = selfEarner && settings.selfPurchase ? selfEarner : binder;
  const inviter = settings.tiers === 2 && earner?.inviterId ? await getDoc<DistributorDoc>('distributors', earner.inviterId) : null;
  const lines: CommissionLineInput[] = order.lines.map((l) => {
    const x = l as typeof l & { categoryId?: string; promotionIds?: string[] };
    return { lineId: l.lineId, skuId: l.skuId, productId: l.productId, categoryId: x.categoryId ?? '', qty: l.qty, payable: l.payable, promotionIds: x.promotionIds ?? [] };
  });
  const result = computeCommission({
    order: { lines, buyer: order.openid },
    binding: binding ? { distributorId: binding.distributorId, source: binding.source, boundAt: binding.boundAt, expiresAt: binding.expiresAt, protectedUntil: binding.protectedUntil ?? null } : null,
    binder: ref(binder),
    inviter: ref(inviter),
    settings,
    promotions: promotions.map((p) => ({ id: p.id, commission: (p as unknown as { commission?: { enabled: boolean; bp?: number } }).commission })),
    now: order.paidAt ?? now,
    buyerDistributor: ref(selfEarner),
    buyerInviter: selfEarner && earner === selfEarner ? ref(inviter) : null,
  });
  return {
    computedAt: now,
    binding: binding ? { distributorId: binding.distributorId, source: binding.source, boundAt: binding.boundAt, expiresAt: binding.expiresAt } : null,
    beneficiaries: result.beneficiaries,
    lines: result.lines,
    reasons: result.reasons,
    totalFen: result.totalFen,
    entryCount: result.lines.length,
  };
}

function entriesOf(order: CommissionOrderDoc, snap: CommissionSnapshot, now: number): CommissionEntry[] {
  return snap.lines.map((l) => ({
    _id: entryId(order._id, l.lineId, l.tier, 'accrue'),
    orderId: order._id,
    lineId: l.lineId,
    buyer: order.openid,
    beneficiary: l.beneficiary,
    tier: l.tier,
    kind: 'accrue',
    amountFen: l.amountFen,
    baseFen: l.baseFen,
    qty: l.qty,
    rate: l.rate,
    ruleSource: l.ruleSource,
    state: 'pending',
    createdAt: snap.computedAt ?? now,
  }));
}

/**
 * Ensures the order's commission set exists exactly once. Cheap when already complete (no request: the caller
 * passes the order it read). Throws on database errors so the payment callback is retried.
 */
export async function createCommissionSet(order: CommissionOrderDoc, now: number): Promise<'created' | 'completed' | 'exists'> {
  if (order.commission?.entriesDone) return 'exists';
  const _ = cmd();
  let cur = order;
  let snap = order.commission;
  let outcome: 'created' | 'completed' = 'completed';
  if (!snap) {
    const computed = await computeSnapshot(order, now);
    for (let attempt = 0; attempt < 5 && !snap; attempt++) {
      // conditional on no refund having landed since we read the order: a refund recorded before the snapshot
      // existed could not be reversed, so we re-read and reverse it below
      const u = await db()
        .collection('orders')
        .where({ _id: order._id, commission: _.exists(false), refundedFen: cur.refundedFen ?? 0 })
        .update({ data: { commission: computed } });
      if ((u?.stats?.updated ?? 0) > 0) {
        snap = computed;
        outcome = 'created';
        break;
      }
      const fresh = (await getOrder(order._id)) as CommissionOrderDoc | null;
      if (!fresh) throw new Error(`order ${order._id} vanished`);
      cur = fresh;
      if (fresh.commission) {
        // a concurrent delivery wrote its snapshot first: use that one
        snap = fresh.commission;
        if (snap.entriesDone) return 'exists';
      }
    }
    if (!snap) throw new Error(`commission snapshot of ${order._id}: order kept changing`);
  }
  await insertEntries(entriesOf(order, snap, now));
  // refunds recorded before the snapshot existed (a crashed first delivery): reverse them now (idempotent)
  for (const r of cur.commissionRefunds ?? []) await appendRefundEntries(order._id, r.id, now);
  await db()
    .collection('orders')
    .doc(order._id)
    .update({ data: { 'commission.entriesDone': true } });
  if (outcome === 'created') logEvent('commission_created', { orderId: order._id, entries: snap.entryCount, totalFen: snap.totalFen });
  return outcome;
}

/**
 * Completion: the order's pending entries → frozen until completedAt + freezeDays. Idempotent; marks
 * `commission.frozenAt` so the settlement run can catch up orders whose freeze a crash skipped.
 */
export async function freezeOrderCommissions(orderId: string, completedAt: number, now: number, order?: CommissionOrderDoc | null): Promise<number> {
  if (order && order.commission && order.commission.entryCount === 0) return 0;
  const settings = await loadDistributionSettings(now);
  const until = freezeUntil(completedAt, settings.freezeDays);
  const u = await db()
    .collection('commissions')
    .where({ orderId, state: 'pending' })
    .update({ data: { state: 'frozen', freezeUntil: until } });
  const _ = cmd();
  await db()
    .collection('orders')
    .where({ _id: orderId, commission: _.exists(true) })
    .update({ data: { 'commission.frozenAt': now } });
  return u?.stats?.updated ?? 0;
}

/**
 * After a refund (executeRefund): per refunded line and beneficiary, a `reverse` entry (original unsettled, same
 * state and freezeUntil, so it settles with it) or a `clawback` (original settled; 'settleable', nets against the
 * next settlement). Amounts via reversalFor: proportional, exact on the last unit. Idempotent (deterministic ids).
 */
export async function appendRefundEntries(orderId: string, afterSaleId: string, now: number): Promise<number> {
  const order = (await getOrder(orderId)) as CommissionOrderDoc | null;
  if (!order?.commission || order.commission.entryCount === 0) return 0;
  const refund = (order.commissionRefunds ?? []).find((r) => r.id === afterSaleId);
  if (!refund) return 0;
  const res = await db().collection('commissions').where({ orderId, kind: 'accrue' }).limit(1000).get();
  const originals = new Map<string, CommissionEntry>();
  for (const e of (res.data as CommissionEntry[]) ?? []) originals.set(`${e.lineId}:${e.tier}`, e);
  const out: CommissionEntry[] = [];
  for (const rl of refund.lines) {
    for (const l of order.commission.lines.filter((x) => x.lineId === rl.lineId)) {
      const orig = originals.get(`${l.lineId}:${l.tier}`);
      const amount = reversalFor({ amountFen: l.amountFen, lineQty: l.qty }, { refundedQtyBefore: rl.before, qty: rl.qty });
      if (amount === 0) continue;
      const settled = orig?.state === 'settled';
      const state: EntryState = settled ? 'settleable' : (orig?.state ?? 'pending');
      const e: CommissionEntry = {
        _id: entryId(orderId, l.lineId, l.tier, settled ? clawbackEvent(afterSaleId) : reverseEvent(afterSaleId)),
        orderId,
        lineId: l.lineId,
        buyer: order.openid,
        beneficiary: l.beneficiary,
        tier: l.tier,
        kind: settled ? 'clawback' : 'reverse',
        amountFen: amount,
        baseFen: l.baseFen,
        qty: l.qty,
        rate: l.rate,
        ruleSource: l.ruleSource,
        state,
        afterSaleId,
        createdAt: now,
      };
      if (settled) e.freezeUntil = now;
      else if (orig?.freezeUntil !== undefined) e.freezeUntil = orig.freezeUntil;
      out.push(e);
    }
  }
  // a retry after a crash must not write a second entry of the other kind for the same refund
  if (out.length > 0) {
    const _ = cmd();
    const existing = await db()
      .collection('commissions')
      .where({ orderId, afterSaleId })
      .limit(1000)
      .field({ lineId: true, tier: true })
      .get();
    const have = new Set(((existing.data as { lineId: string; tier: number }[]) ?? []).map((x) => `${x.lineId}:${x.tier}`));
    void _;
    const todo = out.filter((e) => !have.has(`${e.lineId}:${e.tier}`));
    await insertEntries(todo);
    if (todo.some((e) => e.state === 'pending')) {
      // completion may have frozen the order's entries between our read and insert: freeze again (idempotent)
      const fresh = (await getOrder(orderId)) as CommissionOrderDoc | null;
      if (fresh && fresh.status === 'completed' && fresh.completedAt) await freezeOrderCommissions(orderId, fresh.completedAt, now, fresh);
    }
    return todo.length;
  }
  return 0;
}

/**
 * What the sharer earns (tier 1) when someone they serve buys one unit of the product's cheapest SKU at today's
 * price — the figure on the 分享赚 button. Computed by the same core function as real orders, so the preview
 * never promises more than an order pays (it ignores 满减, which can only lower the base).
 */
export async function expectedCommission(d: DistributorDoc, productId: string, now: number): Promise<number | null> {
  const settings = await loadDistributionSettings(now);
  if (!settings.enabled || d.status !== 'active') return null;
  const [{ promotions }, skuRes] = await Promise.all([
    loadShop(now),
    db().collection('skus').where({ productId, onShelf: true }).limit(100).get(),
  ]);
  const skus = (skuRes.data as { _id: string; productId: string; categoryId: string; price: number }[]) ?? [];
  if (skus.length === 0) return null;
  const unitPrice = (sku: { _id: string; price: number }): number =>
    Math.min(sku.price, ...promotions.filter((p) => p.type === 'discount').map((p) => p.skuPrices?.[sku._id] ?? sku.price));
  const sku = skus.reduce((a, b) => (unitPrice(b) < unitPrice(a) ? b : a));
  const promoIds = promotions.filter((p) => p.type === 'discount' && p.skuPrices?.[sku._id] !== undefined).map((p) => p.id);
  const result = computeCommission({
    order: { lines: [{ lineId: 'L1', skuId: sku._id, productId, categoryId: sku.categoryId, qty: 1, payable: unitPrice(sku), promotionIds: promoIds }], buyer: '' },
    binding: { distributorId: d._id, source: 'share_card', boundAt: now, expiresAt: null, protectedUntil: null },
    binder: ref(d),
    inviter: null,
    settings,
    promotions: promotions.map((p) => ({ id: p.id, commission: (p as unknown as { commission?: { enabled: boolean; bp?: number } }).commission })),
    now,
  });
  return result.lines.filter((l) => l.tier === 1 && l.beneficiary === d._id).reduce((s, l) => s + l.amountFen, 0);
}

/**
 * The stock protocol (docs/contracts.md): a conditional decrement per SKU in sorted id order, a compensating
 * release next to it, releases made at most once by the `holds` condition, and a ledger with deterministic ids.
 */
import { db, cmd, isDuplicateKeyError } from './cloud';

export interface StockLine {
  skuId: string;
  qty: number;
}

export type ReserveResult =
  | { ok: true }
  | { ok: false; skuId: string; reason: 'out_of_stock' };

/** Sums quantities per SKU and sorts by id (the fixed lock order). */
export function groupLines(lines: readonly StockLine[]): StockLine[] {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.skuId, (m.get(l.skuId) ?? 0) + l.qty);
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([skuId, qty]) => ({ skuId, qty }));
}

async function isHeldBy(skuId: string, orderId: string): Promise<boolean> {
  const res = await db().collection('skus').doc(skuId).get();
  const sku = res.data as { holds?: string[] } | null;
  return !!sku && Array.isArray(sku.holds) && sku.holds.includes(orderId);
}

async function releaseOne(orderId: string, skuId: string, qty: number): Promise<boolean> {
  const _ = cmd();
  const res = await db()
    .collection('skus')
    .where({ _id: skuId, holds: orderId })
    .update({ data: { stock: _.inc(qty), sold: _.inc(-qty), holds: _.pull(orderId) } });
  return (res?.stats?.updated ?? 0) > 0;
}

/**
 * Reserves every line for `orderId`. Idempotent: a line already held by the order counts as reserved
 * (a replay after a crash). On the first line that cannot be reserved, the lines reserved by THIS call
 * are released again (compensation) and the failing SKU is reported.
 */
export async function reserveStock(orderId: string, lines: readonly StockLine[], now: number): Promise<ReserveResult> {
  const _ = cmd();
  const grouped = groupLines(lines);
  const taken: StockLine[] = [];
  for (const line of grouped) {
    const res = await db()
      .collection('skus')
      .where({ _id: line.skuId, stock: _.gte(line.qty), onShelf: true, holds: _.neq(orderId) })
      .update({ data: { stock: _.inc(-line.qty), sold: _.inc(line.qty), holds: _.push([orderId]) } });
    if ((res?.stats?.updated ?? 0) > 0) {
      taken.push(line);
      continue;
    }
    if (await isHeldBy(line.skuId, orderId)) continue; // reserved by an earlier attempt of the same order
    for (const t of taken) await releaseOne(orderId, t.skuId, t.qty);
    return { ok: false, skuId: line.skuId, reason: 'out_of_stock' };
  }
  // Every line is now held by the order: log all of them (deterministic ids, so rows an interrupted earlier
  // attempt already wrote are kept, and rows it never got to are added).
  await writeLedger(orderId, grouped, 'reserve', 'order_created', now);
  return { ok: true };
}

async function writeLedger(orderId: string, lines: StockLine[], kind: 'reserve' | 'release', reason: string, now: number) {
  const rows = lines.map((l) => ({
    _id: `${orderId}:${l.skuId}:${kind}`,
    orderId,
    skuId: l.skuId,
    kind,
    qty: kind === 'reserve' ? -l.qty : l.qty,
    reason,
    createdAt: now,
  }));
  const coll = db().collection('stock_movements');
  try {
    await coll.add({ data: rows.length === 1 ? rows[0] : rows });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    // Some rows exist from an earlier attempt: write the rest one by one.
    for (const r of rows) {
      try {
        await coll.add({ data: r });
      } catch (e2) {
        if (!isDuplicateKeyError(e2)) throw e2;
      }
    }
  }
}

/**
 * Gives back the stock an order holds. Each SKU is released at most once, however often this runs
 * (the `holds` condition), and each actual release writes one `release` ledger row.
 */
export async function releaseOrderStock(
  order: { _id: string; lines: readonly StockLine[] },
  reason: string,
  now: number,
): Promise<number> {
  const released: StockLine[] = [];
  for (const line of groupLines(order.lines)) {
    if (await releaseOne(order._id, line.skuId, line.qty)) released.push(line);
  }
  if (released.length > 0) await writeLedger(order._id, released, 'release', reason, now);
  return released.length;
}

/** Payment makes the reservation final: the order no longer holds stock that could be released. */
export async function clearHolds(orderId: string): Promise<void> {
  const _ = cmd();
  await db().collection('skus').where({ holds: orderId }).update({ data: { holds: _.pull(orderId) } });
}

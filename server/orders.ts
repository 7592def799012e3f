/** Order documents and the one way their status changes: core's transition table + a conditional update. */
import { ok, type Result } from '../core/errors';
import { transition, type OrderEvent, type OrderStatus } from '../core/order-state';
import { db, cmd, getDoc } from './cloud';

export interface OrderLine {
  lineId: string;
  skuId: string;
  productId: string;
  title: string;
  specText: string;
  image: string;
  unitPrice: number;
  qty: number;
  amount: number;
  discount: number;
  payable: number;
  refundedQty: number;
  refundedFen: number;
  /** snapshot for commission rules (category rule, promotion override); absent on orders from before issue 3 */
  categoryId?: string;
  promotionIds?: string[];
}

export interface HistoryEntry {
  from: OrderStatus;
  to: OrderStatus;
  event: OrderEvent;
  at: number;
  by: string;
}

export interface OrderDoc {
  _id: string;
  openid: string;
  requestId: string;
  status: OrderStatus;
  lines: OrderLine[];
  goodsFen: number;
  discountFen: number;
  shippingFen: number;
  payableFen: number;
  address: Record<string, unknown>;
  remark: string;
  createdAt: number;
  expiresAt: number;
  paidAt?: number;
  transactionId?: string;
  shippedAt?: number;
  carrier?: string;
  trackingNo?: string;
  completedAt?: number;
  cancelledAt?: number;
  cancelReason?: 'buyer' | 'merchant' | 'timeout' | 'out_of_stock';
  /** true between a cancellation and the release of its stock (a crash in between is finished by the timer) */
  releasePending?: boolean;
  refundedFen: number;
  openAfterSales: number;
  history: HistoryEntry[];
}

export async function getOrder(id: string): Promise<OrderDoc | null> {
  return getDoc<OrderDoc>('orders', id);
}

/**
 * Moves an order `from` → transition(from, event) with a write conditioned on `status: from`, appending to
 * `history`. `updated:false` means another writer changed the order first (the caller re-reads if it cares).
 */
export async function transitionOrder(
  orderId: string,
  from: OrderStatus,
  event: OrderEvent,
  patch: Record<string, unknown>,
  by: string,
  now: number,
  extraWhere: Record<string, unknown> = {},
): Promise<Result<{ to: OrderStatus; updated: boolean }>> {
  const t = transition(from, event);
  if (!t.ok) return t;
  const _ = cmd();
  const entry: HistoryEntry = { from, to: t.data.to, event, at: now, by };
  const res = await db()
    .collection('orders')
    .where({ ...extraWhere, _id: orderId, status: from })
    .update({ data: { ...patch, status: t.data.to, history: _.push([entry]) } });
  return ok({ to: t.data.to, updated: (res?.stats?.updated ?? 0) > 0 });
}

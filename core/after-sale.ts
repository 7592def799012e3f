/**
 * After-sales (售后) per order line: refund only, or return and refund; partial quantities.
 *
 * State machines (one table per type; the caller always passes the after-sale's type):
 *   refund:        pending ─approve→ approved ─refund→ refunded
 *   return_refund: pending ─approve→ awaiting_return ─receive_return→ returned ─refund→ refunded
 *   both:          pending ─reject→ rejected; pending ─cancel→ cancelled (buyer)
 *   return_refund: awaiting_return ─cancel→ cancelled (buyer keeps the goods)
 *                  returned ─reject→ rejected (goods received but refused, with a reason)
 *
 * Refund amounts: the cumulative refund of a line after k of its n units is exactly floor(payable·k/n), so
 * any split of the quantities gives the same total, the last unit(s) get the remainder, and refunding all n
 * returns exactly the line's payable — never more.
 */
import { fail, ok, type Result } from './errors';
import { assertFen, proportion, type Fen } from './money';
import type { OrderEvent } from './order-state';

export type AfterSaleType = 'refund' | 'return_refund';
export type AfterSaleStatus =
  | 'pending'
  | 'approved'
  | 'awaiting_return'
  | 'returned'
  | 'refunded'
  | 'rejected'
  | 'cancelled';
export type AfterSaleEvent = 'approve' | 'reject' | 'cancel' | 'receive_return' | 'refund';

export const AFTER_SALE_TYPES: readonly AfterSaleType[] = ['refund', 'return_refund'];
export const AFTER_SALE_STATUSES: readonly AfterSaleStatus[] = [
  'pending',
  'approved',
  'awaiting_return',
  'returned',
  'refunded',
  'rejected',
  'cancelled',
];
export const AFTER_SALE_EVENTS: readonly AfterSaleEvent[] = ['approve', 'reject', 'cancel', 'receive_return', 'refund'];

type Table = Readonly<Record<AfterSaleStatus, Readonly<Partial<Record<AfterSaleEvent, AfterSaleStatus>>>>>;

export const AFTER_SALE_TRANSITIONS: Readonly<Record<AfterSaleType, Table>> = {
  refund: {
    pending: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
    approved: { refund: 'refunded' },
    awaiting_return: {},
    returned: {},
    refunded: {},
    rejected: {},
    cancelled: {},
  },
  return_refund: {
    pending: { approve: 'awaiting_return', reject: 'rejected', cancel: 'cancelled' },
    approved: {},
    awaiting_return: { receive_return: 'returned', cancel: 'cancelled' },
    returned: { refund: 'refunded', reject: 'rejected' },
    refunded: {},
    rejected: {},
    cancelled: {},
  },
};

export const AFTER_SALE_STATUS_LABEL: Readonly<Record<AfterSaleStatus, string>> = {
  pending: '待审核',
  approved: '已同意，退款中',
  awaiting_return: '待买家退货',
  returned: '商家已收货，退款中',
  refunded: '已退款',
  rejected: '已拒绝',
  cancelled: '已撤销',
};

export const AFTER_SALE_TYPE_LABEL: Readonly<Record<AfterSaleType, string>> = {
  refund: '仅退款',
  return_refund: '退货退款',
};

/** Statuses in which the after-sale is still open (holds its quantity; freezes commission on the line). */
export const OPEN_AFTER_SALE_STATUSES: readonly AfterSaleStatus[] = ['pending', 'approved', 'awaiting_return', 'returned'];

export function isAfterSaleOpen(status: AfterSaleStatus): boolean {
  return OPEN_AFTER_SALE_STATUSES.includes(status);
}

export function isAfterSaleTerminal(status: AfterSaleStatus): boolean {
  return !isAfterSaleOpen(status);
}

/** The next status, or ILLEGAL_TRANSITION with a Chinese message. `type` selects the table. */
export function afterSaleTransition(
  from: AfterSaleStatus,
  event: AfterSaleEvent,
  type: AfterSaleType = 'refund',
): Result<{ to: AfterSaleStatus }> {
  const table = AFTER_SALE_TRANSITIONS[type];
  const to = table && Object.prototype.hasOwnProperty.call(table, from) ? table[from][event] : undefined;
  if (!to) {
    const label = AFTER_SALE_STATUS_LABEL[from] ?? String(from);
    return fail('ILLEGAL_TRANSITION', `售后单当前状态为「${label}」，无法执行该操作，请刷新后重试`, { from, event, type });
  }
  return ok({ to });
}

/** The refund-relevant fields of an order line (as stored on `orders.lines`). */
export interface RefundableLine {
  /** what the buyer paid for the line (after all discounts, excluding shipping) */
  payable: Fen;
  qty: number;
  /** units already refunded */
  refundedQty: number;
  /** fen already refunded */
  refundedFen: Fen;
}

export interface ComputeRefundOptions {
  /** Units held by other open after-sales on the line: they count against the available quantity. */
  reservedQty?: number;
}

/**
 * The refund for `qty` more units of a line: floor(payable·(refundedQty+qty)/n) − refundedFen.
 * Refuses a non-positive or non-integer qty (INVALID_INPUT) and more units than remain
 * (AFTER_SALE_QTY_EXCEEDED, details {available}). Compute it when the refund is executed (with the line's
 * current refundedQty/refundedFen); at apply time it is a preview.
 */
export function computeRefund(
  line: RefundableLine,
  qty: number,
  opts: ComputeRefundOptions = {},
): Result<{ refundFen: Fen }> {
  assertFen(line.payable, 'payable');
  assertFen(line.refundedFen, 'refundedFen');
  if (!Number.isSafeInteger(qty) || qty <= 0) return fail('INVALID_INPUT', '售后数量必须为正整数', { field: 'qty' });
  if (!Number.isSafeInteger(line.qty) || line.qty <= 0 || !Number.isSafeInteger(line.refundedQty) || line.refundedQty < 0) {
    return fail('INTERNAL', undefined, { reason: 'bad line quantities' });
  }
  const reserved = opts.reservedQty ?? 0;
  const available = line.qty - line.refundedQty - reserved;
  if (qty > available) {
    return fail('AFTER_SALE_QTY_EXCEEDED', `最多可申请${Math.max(available, 0)}件`, { available: Math.max(available, 0) });
  }
  const cumulative = proportion(line.payable, line.refundedQty + qty, line.qty);
  // Clamp: never negative, never beyond what is left (protects against a line edited by another rule).
  const left = line.payable - line.refundedFen;
  const refundFen = Math.max(0, Math.min(cumulative - line.refundedFen, left));
  return ok({ refundFen });
}

export interface OrderRefundLine extends RefundableLine {
  lineId: string;
}

export interface LineRefund {
  lineId: string;
  qty: number;
  refundFen: Fen;
}

/**
 * Applies executed refunds to the order's lines (pure: returns new line objects). Refuses unknown lines,
 * quantities beyond what remains, and amounts beyond the line's payable. `fullyRefunded` is true when every
 * unit of every line is refunded; then the order takes `event: 'refund_all'` (→ closed).
 */
export function applyRefundToOrder<L extends OrderRefundLine>(
  lines: readonly L[],
  refunds: readonly LineRefund[],
): Result<{ lines: L[]; refundFen: Fen; fullyRefunded: boolean; event: OrderEvent | null }> {
  const next = lines.map((l) => ({ ...l }));
  let refundFen = 0;
  for (const r of refunds) {
    const l = next.find((x) => x.lineId === r.lineId);
    if (!l) return fail('NOT_FOUND', '售后商品不在订单中', { lineId: r.lineId });
    assertFen(r.refundFen, 'refundFen');
    if (!Number.isSafeInteger(r.qty) || r.qty <= 0 || r.refundFen < 0) {
      return fail('INVALID_INPUT', '退款数量或金额不正确', { lineId: r.lineId });
    }
    if (l.refundedQty + r.qty > l.qty) return fail('AFTER_SALE_QTY_EXCEEDED', undefined, { lineId: r.lineId });
    if (l.refundedFen + r.refundFen > l.payable) {
      return fail('AMOUNT_MISMATCH', '退款金额超过实付金额', { lineId: r.lineId });
    }
    l.refundedQty += r.qty;
    l.refundedFen += r.refundFen;
    refundFen += r.refundFen;
  }
  const fullyRefunded = next.length > 0 && next.every((l) => l.refundedQty >= l.qty);
  return ok({ lines: next, refundFen, fullyRefunded, event: fullyRefunded ? 'refund_all' : null });
}

/** Sum of quantities per line held by open after-sales (for `reservedQty`). */
export function reservedQtyByLine(
  afterSales: readonly { status: AfterSaleStatus; items: readonly { lineId: string; qty: number }[] }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of afterSales) {
    if (!isAfterSaleOpen(a.status)) continue;
    for (const it of a.items) out[it.lineId] = (out[it.lineId] ?? 0) + it.qty;
  }
  return out;
}

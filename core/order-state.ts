/**
 * The order state machine: one transition table, a typed refusal for anything not in it, nothing moves back.
 *
 *   pending_payment ──pay──▶ pending_shipment ──ship──▶ shipped ──confirm_receipt / auto_confirm──▶ completed
 *        │                        │  └──mark_ready_for_pickup──▶ ready_for_pickup ──verify_pickup──▶ completed
 *        └─cancel_by_buyer / cancel_by_merchant / timeout──▶ cancelled
 *   pending_shipment, shipped, ready_for_pickup, completed ──refund_all──▶ closed
 */
import { fail, ok, type Result } from './errors';
import { DAY_MS } from './time';

export type OrderStatus =
  | 'pending_payment'
  | 'pending_shipment'
  | 'shipped'
  | 'ready_for_pickup'
  | 'completed'
  | 'cancelled'
  | 'closed';

export type OrderEvent =
  | 'pay'
  | 'cancel_by_buyer'
  | 'cancel_by_merchant'
  | 'timeout'
  | 'ship'
  | 'confirm_receipt'
  | 'auto_confirm'
  | 'mark_ready_for_pickup'
  | 'verify_pickup'
  | 'refund_all';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending_payment',
  'pending_shipment',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
  'closed',
];

export const ORDER_EVENTS: readonly OrderEvent[] = [
  'pay',
  'cancel_by_buyer',
  'cancel_by_merchant',
  'timeout',
  'ship',
  'confirm_receipt',
  'auto_confirm',
  'mark_ready_for_pickup',
  'verify_pickup',
  'refund_all',
];

/** The single source of truth for order transitions. A missing entry is an illegal transition. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Readonly<Partial<Record<OrderEvent, OrderStatus>>>>> = {
  pending_payment: {
    pay: 'pending_shipment',
    cancel_by_buyer: 'cancelled',
    cancel_by_merchant: 'cancelled',
    timeout: 'cancelled',
  },
  pending_shipment: {
    ship: 'shipped',
    mark_ready_for_pickup: 'ready_for_pickup',
    refund_all: 'closed',
  },
  shipped: {
    confirm_receipt: 'completed',
    auto_confirm: 'completed',
    refund_all: 'closed',
  },
  ready_for_pickup: {
    verify_pickup: 'completed',
    refund_all: 'closed',
  },
  completed: {
    refund_all: 'closed',
  },
  cancelled: {},
  closed: {},
};

/** Chinese labels shown to users. */
export const ORDER_STATUS_LABEL: Readonly<Record<OrderStatus, string>> = {
  pending_payment: '待付款',
  pending_shipment: '待发货',
  shipped: '已发货',
  ready_for_pickup: '待自提',
  completed: '已完成',
  cancelled: '已取消',
  closed: '已关闭',
};

export const ORDER_EVENT_LABEL: Readonly<Record<OrderEvent, string>> = {
  pay: '支付',
  cancel_by_buyer: '取消订单',
  cancel_by_merchant: '商家取消',
  timeout: '超时关闭',
  ship: '发货',
  confirm_receipt: '确认收货',
  auto_confirm: '自动确认收货',
  mark_ready_for_pickup: '备货完成待自提',
  verify_pickup: '核销自提',
  refund_all: '全额退款',
};

export type CancelReason = 'buyer' | 'merchant' | 'timeout' | 'out_of_stock';

/** The stored `cancelReason` for each cancelling event — each cancellation stays distinguishable. */
export const CANCEL_REASON_BY_EVENT: Readonly<Partial<Record<OrderEvent, CancelReason>>> = {
  cancel_by_buyer: 'buyer',
  cancel_by_merchant: 'merchant',
  timeout: 'timeout',
};

export const CANCEL_REASON_LABEL: Readonly<Record<CancelReason, string>> = {
  buyer: '买家取消',
  merchant: '商家取消',
  timeout: '超时未支付，订单已自动取消',
  out_of_stock: '库存不足，订单已取消',
};

export function isOrderStatus(x: unknown): x is OrderStatus {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ORDER_TRANSITIONS, x);
}

export function isOrderEvent(x: unknown): x is OrderEvent {
  return typeof x === 'string' && (ORDER_EVENTS as readonly string[]).includes(x);
}

/**
 * The status after applying `event` to `from`, or ILLEGAL_TRANSITION (Chinese message, details {from, event}).
 * Use the result as the write condition: `where({_id, status: from}).update({status: to})`.
 */
export function transition(from: OrderStatus, event: OrderEvent): Result<{ to: OrderStatus }> {
  const row = isOrderStatus(from) ? ORDER_TRANSITIONS[from] : undefined;
  const to = row && isOrderEvent(event) ? row[event] : undefined;
  if (!to) {
    const label = isOrderStatus(from) ? ORDER_STATUS_LABEL[from] : String(from);
    return fail('ILLEGAL_TRANSITION', `订单当前状态为「${label}」，无法执行该操作，请刷新后重试`, { from, event });
  }
  return ok({ to });
}

/** Statuses from which `event` is legal (for building conditional updates). */
export function sourcesOf(event: OrderEvent): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => ORDER_TRANSITIONS[s][event] !== undefined);
}

/** True when no event leaves `status` (cancelled, closed). */
export function isTerminal(status: OrderStatus): boolean {
  return Object.keys(ORDER_TRANSITIONS[status] ?? {}).length === 0;
}

/** Tabs of the buyer's order list. `afterSale` tab lists orders with after-sales (by `openAfterSales`/after_sales). */
export type OrderTabKey = 'all' | 'pending_payment' | 'pending_shipment' | 'to_receive' | 'completed' | 'after_sale';

export interface OrderTab {
  key: OrderTabKey;
  label: string;
  /** Order statuses listed under the tab; empty for 'after_sale' (filtered by after-sales instead). */
  statuses: OrderStatus[];
}

/** 待收货 covers shipped and ready-for-pickup orders: both wait for the buyer to receive the goods. */
export const ORDER_TABS: readonly OrderTab[] = [
  { key: 'all', label: '全部', statuses: [...ORDER_STATUSES] },
  { key: 'pending_payment', label: '待付款', statuses: ['pending_payment'] },
  { key: 'pending_shipment', label: '待发货', statuses: ['pending_shipment'] },
  { key: 'to_receive', label: '待收货', statuses: ['shipped', 'ready_for_pickup'] },
  { key: 'completed', label: '已完成', statuses: ['completed'] },
  { key: 'after_sale', label: '售后', statuses: [] },
];

export function orderTab(key: string): OrderTab | undefined {
  return ORDER_TABS.find((t) => t.key === key);
}

export interface AfterSaleEligibilityInput {
  status: OrderStatus;
  /** epoch ms when the order completed; required for completed orders */
  completedAt?: number | null;
}

/**
 * Whether an after-sale may be applied for now (Result with a Chinese reason).
 * - pending_shipment, ready_for_pickup: refund only (the buyer does not hold the goods, nothing to return).
 * - shipped: refund (e.g. parcel not received) or return-and-refund.
 * - completed: within `returnWindowDays` days after completion (now < completedAt + window).
 * - otherwise: AFTER_SALE_NOT_ALLOWED.
 */
export function afterSaleEligibility(
  order: AfterSaleEligibilityInput,
  now: number,
  returnWindowDays: number,
  type: 'refund' | 'return_refund' = 'refund',
): Result<{ until: number | null }> {
  switch (order.status) {
    case 'pending_shipment':
    case 'ready_for_pickup':
      if (type === 'return_refund') {
        return fail('AFTER_SALE_NOT_ALLOWED', order.status === 'pending_shipment' ? '订单尚未发货，请选择仅退款' : '商品尚未提货，请选择仅退款');
      }
      return ok({ until: null });
    case 'shipped':
      return ok({ until: null });
    case 'completed': {
      if (typeof order.completedAt !== 'number') return fail('AFTER_SALE_NOT_ALLOWED');
      const until = order.completedAt + returnWindowDays * DAY_MS;
      if (now >= until) return fail('AFTER_SALE_NOT_ALLOWED', `已超过售后期限（确认收货后${returnWindowDays}天内可申请）`);
      return ok({ until });
    }
    case 'pending_payment':
      return fail('AFTER_SALE_NOT_ALLOWED', '订单未支付，无需申请售后');
    default:
      return fail('AFTER_SALE_NOT_ALLOWED');
  }
}

/** Boolean form of `afterSaleEligibility` (any type). */
export function canApplyAfterSale(order: AfterSaleEligibilityInput, now: number, returnWindowDays: number): boolean {
  return afterSaleEligibility(order, now, returnWindowDays, 'refund').ok;
}

/**
 * Checks the table's shape: every status reachable from pending_payment, terminal statuses have no
 * outgoing transitions, every target is a known status, and no transition returns to pending_payment.
 * Returns a list of problems (empty = valid).
 */
export function validateTransitionTable(
  table: Readonly<Record<string, Readonly<Partial<Record<string, string>>>>> = ORDER_TRANSITIONS,
  initial = 'pending_payment',
  terminals: readonly string[] = ['cancelled', 'closed'],
): string[] {
  const problems: string[] = [];
  const states = Object.keys(table);
  if (!states.includes(initial)) problems.push(`initial state ${initial} missing`);
  for (const s of states) {
    for (const [e, to] of Object.entries(table[s])) {
      if (to === undefined) continue;
      if (!states.includes(to)) problems.push(`${s} --${e}--> unknown state ${to}`);
      if (to === initial) problems.push(`${s} --${e}--> returns to the initial state`);
    }
  }
  for (const t of terminals) {
    if (!states.includes(t)) problems.push(`terminal state ${t} missing`);
    else if (Object.keys(table[t]).length > 0) problems.push(`terminal state ${t} has outgoing transitions`);
  }
  const seen = new Set<string>([initial]);
  const queue = [initial];
  while (queue.length) {
    const s = queue.shift()!;
    for (const to of Object.values(table[s] ?? {})) {
      if (to && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  for (const s of states) if (!seen.has(s)) problems.push(`state ${s} unreachable from ${initial}`);
  return problems;
}

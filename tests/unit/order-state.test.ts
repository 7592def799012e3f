import {
  afterSaleEligibility,
  CANCEL_REASON_BY_EVENT,
  canApplyAfterSale,
  isTerminal,
  ORDER_EVENTS,
  ORDER_STATUS_LABEL,
  ORDER_STATUSES,
  ORDER_TABS,
  ORDER_TRANSITIONS,
  sourcesOf,
  transition,
  validateTransitionTable,
  type OrderEvent,
  type OrderStatus,
} from '../../core/order-state';
import { DAY_MS } from '../../core/time';
import { fc, fcParams } from './fc-setup';

describe('order transition table', () => {
  it('is valid: every state reachable from pending_payment, terminals have no exits, nothing returns to the start', () => {
    expect(validateTransitionTable()).toEqual([]);
  });

  it('the validator catches a broken table (unreachable state, exit from a terminal, move back)', () => {
    const broken = {
      pending_payment: { pay: 'pending_shipment' },
      pending_shipment: { refund_all: 'pending_payment' },
      orphan: {},
      cancelled: { pay: 'pending_shipment' },
      closed: {},
    };
    const problems = validateTransitionTable(broken);
    expect(problems.some((p) => p.includes('returns to the initial state'))).toBe(true);
    expect(problems.some((p) => p.includes('terminal state cancelled'))).toBe(true);
    expect(problems.some((p) => p.includes('orphan unreachable'))).toBe(true);
  });

  it.each<[OrderStatus, OrderEvent, OrderStatus]>([
    ['pending_payment', 'pay', 'pending_shipment'],
    ['pending_payment', 'cancel_by_buyer', 'cancelled'],
    ['pending_payment', 'cancel_by_merchant', 'cancelled'],
    ['pending_payment', 'timeout', 'cancelled'],
    ['pending_shipment', 'ship', 'shipped'],
    ['pending_shipment', 'mark_ready_for_pickup', 'ready_for_pickup'],
    ['pending_shipment', 'refund_all', 'closed'],
    ['shipped', 'confirm_receipt', 'completed'],
    ['shipped', 'auto_confirm', 'completed'],
    ['shipped', 'refund_all', 'closed'],
    ['ready_for_pickup', 'verify_pickup', 'completed'],
    ['ready_for_pickup', 'refund_all', 'closed'],
    ['completed', 'refund_all', 'closed'],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, data: { to } });
  });

  it.each<[OrderStatus, OrderEvent]>([
    ['pending_payment', 'ship'],
    ['pending_payment', 'refund_all'],
    ['pending_shipment', 'pay'], // a late second payment callback
    ['pending_shipment', 'timeout'], // the close timer racing a payment
    ['pending_shipment', 'cancel_by_buyer'],
    ['shipped', 'ship'],
    ['closed', 'pay'], // a late callback never undoes a refund
    ['cancelled', 'pay'],
    ['completed', 'confirm_receipt'],
    ['ready_for_pickup', 'confirm_receipt'],
  ])('refuses %s --%s-- with ILLEGAL_TRANSITION and a Chinese message', (from, event) => {
    const r = transition(from, event);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ILLEGAL_TRANSITION');
      expect(r.message).toContain(ORDER_STATUS_LABEL[from]);
      expect(r.details).toEqual({ from, event });
    }
  });

  it('refuses unknown statuses and events without throwing', () => {
    expect(transition('paid' as OrderStatus, 'pay').ok).toBe(false);
    expect(transition('pending_payment', 'toString' as OrderEvent).ok).toBe(false);
    expect(transition('pending_payment', '__proto__' as OrderEvent).ok).toBe(false);
  });

  it('cancelled and closed are terminal; the others are not', () => {
    expect(ORDER_STATUSES.filter(isTerminal)).toEqual(['cancelled', 'closed']);
  });

  it('each cancellation keeps a distinct reason', () => {
    const reasons = (['cancel_by_buyer', 'cancel_by_merchant', 'timeout'] as OrderEvent[]).map((e) => CANCEL_REASON_BY_EVENT[e]);
    expect(reasons).toEqual(['buyer', 'merchant', 'timeout']);
    expect(new Set(reasons).size).toBe(3);
  });

  it('sourcesOf lists the statuses an event may leave', () => {
    expect(sourcesOf('refund_all').sort()).toEqual(['completed', 'pending_shipment', 'ready_for_pickup', 'shipped']);
    expect(sourcesOf('pay')).toEqual(['pending_payment']);
  });

  it('labels are the Chinese ones users expect', () => {
    expect(ORDER_STATUSES.map((s) => ORDER_STATUS_LABEL[s])).toEqual(['待付款', '待发货', '已发货', '待自提', '已完成', '已取消', '已关闭']);
  });

  it('order tabs: 全部 待付款 待发货 待收货 已完成 售后; 待收货 covers shipped', () => {
    expect(ORDER_TABS.map((t) => t.label)).toEqual(['全部', '待付款', '待发货', '待收货', '已完成', '售后']);
    expect(ORDER_TABS.find((t) => t.label === '待收货')!.statuses).toContain('shipped');
    expect(ORDER_TABS[0].statuses).toHaveLength(ORDER_STATUSES.length);
  });

  // rank in the lifecycle; a legal transition never decreases it
  const RANK: Record<OrderStatus, number> = {
    pending_payment: 0,
    pending_shipment: 1,
    shipped: 2,
    ready_for_pickup: 2,
    completed: 3,
    cancelled: 4,
    closed: 4,
  };

  it('property: along any event sequence, status only moves forward; never back to pending_payment; terminals stay', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ORDER_EVENTS), { maxLength: 20 }), (events) => {
        let s: OrderStatus = 'pending_payment';
        let left = false;
        for (const e of events) {
          const r = transition(s, e);
          const legal: OrderStatus | undefined = ORDER_TRANSITIONS[s][e];
          if (r.ok !== (legal !== undefined)) return false;
          if (!r.ok) continue; // refused: status unchanged
          if (isTerminal(s)) return false;
          if (RANK[r.data.to] <= RANK[s]) return false;
          if (r.data.to === 'pending_payment') return false;
          s = r.data.to;
          left = true;
        }
        return !left || s !== 'pending_payment';
      }),
      fcParams(),
    );
  });
});

describe('after-sale eligibility', () => {
  const completedAt = 1_800_000_000_000;
  it('completed orders: allowed until exactly returnWindowDays after completion', () => {
    const o = { status: 'completed' as const, completedAt };
    expect(canApplyAfterSale(o, completedAt + 7 * DAY_MS - 1, 7)).toBe(true);
    expect(canApplyAfterSale(o, completedAt + 7 * DAY_MS, 7)).toBe(false);
    const r = afterSaleEligibility(o, completedAt + 8 * DAY_MS, 7);
    expect(r.ok || r.code).toBe('AFTER_SALE_NOT_ALLOWED');
  });
  it('unpaid, cancelled and closed orders cannot apply; goods not yet with the buyer allow a refund only', () => {
    expect(canApplyAfterSale({ status: 'pending_payment' }, 0, 7)).toBe(false);
    expect(canApplyAfterSale({ status: 'cancelled' }, 0, 7)).toBe(false);
    expect(canApplyAfterSale({ status: 'closed' }, 0, 7)).toBe(false);
    expect(afterSaleEligibility({ status: 'pending_shipment' }, 0, 7, 'refund').ok).toBe(true);
    expect(afterSaleEligibility({ status: 'pending_shipment' }, 0, 7, 'return_refund').ok).toBe(false);
    expect(afterSaleEligibility({ status: 'ready_for_pickup' }, 0, 7, 'refund').ok).toBe(true);
    expect(afterSaleEligibility({ status: 'ready_for_pickup' }, 0, 7, 'return_refund').ok).toBe(false);
    expect(afterSaleEligibility({ status: 'shipped' }, 0, 7, 'return_refund').ok).toBe(true);
    expect(afterSaleEligibility({ status: 'shipped' }, 0, 7, 'refund').ok).toBe(true);
    expect(afterSaleEligibility({ status: 'completed', completedAt }, completedAt, 7, 'return_refund').ok).toBe(true);
  });
  it('a completed order without completedAt is refused rather than open forever', () => {
    expect(canApplyAfterSale({ status: 'completed' }, 0, 7)).toBe(false);
  });
});

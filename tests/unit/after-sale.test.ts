import {
  AFTER_SALE_EVENTS,
  AFTER_SALE_STATUSES,
  AFTER_SALE_TRANSITIONS,
  AFTER_SALE_TYPES,
  afterSaleTransition,
  applyRefundToOrder,
  computeRefund,
  isAfterSaleOpen,
  reservedQtyByLine,
  type AfterSaleEvent,
  type AfterSaleStatus,
  type AfterSaleType,
  type RefundableLine,
} from '../../core/after-sale';
import { fc, fcParams } from './fc-setup';

describe('after-sale state machine', () => {
  it.each<[AfterSaleType, AfterSaleEvent[], AfterSaleStatus]>([
    ['refund', ['approve', 'refund'], 'refunded'],
    ['refund', ['reject'], 'rejected'],
    ['refund', ['cancel'], 'cancelled'],
    ['return_refund', ['approve', 'receive_return', 'refund'], 'refunded'],
    ['return_refund', ['approve', 'cancel'], 'cancelled'],
    ['return_refund', ['approve', 'receive_return', 'reject'], 'rejected'],
  ])('%s: %j ends in %s', (type, events, end) => {
    let s: AfterSaleStatus = 'pending';
    for (const e of events) {
      const r = afterSaleTransition(s, e, type);
      if (!r.ok) throw new Error(`${s} --${e}--> refused`);
      s = r.data.to;
    }
    expect(s).toBe(end);
  });

  it.each<[AfterSaleType, AfterSaleStatus, AfterSaleEvent]>([
    ['refund', 'pending', 'refund'], // no refund before approval
    ['refund', 'refunded', 'refund'], // never twice
    ['refund', 'approved', 'cancel'], // refund in flight
    ['return_refund', 'awaiting_return', 'refund'], // no refund before the goods are back
    ['return_refund', 'pending', 'receive_return'],
    ['return_refund', 'rejected', 'approve'],
    ['return_refund', 'cancelled', 'approve'],
  ])('%s: refuses %s --%s--', (type, from, event) => {
    const r = afterSaleTransition(from, event, type);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('ILLEGAL_TRANSITION');
  });

  it('terminal statuses (refunded, rejected, cancelled) have no exits and are not open; the others are open', () => {
    for (const type of AFTER_SALE_TYPES) {
      for (const s of AFTER_SALE_STATUSES) {
        const exits = Object.keys(AFTER_SALE_TRANSITIONS[type][s]);
        if (!isAfterSaleOpen(s)) expect(exits).toEqual([]);
        for (const to of Object.values(AFTER_SALE_TRANSITIONS[type][s])) {
          expect(AFTER_SALE_STATUSES).toContain(to);
          expect(to).not.toBe('pending');
        }
      }
    }
    expect(AFTER_SALE_STATUSES.filter(isAfterSaleOpen)).toEqual(['pending', 'approved', 'awaiting_return', 'returned']);
  });

  it('property: any event sequence never leaves a terminal status and never returns to pending', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AFTER_SALE_TYPES), fc.array(fc.constantFrom(...AFTER_SALE_EVENTS), { maxLength: 12 }), (type, events) => {
        let s: AfterSaleStatus = 'pending';
        for (const e of events) {
          const r = afterSaleTransition(s, e, type);
          if (!r.ok) continue;
          if (!isAfterSaleOpen(s) || r.data.to === 'pending') return false;
          s = r.data.to;
        }
        return true;
      }),
      fcParams(),
    );
  });
});

describe('computeRefund', () => {
  const line = (payable: number, qty: number, refundedQty = 0, refundedFen = 0): RefundableLine => ({ payable, qty, refundedQty, refundedFen });

  it('refunds in proportion with floor, the last unit gets the remainder', () => {
    expect(computeRefund(line(100, 3), 1)).toEqual({ ok: true, data: { refundFen: 33 } });
    expect(computeRefund(line(100, 3, 1, 33), 1)).toEqual({ ok: true, data: { refundFen: 33 } });
    expect(computeRefund(line(100, 3, 2, 66), 1)).toEqual({ ok: true, data: { refundFen: 34 } });
    expect(computeRefund(line(100, 3), 3)).toEqual({ ok: true, data: { refundFen: 100 } });
    expect(computeRefund(line(0, 2), 1)).toEqual({ ok: true, data: { refundFen: 0 } });
  });

  it('refuses more units than remain (counting units held by other open after-sales)', () => {
    const r = computeRefund(line(100, 3, 2, 66), 2);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('AFTER_SALE_QTY_EXCEEDED');
      expect(r.details).toEqual({ available: 1 });
    }
    expect(computeRefund(line(100, 3), 2, { reservedQty: 2 }).ok).toBe(false);
    expect(computeRefund(line(100, 3), 1, { reservedQty: 2 }).ok).toBe(true);
  });

  it.each([0, -1, 1.5, NaN])('refuses qty %p as INVALID_INPUT', (q) => {
    const r = computeRefund(line(100, 3), q);
    expect(r.ok || r.code).toBe('INVALID_INPUT');
  });

  it('property: any split of the quantity refunds exactly the payable in total, never more at any step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 60 }),
        (payable, n, chunks) => {
          let l = line(payable, n);
          for (const c of chunks) {
            const remaining = n - l.refundedQty;
            if (remaining === 0) break;
            const q = Math.min(c, remaining);
            const r = computeRefund(l, q);
            if (!r.ok) return false;
            const f = r.data.refundFen;
            if (!Number.isSafeInteger(f) || f < 0) return false;
            l = line(payable, n, l.refundedQty + q, l.refundedFen + f);
            if (l.refundedFen > payable) return false;
            // path independence: after k units the total is floor(payable·k/n)
            if (BigInt(l.refundedFen) !== (BigInt(payable) * BigInt(l.refundedQty)) / BigInt(n)) return false;
          }
          // finish whatever is left in one go
          if (l.refundedQty < n) {
            const r = computeRefund(l, n - l.refundedQty);
            if (!r.ok) return false;
            l = line(payable, n, n, l.refundedFen + r.data.refundFen);
          }
          return l.refundedFen === payable && !computeRefund(l, 1).ok;
        },
      ),
      fcParams(),
    );
  });
});

describe('applyRefundToOrder', () => {
  const lines = [
    { lineId: 'L1', payable: 100, qty: 3, refundedQty: 0, refundedFen: 0 },
    { lineId: 'L2', payable: 50, qty: 1, refundedQty: 0, refundedFen: 0 },
  ];

  it('a partial refund keeps the order open; refunding every unit yields refund_all', () => {
    const r1 = applyRefundToOrder(lines, [{ lineId: 'L1', qty: 1, refundFen: 33 }]);
    expect(r1.ok && r1.data).toMatchObject({ refundFen: 33, fullyRefunded: false, event: null });
    expect(lines[0].refundedQty).toBe(0); // pure: input not mutated
    if (!r1.ok) return;
    const r2 = applyRefundToOrder(r1.data.lines, [
      { lineId: 'L1', qty: 2, refundFen: 67 },
      { lineId: 'L2', qty: 1, refundFen: 50 },
    ]);
    expect(r2.ok && r2.data).toMatchObject({ refundFen: 117, fullyRefunded: true, event: 'refund_all' });
  });

  it('refuses unknown lines, excess quantity and excess amount', () => {
    expect(applyRefundToOrder(lines, [{ lineId: 'L9', qty: 1, refundFen: 1 }]).ok).toBe(false);
    const q = applyRefundToOrder(lines, [{ lineId: 'L2', qty: 2, refundFen: 50 }]);
    expect(q.ok || q.code).toBe('AFTER_SALE_QTY_EXCEEDED');
    const a = applyRefundToOrder(lines, [{ lineId: 'L2', qty: 1, refundFen: 51 }]);
    expect(a.ok || a.code).toBe('AMOUNT_MISMATCH');
  });

  it('reservedQtyByLine sums only open after-sales', () => {
    expect(
      reservedQtyByLine([
        { status: 'pending', items: [{ lineId: 'L1', qty: 1 }] },
        { status: 'awaiting_return', items: [{ lineId: 'L1', qty: 2 }, { lineId: 'L2', qty: 1 }] },
        { status: 'refunded', items: [{ lineId: 'L1', qty: 5 }] },
        { status: 'cancelled', items: [{ lineId: 'L2', qty: 5 }] },
      ]),
    ).toEqual({ L1: 3, L2: 1 });
  });

  it('property: computeRefund + applyRefundToOrder over random after-sales closes the order exactly when all is refunded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1e8 }), fc.integer({ min: 1, max: 10 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 10 })), { maxLength: 30 }),
        (spec, requests) => {
          let ls = spec.map(([payable, qty], i) => ({ lineId: `L${i + 1}`, payable, qty, refundedQty: 0, refundedFen: 0 }));
          let total = 0;
          for (const [pick, q] of requests) {
            const l = ls[pick % ls.length];
            const c = computeRefund(l, q);
            if (!c.ok) {
              if (q <= l.qty - l.refundedQty) return false; // refused although available
              continue;
            }
            const a = applyRefundToOrder(ls, [{ lineId: l.lineId, qty: q, refundFen: c.data.refundFen }]);
            if (!a.ok) return false;
            ls = a.data.lines;
            total += a.data.refundFen;
            const all = ls.every((x) => x.refundedQty === x.qty);
            if (a.data.fullyRefunded !== all) return false;
            if ((a.data.event === 'refund_all') !== all) return false;
          }
          const paid = spec.reduce((s, [p]) => s + p, 0);
          const everything = ls.every((x) => x.refundedQty === x.qty);
          return total <= paid && (!everything || total === paid) && ls.every((x) => x.refundedFen <= x.payable);
        },
      ),
      fcParams(),
    );
  });
});

/** After-sale documents and the refund execution shared by admin approve/receive. */
import { fail, ok, type Result } from '../core/errors';
import {
  afterSaleTransition,
  applyRefundToOrder,
  computeRefund,
  type AfterSaleEvent,
  type AfterSaleStatus,
  type AfterSaleType,
  type LineRefund,
} from '../core/after-sale';
import { db, cmd, cloudPay, currentEnvId, subMchId, randomHex, getDoc } from './cloud';
import { getOrder, transitionOrder, type OrderDoc } from './orders';
import { appendRefundEntries } from './distribution/commission';

export interface AfterSaleDoc {
  _id: string;
  orderId: string;
  openid: string;
  type: AfterSaleType;
  items: { lineId: string; qty: number; refundFen: number }[];
  refundFen: number;
  reason: string;
  status: AfterSaleStatus;
  merchantReason?: string;
  outRefundNo: string;
  carrier?: string;
  trackingNo?: string;
  createdAt: number;
  updatedAt: number;
  refundedAt?: number;
  history: { from: AfterSaleStatus; to: AfterSaleStatus; event: AfterSaleEvent; at: number; by: string }[];
}

export async function getAfterSale(id: string): Promise<AfterSaleDoc | null> {
  return getDoc<AfterSaleDoc>('after_sales', id);
}

/** Conditional after-sale status change through core's table; `updated:false` when someone moved it first. */
export async function transitionAfterSale(
  a: AfterSaleDoc,
  event: AfterSaleEvent,
  patch: Record<string, unknown>,
  by: string,
  now: number,
): Promise<Result<{ to: AfterSaleStatus; updated: boolean }>> {
  const t = afterSaleTransition(a.status, event, a.type);
  if (!t.ok) return t;
  const _ = cmd();
  const res = await db()
    .collection('after_sales')
    .where({ _id: a._id, status: a.status })
    .update({ data: { ...patch, status: t.data.to, updatedAt: now, history: _.push([{ from: a.status, to: t.data.to, event, at: now, by }]) } });
  return ok({ to: t.data.to, updated: (res?.stats?.updated ?? 0) > 0 });
}

/** Decrements the order's open after-sale counter (never below zero). */
export async function closeOpenCounter(orderId: string): Promise<void> {
  const _ = cmd();
  await db().collection('orders').where({ _id: orderId, openAfterSales: _.gt(0) }).update({ data: { openAfterSales: _.inc(-1) } });
}

/**
 * Executes the refund of an approved (refund) or returned (return_refund) after-sale. Safe to re-run after a
 * crash at any step: cloudPay.refund is idempotent on outRefundNo (= the after-sale id), the order's lines are
 * updated once (guarded by `appliedRefunds`), the after-sale moves once (conditional).
 */
export async function executeRefund(a: AfterSaleDoc, by: string, now: number): Promise<Result<AfterSaleDoc>> {
  if (a.status !== 'approved' && a.status !== 'returned') return fail('ILLEGAL_TRANSITION');
  const _ = cmd();
  let refundFen = a.refundFen;
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = (await getOrder(a.orderId)) as (OrderDoc & { appliedRefunds?: string[]; shippingRefundedFen?: number }) | null;
    if (!order) return fail('NOT_FOUND', '订单不存在');
    if ((order.appliedRefunds ?? []).includes(a._id)) break;
    const refunds: LineRefund[] = [];
    for (const it of a.items) {
      const line = order.lines.find((l) => l.lineId === it.lineId);
      if (!line) return fail('NOT_FOUND', '售后商品不在订单中');
      const r = computeRefund(line, it.qty);
      if (!r.ok) return r;
      refunds.push({ lineId: it.lineId, qty: it.qty, refundFen: r.data.refundFen });
    }
    const applied = applyRefundToOrder(order.lines, refunds);
    if (!applied.ok) return applied;
    // Nothing was shipped and everything is refunded: the shipping fee goes back too.
    const shippingRefund =
      applied.data.fullyRefunded && order.status === 'pending_shipment' ? Math.max(0, order.shippingFen - (order.shippingRefundedFen ?? 0)) : 0;
    refundFen = applied.data.refundFen + shippingRefund;
    const pay = await cloudPay().refund({
      outTradeNo: order._id,
      outRefundNo: a.outRefundNo,
      totalFee: order.payableFen,
      refundFee: refundFen,
      subMchId: subMchId(),
      envId: currentEnvId(),
      functionName: 'payCallback',
      nonceStr: randomHex(32),
    });
    if (pay && ((pay.returnCode && pay.returnCode !== 'SUCCESS') || (pay.resultCode && pay.resultCode !== 'SUCCESS'))) {
      return fail('REFUND_FAILED', undefined, { returnMsg: pay.returnMsg, errCodeDes: pay.errCodeDes });
    }
    const res = await db()
      .collection('orders')
      .where({ _id: order._id, refundedFen: order.refundedFen, appliedRefunds: _.neq(a._id) })
      .update({
        data: {
          lines: _.set(applied.data.lines),
          refundedFen: _.inc(refundFen),
          shippingRefundedFen: _.inc(shippingRefund),
          openAfterSales: _.inc(-1),
          appliedRefunds: _.push([a._id]),
          // distribution: each refund's units per line and how many were refunded before (proportional reversals)
          commissionRefunds: _.push([
            { id: a._id, lines: refunds.map((r) => ({ lineId: r.lineId, qty: r.qty, before: order.lines.find((l) => l.lineId === r.lineId)?.refundedQty ?? 0 })) },
          ]),
        },
      });
    if ((res?.stats?.updated ?? 0) === 0) continue; // another refund landed first: recompute
    break;
  }
  // distribution: reverse (before settlement) or claw back (after) the refunded lines' commission — idempotent
  await appendRefundEntries(a.orderId, a._id, now);
  const after = await getOrder(a.orderId);
  if (after && after.status !== 'closed' && after.lines.every((l) => l.refundedQty >= l.qty)) {
    await transitionOrder(after._id, after.status, 'refund_all', { closedAt: now }, by, now);
  }
  const t = await transitionAfterSale(a, 'refund', { refundFen, refundedAt: now }, by, now);
  if (!t.ok) return t;
  return ok((await getAfterSale(a._id)) as AfterSaleDoc);
}

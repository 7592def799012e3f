/**
 * Applying a confirmed payment — shared by the pay callback and the close-unpaid timer (which asks queryOrder
 * first). Idempotent on the order: the status write is conditioned on pending_payment; a repeated payment is
 * acknowledged without changes; a payment landing on a cancelled order is refunded; a late one after a refund
 * changes nothing.
 */
import { db, cloudPay, currentEnvId, subMchId, isDuplicateKeyError, randomHex } from './cloud';
import { getOrder, transitionOrder, type OrderDoc } from './orders';
import { clearHolds } from './stock';
import { audit } from './audit';
import { logEvent } from './log';
import { createCommissionSet, type CommissionOrderDoc } from './distribution/commission';

export interface PaymentInfo {
  transactionId: string;
  totalFee: number;
  payerOpenid?: string;
}

export type ApplyOutcome =
  /** recorded (first time or a duplicate): acknowledge */
  | { recorded: true; result: 'applied' | 'duplicate' | 'late_refunded' | 'late_ignored' }
  /** not recorded: do not acknowledge (WeChat retries) */
  | { recorded: false; result: 'unknown_order' | 'mismatch' };

async function recordPayment(order: OrderDoc, p: PaymentInfo, result: string, now: number): Promise<void> {
  try {
    await db()
      .collection('payments')
      .add({
        data: { _id: p.transactionId, outTradeNo: order._id, totalFee: p.totalFee, openid: p.payerOpenid ?? order.openid, result, at: now },
      });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}

/** Deterministic refund number for a payment that arrived after its order was cancelled. */
export function lateRefundNo(orderId: string): string {
  return `${orderId}-late`;
}

export async function applyPayment(outTradeNo: string, p: PaymentInfo, source: string, now: number): Promise<ApplyOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const order = await getOrder(outTradeNo);
    if (!order) {
      logEvent('payment_unknown_order', { outTradeNo, transactionId: p.transactionId, source });
      return { recorded: false, result: 'unknown_order' };
    }
    if (p.totalFee !== order.payableFen) {
      logEvent('payment_amount_mismatch', { alert: true, outTradeNo, transactionId: p.transactionId, totalFee: p.totalFee, payableFen: order.payableFen, source });
      return { recorded: false, result: 'mismatch' };
    }
    if (order.status === 'pending_payment') {
      const t = await transitionOrder(
        order._id,
        'pending_payment',
        'pay',
        { paidAt: now, transactionId: p.transactionId },
        source,
        now,
      );
      if (!t.ok) throw new Error(t.message);
      if (!t.data.updated) continue; // someone else moved it: re-read and decide again
      await clearHolds(order._id);
      await recordPayment(order, p, 'applied', now);
      // distribution: the commission set of the now durably paid order (throws → not acknowledged → retried)
      await createCommissionSet({ ...(order as CommissionOrderDoc), status: 'pending_shipment', paidAt: now, transactionId: p.transactionId }, now);
      logEvent('payment_applied', { outTradeNo, transactionId: p.transactionId, source });
      return { recorded: true, result: 'applied' };
    }
    if (order.status === 'cancelled') {
      // Paid after the order was closed (timeout race): give the money back, idempotently.
      const outRefundNo = lateRefundNo(order._id);
      const r = await cloudPay().refund({
        outTradeNo: order._id,
        outRefundNo,
        totalFee: p.totalFee,
        refundFee: p.totalFee,
        subMchId: subMchId(),
        envId: currentEnvId(),
        functionName: 'payCallback',
        nonceStr: randomHex(32),
      });
      if (r && r.returnCode && r.returnCode !== 'SUCCESS') throw new Error(`refund failed: ${r.returnMsg ?? r.returnCode}`);
      await recordPayment(order, p, 'late_refunded', now);
      await audit('system', 'payment.late_refund', order._id, { alert: true, transactionId: p.transactionId, totalFee: p.totalFee, outRefundNo, source }, now, `alert:${p.transactionId}`);
      logEvent('payment_late_refunded', { alert: true, outTradeNo, transactionId: p.transactionId });
      return { recorded: true, result: 'late_refunded' };
    }
    if (order.transactionId === p.transactionId) {
      // Duplicate notification: finish anything a crashed first delivery left undone, change nothing else.
      if (order.status !== 'closed') await clearHolds(order._id);
      await recordPayment(order, p, 'applied', now);
      // a crash may have left the commission set incomplete; no request when it is complete
      await createCommissionSet(order as CommissionOrderDoc, now);
      return { recorded: true, result: 'duplicate' };
    }
    // Paid/refunded/closed with a different transaction: never move status back; leave it for reconciliation.
    logEvent('payment_late_ignored', { alert: true, outTradeNo, transactionId: p.transactionId, status: order.status });
    return { recorded: true, result: 'late_ignored' };
  }
  throw new Error(`applyPayment: order ${outTradeNo} kept changing`);
}

/** Asks WeChat Pay for the trade state (used before trusting a callback and before closing). */
export async function queryTrade(outTradeNo: string): Promise<{ tradeState: string; totalFee: number; transactionId: string; payerOpenid?: string }> {
  const r = await cloudPay().queryOrder({ outTradeNo, subMchId: subMchId(), nonceStr: randomHex(32) });
  return {
    tradeState: String(r?.tradeState ?? r?.trade_state ?? ''),
    totalFee: Number(r?.totalFee ?? r?.total_fee ?? NaN),
    transactionId: String(r?.transactionId ?? r?.transaction_id ?? ''),
    payerOpenid: r?.subOpenid ?? r?.openid,
  };
}

/**
 * Closes the WeChat trade before an unpaid order is cancelled, so it can no longer be paid. When WeChat refuses
 * because the trade was paid meanwhile, the payment is applied instead and 'paid' is returned.
 */
export async function closeTradeOrApply(outTradeNo: string, source: string, now: number): Promise<'closed' | 'paid'> {
  let res: { resultCode?: string; returnCode?: string } | null = null;
  try {
    res = await cloudPay().closeOrder({ outTradeNo, subMchId: subMchId(), nonceStr: randomHex(32) });
  } catch (e) {
    logEvent('close_order_failed', { outTradeNo, message: (e as Error).message });
  }
  if (res && res.resultCode === 'FAIL') {
    const trade = await queryTrade(outTradeNo);
    if (trade.tradeState === 'SUCCESS') {
      await applyPayment(outTradeNo, { transactionId: trade.transactionId, totalFee: trade.totalFee, payerOpenid: trade.payerOpenid }, source, now);
      return 'paid';
    }
  }
  return 'closed';
}

/**
 * closeUnpaidOrders (timer, every minute): for each unpaid order past expiresAt (≤100 per run) ask queryOrder
 * first — a paid trade whose callback was lost becomes paid — otherwise close the trade, cancel the order
 * (timeout, conditional) and give the stock back exactly once. Also finishes releases a crash left pending.
 */
import { db, cmd, nowMs } from '../../../server/cloud';
import { applyPayment, closeTradeOrApply, queryTrade } from '../../../server/payment';
import { getOrder, transitionOrder, type OrderDoc } from '../../../server/orders';
import { releaseOrderStock } from '../../../server/stock';
import { logError, logEvent } from '../../../server/log';

const BATCH = 100;

async function finishRelease(order: OrderDoc, now: number): Promise<void> {
  await releaseOrderStock(order, `cancel_${order.cancelReason ?? 'timeout'}`, now);
  await db().collection('orders').doc(order._id).update({ data: { releasePending: false } });
}

async function closeOne(order: OrderDoc, now: number): Promise<string> {
  const trade = await queryTrade(order._id);
  if (trade.tradeState === 'SUCCESS') {
    const r = await applyPayment(order._id, { transactionId: trade.transactionId, totalFee: trade.totalFee, payerOpenid: trade.payerOpenid }, 'close_timer', now);
    return `paid:${r.result}`;
  }
  if ((await closeTradeOrApply(order._id, 'close_timer', now)) === 'paid') return 'paid:during_close';
  const t = await transitionOrder(order._id, 'pending_payment', 'timeout', { cancelledAt: now, cancelReason: 'timeout', releasePending: true }, 'system', now);
  if (!t.ok) return 'illegal';
  const fresh = await getOrder(order._id);
  if (fresh && fresh.status === 'cancelled' && fresh.releasePending) {
    await finishRelease(fresh, now);
    return 'closed';
  }
  return 'skipped';
}

export async function main(): Promise<{ processed: number; results: Record<string, number> }> {
  const now = nowMs();
  const _ = cmd();
  const results: Record<string, number> = {};
  let processed = 0;
  try {
    const due = await db()
      .collection('orders')
      .where({ status: 'pending_payment', expiresAt: _.lte(now) })
      .orderBy('expiresAt', 'asc')
      .limit(BATCH)
      .get();
    for (const order of (due.data as OrderDoc[]) ?? []) {
      try {
        const r = await closeOne(order, now);
        results[r] = (results[r] ?? 0) + 1;
        processed++;
      } catch (e) {
        logError(`closeUnpaidOrders:${order._id}`, e);
      }
    }
    const pending = await db().collection('orders').where({ status: 'cancelled', releasePending: true }).limit(BATCH).get();
    for (const order of (pending.data as OrderDoc[]) ?? []) {
      try {
        await finishRelease(order, now);
        results.released = (results.released ?? 0) + 1;
      } catch (e) {
        logError(`closeUnpaidOrders:release:${order._id}`, e);
      }
    }
  } catch (e) {
    logError('closeUnpaidOrders', e);
  }
  logEvent('close_unpaid_run', { processed, results });
  return { processed, results };
}

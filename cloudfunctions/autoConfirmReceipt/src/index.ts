/** autoConfirmReceipt (timer, every 10 minutes): shipped orders older than autoConfirmDays → completed (conditional). */
import { DAY_MS } from '../../../core/time';
import { db, cmd, nowMs } from '../../../server/cloud';
import { loadShop } from '../../../server/settings';
import { transitionOrder, type OrderDoc } from '../../../server/orders';
import { freezeOrderCommissions, type CommissionOrderDoc } from '../../../server/distribution/commission';
import { logError, logEvent } from '../../../server/log';

const BATCH = 100;

export async function main(): Promise<{ confirmed: number }> {
  const now = nowMs();
  const _ = cmd();
  let confirmed = 0;
  try {
    const { settings } = await loadShop(now);
    const due = await db()
      .collection('orders')
      .where({ status: 'shipped', shippedAt: _.lte(now - settings.autoConfirmDays * DAY_MS) })
      .orderBy('shippedAt', 'asc')
      .limit(BATCH)
      .get();
    for (const order of (due.data as OrderDoc[]) ?? []) {
      try {
        const t = await transitionOrder(order._id, 'shipped', 'auto_confirm', { completedAt: now }, 'system', now);
        if (t.ok && t.data.updated) {
          confirmed++;
          // distribution: freeze the order's commission (a crash here is caught up by settleCommissions)
          await freezeOrderCommissions(order._id, now, now, order as CommissionOrderDoc);
        }
      } catch (e) {
        logError(`autoConfirmReceipt:${order._id}`, e);
      }
    }
  } catch (e) {
    logError('autoConfirmReceipt', e);
  }
  logEvent('auto_confirm_run', { confirmed });
  return { confirmed };
}

/**
 * payoutTransfers (timer every minute; also invoked right after an approval with {ids}): approved withdrawals →
 * 商家转账 (server/transfer.ts) with out_bill_no = the withdrawal id; paying ones are queried before any retry.
 * Direct client calls are refused.
 */
import { getIdentity, nowMs } from '../../../server/cloud';
import { logError, logEvent } from '../../../server/log';
import { payoutDue, payoutOne, type PayoutResult } from '../../../server/distribution/wallet';

const TIMEOUT_MS = 20_000;

export async function main(rawEvent: unknown): Promise<{ ok: boolean; counts?: Record<PayoutResult, number>; error?: string }> {
  const started = Date.now();
  const deadline = started + Math.floor(TIMEOUT_MS * 0.7);
  const event = (rawEvent && typeof rawEvent === 'object' ? rawEvent : {}) as Record<string, unknown>;
  const id = getIdentity();
  if (id.source === 'wx_client') {
    logEvent('payout_forbidden', { alert: true, openid: id.openid });
    return { ok: false, error: 'forbidden' };
  }
  try {
    const now = nowMs();
    if (Array.isArray(event.ids)) {
      const counts: Record<PayoutResult, number> = { paid: 0, failed: 0, pending: 0, skipped: 0 };
      for (const wid of event.ids.filter((x): x is string => typeof x === 'string').slice(0, 20)) counts[await payoutOne(wid, now)]++;
      return { ok: true, counts };
    }
    const counts = await payoutDue(now, deadline);
    logEvent('payout_run', { ...counts, ms: Date.now() - started });
    return { ok: true, counts };
  } catch (e) {
    logError('payoutTransfers', e);
    throw e;
  }
}

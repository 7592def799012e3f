/**
 * settleCommissions (timer every 10 minutes; also invoked by admin `settlements.run` and after an approval):
 * frozen → settleable sweep, then the settlement batch of the last closed period (server/distribution/settlement.ts).
 * Resumable: it stops at ≈ 70% of the function timeout and the next run continues.
 * Direct client calls are refused (only timers, other functions and admin tools may run it).
 */
import { getIdentity, nowMs } from '../../../server/cloud';
import { logError, logEvent } from '../../../server/log';
import { runSettlement, type RunReport } from '../../../server/distribution/settlement';

/** keep in step with config.json `timeout` (seconds) */
const TIMEOUT_MS = 60_000;
const BUDGET_MS = Math.floor(TIMEOUT_MS * 0.7);

export async function main(rawEvent: unknown): Promise<{ ok: boolean; report?: RunReport; error?: string }> {
  const started = Date.now();
  const event = (rawEvent && typeof rawEvent === 'object' ? rawEvent : {}) as Record<string, unknown>;
  const id = getIdentity();
  if (id.source === 'wx_client') {
    logEvent('settle_forbidden', { alert: true, openid: id.openid });
    return { ok: false, error: 'forbidden' };
  }
  // tuning knobs for tests and the benchmark (never from a client: refused above)
  const chunk = typeof event.chunk === 'number' && event.chunk >= 1 ? Math.min(1000, Math.floor(event.chunk)) : 1000;
  const budget = typeof event.budgetMs === 'number' && event.budgetMs > 0 ? Math.min(BUDGET_MS, event.budgetMs) : BUDGET_MS;
  const maxChunks = typeof event.maxChunks === 'number' && event.maxChunks >= 0 ? Math.floor(event.maxChunks) : undefined;
  try {
    const report = await runSettlement(nowMs(), { chunk, deadline: started + budget, maxChunks });
    logEvent('settle_run', { ...report, ms: Date.now() - started });
    return { ok: true, report };
  } catch (e) {
    logError('settleCommissions', e);
    throw e;
  }
}

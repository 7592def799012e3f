/**
 * Settlement batches (DESIGN §5.4): one batch per closed period of the merchant's cycle, in Asia/Shanghai,
 * keyed `settle:${periodKey}`; auto mode marks entries directly, manual mode proposes and waits for approval.
 */
import { fail, ok, type Result } from '../errors';
import type { Fen } from '../money';
import { periodBounds, previousPeriodKey, type SettlementCycle } from '../time';
import type { CommissionState } from './ledger';
import type { CommissionTier, SettlementMode } from './settings';

export interface SettlementPeriod {
  key: string;
  /** inclusive epoch ms */
  start: number;
  /** exclusive epoch ms = the batch cutoff */
  end: number;
}

/** The last CLOSED period at `now` (the one before the period containing `now`), in Shanghai time. */
export function settlementPeriod(now: number, cycle: SettlementCycle): SettlementPeriod {
  const b = periodBounds(previousPeriodKey(now, cycle));
  return { key: b.key, start: b.startMs, end: b.endMs };
}

export function batchId(periodKey: string): string {
  return `settle:${periodKey}`;
}

export type BatchStatus = 'proposed' | 'approved' | 'marking' | 'marked' | 'done' | 'rejected';
export const BATCH_STATUSES: readonly BatchStatus[] = ['proposed', 'approved', 'marking', 'marked', 'done', 'rejected'];
export const BATCH_STATUS_LABELS: Readonly<Record<BatchStatus, string>> = {
  proposed: '待审核',
  approved: '已批准',
  marking: '结算中',
  marked: '已记账',
  done: '已完成',
  rejected: '已驳回',
};

/** Allowed moves. Manual: proposed → approved | rejected, approved → marking; auto starts at marking. */
export const BATCH_TRANSITIONS: Readonly<Record<BatchStatus, readonly BatchStatus[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['marking'],
  marking: ['marked'],
  marked: ['done'],
  done: [],
  rejected: [],
};

/** The status a new batch is created in. */
export function initialBatchStatus(mode: SettlementMode): BatchStatus {
  return mode === 'auto' ? 'marking' : 'proposed';
}

export function batchTransition(from: BatchStatus, to: BatchStatus): Result<BatchStatus> {
  if ((BATCH_TRANSITIONS[from] ?? []).includes(to)) return ok(to);
  return fail('ILLEGAL_TRANSITION', '结算批次状态已变化，请刷新后重试', { from, to });
}

/**
 * Does an entry belong in the batch with this cutoff? Settleable (its freeze ended and it was swept) and, when
 * it carries a freezeUntil, that freeze ended before the cutoff. Clawbacks (settleable, no freeze) qualify.
 */
export function eligibleForBatch(entry: { state: CommissionState; freezeUntil?: number | null; batchId?: string | null }, cutoff: number): boolean {
  if (entry.state !== 'settleable' || entry.batchId) return false;
  return typeof entry.freezeUntil !== 'number' || entry.freezeUntil <= cutoff;
}

export interface StatementEntry {
  beneficiary: string;
  tier: CommissionTier;
  amountFen: Fen;
}

export interface Statement {
  openid: string;
  amountFen: Fen;
  entries: number;
  byTier: { 1: Fen; 2: Fen };
}

/** Per-distributor statements of a batch (sorted by openid): signed sums, entry counts, sums by tier. */
export function statementsFor(entries: readonly StatementEntry[]): Statement[] {
  const by = new Map<string, Statement>();
  for (const e of entries) {
    let s = by.get(e.beneficiary);
    if (!s) {
      s = { openid: e.beneficiary, amountFen: 0, entries: 0, byTier: { 1: 0, 2: 0 } };
      by.set(e.beneficiary, s);
    }
    s.amountFen += e.amountFen;
    s.entries += 1;
    s.byTier[e.tier] += e.amountFen;
  }
  return [...by.values()].sort((a, b) => (a.openid < b.openid ? -1 : a.openid > b.openid ? 1 : 0));
}

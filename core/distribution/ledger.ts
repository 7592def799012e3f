/**
 * The commission ledger (DESIGN §5.4): append-only entries whose amounts never change; `state` only moves
 * forward pending → frozen → settleable → settled.
 */
import { fail, ok, type Result } from '../errors';
import { assertFen, type Fen } from '../money';
import { DAY_MS } from '../time';
import type { CommissionTier } from './settings';

export type CommissionState = 'pending' | 'frozen' | 'settleable' | 'settled';
export type CommissionKind = 'accrue' | 'reverse' | 'clawback';
/** `accrue`, `rev-${afterSaleId}` or `claw-${afterSaleId}` */
export type CommissionEvent = string;

export const COMMISSION_STATES: readonly CommissionState[] = ['pending', 'frozen', 'settleable', 'settled'];
export const COMMISSION_STATE_LABELS: Readonly<Record<CommissionState, string>> = {
  pending: '待结算',
  frozen: '冻结中',
  settleable: '可结算',
  settled: '已结算',
};

/** The single forward step from each state (null = final). */
export const COMMISSION_TRANSITIONS: Readonly<Record<CommissionState, CommissionState | null>> = {
  pending: 'frozen',
  frozen: 'settleable',
  settleable: 'settled',
  settled: null,
};

/** True when `to` is strictly after `from` (forward only; skipping a step is allowed, e.g. pending → settleable). */
export function isForward(from: CommissionState, to: CommissionState): boolean {
  return COMMISSION_STATES.indexOf(to) > COMMISSION_STATES.indexOf(from);
}

/** One step of the table: `from` → its next state, or ILLEGAL_TRANSITION. */
export function commissionTransition(from: CommissionState, to: CommissionState): Result<CommissionState> {
  if (COMMISSION_TRANSITIONS[from] === to) return ok(to);
  return fail('ILLEGAL_TRANSITION', '佣金状态已变化，请刷新后重试', { from, to });
}

/** The deterministic ledger id: `${orderId}:${lineId}:T${tier}:${event}`. */
export function entryId(orderId: string, lineId: string, tier: CommissionTier, event: CommissionEvent): string {
  return `${orderId}:${lineId}:T${tier}:${event}`;
}

export function reverseEvent(afterSaleId: string): CommissionEvent {
  return `rev-${afterSaleId}`;
}

export function clawbackEvent(afterSaleId: string): CommissionEvent {
  return `claw-${afterSaleId}`;
}

/** Parses an entry id made by `entryId` (order ids must not contain ':'). */
export function parseEntryId(id: string): { orderId: string; lineId: string; tier: CommissionTier; event: string } | null {
  const m = /^([^:]+):([^:]+):T([12]):(.+)$/.exec(id);
  if (!m) return null;
  return { orderId: m[1], lineId: m[2], tier: Number(m[3]) as CommissionTier, event: m[4] };
}

/** Completion + freezeDays: the instant the freeze ends (exclusive). */
export function freezeUntil(completedAt: number, freezeDays: number): number {
  if (!Number.isFinite(completedAt)) throw new RangeError('completedAt must be epoch ms');
  if (!Number.isSafeInteger(freezeDays) || freezeDays < 0) throw new RangeError('freezeDays must be a non-negative integer');
  return completedAt + freezeDays * DAY_MS;
}

/**
 * May a frozen entry become settleable at `now`? Only when its freeze has ended and no after-sale is open on
 * its line.
 */
export function freezeOver(entry: { state: CommissionState; freezeUntil?: number | null }, now: number, hasOpenAfterSale = false): boolean {
  return entry.state === 'frozen' && typeof entry.freezeUntil === 'number' && now >= entry.freezeUntil && !hasOpenAfterSale;
}

export interface Balances {
  pending: Fen;
  frozen: Fen;
  settleable: Fen;
  settled: Fen;
}

/** Signed sums of `amountFen` by state (reversals and clawbacks are negative). */
export function balancesByState(entries: readonly { state: CommissionState; amountFen: Fen }[]): Balances {
  const b: Balances = { pending: 0, frozen: 0, settleable: 0, settled: 0 };
  for (const e of entries) {
    assertFen(e.amountFen, 'amountFen');
    if (!(e.state in b)) throw new RangeError(`unknown commission state ${String(e.state)}`);
    b[e.state] += e.amountFen;
  }
  for (const k of COMMISSION_STATES) if (b[k] === 0) b[k] = 0; // no -0
  return b;
}

/** Σ settled − withdrawn (withdrawn = Σ requested, not failed / rejected). May be negative after clawbacks. */
export function availableBalance(settledFen: Fen, withdrawnFen: Fen): Fen {
  assertFen(settledFen, 'settledFen');
  assertFen(withdrawnFen, 'withdrawnFen');
  const r = settledFen - withdrawnFen;
  return r === 0 ? 0 : r;
}

/**
 * Withdrawals (DESIGN §5.4): a state machine that never pays twice.
 *   pending_review → approved | rejected;  approved → paying;  paying → paid | failed.
 * rejected and failed are terminal and release the amount (it no longer counts in wallets.withdrawnFen);
 * paid is terminal. Nothing moves back.
 */
import { fail, ok, type Result } from '../errors';
import { formatFen, isFen, type Fen } from '../money';
import type { WithdrawalSettings } from './settings';

export type WithdrawalStatus = 'pending_review' | 'approved' | 'paying' | 'paid' | 'rejected' | 'failed';
export const WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = ['pending_review', 'approved', 'paying', 'paid', 'rejected', 'failed'];
export const WITHDRAWAL_STATUS_LABELS: Readonly<Record<WithdrawalStatus, string>> = {
  pending_review: '待审核',
  approved: '待打款',
  paying: '打款中',
  paid: '已到账',
  rejected: '已驳回',
  failed: '打款失败',
};

export const WITHDRAWAL_TRANSITIONS: Readonly<Record<WithdrawalStatus, readonly WithdrawalStatus[]>> = {
  pending_review: ['approved', 'rejected'],
  approved: ['paying'],
  paying: ['paid', 'failed'],
  paid: [],
  rejected: [],
  failed: [],
};

export function withdrawalTransition(from: WithdrawalStatus, to: WithdrawalStatus): Result<WithdrawalStatus> {
  if ((WITHDRAWAL_TRANSITIONS[from] ?? []).includes(to)) return ok(to);
  return fail('ILLEGAL_TRANSITION', '提现状态已变化，请刷新后重试', { from, to });
}

export function isWithdrawalTerminal(s: WithdrawalStatus): boolean {
  return WITHDRAWAL_TRANSITIONS[s].length === 0;
}

/** Does a withdrawal in this status hold its amount (count in withdrawnFen)? Everything but rejected / failed. */
export function holdsFunds(s: WithdrawalStatus): boolean {
  return s !== 'rejected' && s !== 'failed';
}

export interface CheckWithdrawalInput {
  amountFen: Fen;
  /** available balance: Σ settled − withdrawnFen */
  balanceFen: Fen;
  /** Σ today's (Shanghai day) requests that hold funds */
  withdrawnTodayFen: Fen;
  settings: WithdrawalSettings | { withdrawal: WithdrawalSettings };
}

/**
 * Checks a withdrawal request: a positive integer amount, at least the minimum, within today's limit, and a
 * positive balance covering it. `autoApprove` when the amount is below the merchant's threshold.
 */
export function checkWithdrawal(input: CheckWithdrawalInput): Result<{ autoApprove: boolean }> {
  const w: WithdrawalSettings = 'withdrawal' in input.settings ? input.settings.withdrawal : input.settings;
  const { amountFen, balanceFen, withdrawnTodayFen } = input;
  if (!isFen(amountFen) || amountFen <= 0) return fail('INVALID_INPUT', '提现金额必须是大于0的整数（分）', { field: 'amountFen' });
  if (!isFen(balanceFen) || !isFen(withdrawnTodayFen)) return fail('INTERNAL', undefined, { reason: 'balance must be integer fen' });
  if (amountFen < w.minFen) {
    return fail('WITHDRAWAL_BELOW_MIN', `单次提现不能低于¥${formatFen(w.minFen)}`, { minFen: w.minFen });
  }
  if (balanceFen <= 0) return fail('INSUFFICIENT_BALANCE', '暂无可提现余额', { balanceFen });
  if (amountFen > balanceFen) {
    return fail('INSUFFICIENT_BALANCE', `可提现余额不足，最多可提现¥${formatFen(balanceFen)}`, { balanceFen });
  }
  const leftToday = Math.max(0, w.dailyLimitFen - Math.max(0, withdrawnTodayFen));
  if (amountFen > leftToday) {
    return fail('WITHDRAWAL_LIMIT_EXCEEDED', `超出今日提现限额，今日还可提现¥${formatFen(leftToday)}`, { leftTodayFen: leftToday });
  }
  return ok({ autoApprove: amountFen < w.autoApproveBelowFen });
}

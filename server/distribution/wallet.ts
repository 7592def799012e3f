/**
 * Withdrawals and payouts.
 *
 * Serialization point: the `wallets/{openid}` document, changed only inside `runTransaction` (doc-level reads and
 * writes only — CloudBase allows no where/count/aggregate inside). Balance = Σ settled entries (one aggregate,
 * computed just before the transaction) − wallet.withdrawnFen. A withdrawal's `_id` is derived from
 * openid + requestId, so a double tap / retry returns the same withdrawal; concurrent requests conflict on the
 * wallet at commit, the SDK re-runs the transaction, and the re-run sees the new withdrawnFen.
 *
 * Payout: approved → paying (conditional) → 商家转账 with out_bill_no = withdrawal `_id` (never another number)
 * → paid | failed (the amount goes back to the wallet in the same transaction that marks it failed: once).
 * An unknown outcome leaves it `paying`; the next run queries by out_bill_no before creating again.
 */
import { createHash } from 'crypto';
import { BizException, fail, ok, type Result } from '../../core/errors';
import { checkWithdrawal } from '../../core/distribution';
import { periodKey } from '../../core/time';
import { db, cmd, isDuplicateKeyError, sdk, getDoc } from '../cloud';
import { audit } from '../audit';
import { logEvent, logError } from '../log';
import { createTransfer, queryTransfer, type TransferOutcome } from '../transfer';
import { loadDistributionSettings } from './settings';

export type WithdrawalStatus = 'pending_review' | 'approved' | 'paying' | 'paid' | 'rejected' | 'failed';

export interface WithdrawalDoc {
  _id: string;
  openid: string;
  requestId: string;
  amountFen: number;
  status: WithdrawalStatus;
  outBillNo: string;
  transferBillNo?: string;
  reason?: string;
  lastError?: string;
  returnedAt?: number;
  createdAt: number;
  updatedAt: number;
  history: { from: WithdrawalStatus | null; to: WithdrawalStatus; at: number; by: string; reason?: string }[];
}

export interface WalletDoc {
  _id: string;
  withdrawnFen: number;
  day?: string;
  dayFen?: number;
  updatedAt?: number;
}

/** 'W' + 28 hex chars of sha256(openid:requestId): ≤ 32 chars, valid as out_bill_no. */
export function withdrawalId(openid: string, requestId: string): string {
  return `W${createHash('sha256').update(`${openid}:${requestId}`).digest('hex').slice(0, 28)}`;
}

export async function settledSumFen(openid: string): Promise<number> {
  const $ = db().command.aggregate;
  const r = await db()
    .collection('commissions')
    .aggregate()
    .match({ beneficiary: openid, state: 'settled' })
    .group({ _id: null, sum: $.sum('$amountFen') })
    .limit(1)
    .end();
  const row = (r.list ?? [])[0] as { sum?: number } | undefined;
  return row?.sum ?? 0;
}

export async function getWallet(openid: string): Promise<WalletDoc> {
  const r = await db().collection('wallets').doc(openid).get();
  return (r.data as WalletDoc | null) ?? { _id: openid, withdrawnFen: 0 };
}

export async function getWithdrawal(id: string): Promise<WithdrawalDoc | null> {
  return getDoc<WithdrawalDoc>('withdrawals', id);
}

function isTxConflict(e: unknown): boolean {
  const t = `${String((e as { code?: unknown })?.code ?? '')} ${String((e as { errCode?: unknown })?.errCode ?? '')} ${String((e as Error)?.message ?? '')}`;
  return /TRANSACTION_CONFLICT|conflict/i.test(t);
}

/**
 * Asks for a withdrawal. Returns the withdrawal (an existing one for a repeated requestId).
 * `autoApproved` tells the caller to start the payout.
 */
export async function requestWithdrawal(
  openid: string,
  requestId: string,
  amountFen: number,
  now: number,
): Promise<Result<{ withdrawal: WithdrawalDoc; created: boolean }>> {
  const id = withdrawalId(openid, requestId);
  const existing = await getWithdrawal(id);
  if (existing) return ok({ withdrawal: existing, created: false });
  const dist = (await db().collection('distributors').doc(openid).get()).data as { status?: string } | null;
  if (!dist) return fail('NOT_DISTRIBUTOR');
  if (dist.status !== 'active') return fail('DISTRIBUTOR_INACTIVE', '分销员账户不可用，暂不能提现');
  const settings = await loadDistributionSettings(now);
  const settled = await settledSumFen(openid);
  // the wallet doc must exist before concurrent transactions touch it (conflicts are detected on existing docs)
  try {
    await db().collection('wallets').add({ data: { _id: openid, withdrawnFen: 0, day: '', dayFen: 0, updatedAt: now } });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
  const day = periodKey(now, 'daily');
  let refused: Result<never> | null = null;
  let replay: WithdrawalDoc | null = null;
  let created: WithdrawalDoc | null = null;
  try {
    await db().runTransaction(async (tx: any) => {
      refused = null;
      replay = null;
      created = null;
      const w = ((await tx.collection('wallets').doc(openid).get()).data as WalletDoc | null) ?? { _id: openid, withdrawnFen: 0 };
      const prior = (await tx.collection('withdrawals').doc(id).get()).data as WithdrawalDoc | null;
      if (prior) {
        replay = prior;
        return;
      }
      const todayFen = w.day === day ? (w.dayFen ?? 0) : 0;
      const check = checkWithdrawal({
        amountFen,
        balanceFen: settled - (w.withdrawnFen ?? 0),
        withdrawnTodayFen: todayFen,
        settings: settings.withdrawal,
      });
      if (!check.ok) {
        refused = check;
        throw new BizException(check.code, check.message);
      }
      const status: WithdrawalStatus = check.data.autoApprove ? 'approved' : 'pending_review';
      const doc: WithdrawalDoc = {
        _id: id,
        openid,
        requestId,
        amountFen,
        status,
        outBillNo: id,
        createdAt: now,
        updatedAt: now,
        history: [{ from: null, to: status, at: now, by: check.data.autoApprove ? 'system:auto' : openid }],
      };
      await tx.collection('wallets').doc(openid).update({ data: { withdrawnFen: (w.withdrawnFen ?? 0) + amountFen, day, dayFen: todayFen + amountFen, updatedAt: now } });
      await tx.collection('withdrawals').add({ data: doc });
      created = doc;
    });
  } catch (e) {
    if (refused) return refused;
    if (isTxConflict(e)) return fail('CONFLICT', '提现请求过于频繁，请稍后重试');
    if (isDuplicateKeyError(e)) {
      const again = await getWithdrawal(id);
      if (again) return ok({ withdrawal: again, created: false });
    }
    throw e;
  }
  if (replay) return ok({ withdrawal: replay, created: false });
  if (!created) throw new Error('withdrawal transaction ended without a result');
  logEvent('withdrawal_requested', { id, openid, amountFen, status: (created as WithdrawalDoc).status });
  return ok({ withdrawal: created as WithdrawalDoc, created: true });
}

/**
 * Moves a withdrawal to a terminal "money back" state (failed / rejected) and gives the amount back to the wallet,
 * in one transaction: exactly once however often it is called.
 */
export async function returnToWallet(
  id: string,
  from: WithdrawalStatus[],
  to: 'failed' | 'rejected',
  by: string,
  reason: string,
  now: number,
  extra: Record<string, unknown> = {},
): Promise<Result<WithdrawalDoc>> {
  let bad: Result<never> | null = null;
  try {
    await db().runTransaction(async (tx: any) => {
      bad = null;
      const w = (await tx.collection('withdrawals').doc(id).get()).data as WithdrawalDoc | null;
      if (!w) {
        bad = fail('NOT_FOUND', '提现记录不存在');
        throw new Error('not found');
      }
      if (w.status === to) return; // already done
      if (!from.includes(w.status)) {
        bad = fail('ILLEGAL_TRANSITION', '提现状态已变化，请刷新后重试');
        throw new Error('illegal');
      }
      const wallet = (await tx.collection('wallets').doc(w.openid).get()).data as WalletDoc | null;
      const history = [...(w.history ?? []), { from: w.status, to, at: now, by, reason }];
      await tx.collection('withdrawals').doc(id).update({ data: { status: to, reason, returnedAt: now, updatedAt: now, history, ...extra } });
      await tx.collection('wallets').doc(w.openid).update({ data: { withdrawnFen: (wallet?.withdrawnFen ?? 0) - w.amountFen, updatedAt: now } });
    });
  } catch (e) {
    if (bad) return bad;
    if (isTxConflict(e)) return fail('CONFLICT');
    throw e;
  }
  const after = await getWithdrawal(id);
  if (!after) return fail('NOT_FOUND', '提现记录不存在');
  return ok(after);
}

async function moveWithdrawal(w: WithdrawalDoc, to: WithdrawalStatus, by: string, now: number, patch: Record<string, unknown> = {}): Promise<boolean> {
  const _ = cmd();
  const res = await db()
    .collection('withdrawals')
    .where({ _id: w._id, status: w.status })
    .update({ data: { ...patch, status: to, updatedAt: now, history: _.push([{ from: w.status, to, at: now, by }]) } });
  return (res?.stats?.updated ?? 0) > 0;
}

export async function approveWithdrawal(id: string, by: string, now: number): Promise<Result<WithdrawalDoc>> {
  const w = await getWithdrawal(id);
  if (!w) return fail('NOT_FOUND', '提现记录不存在');
  if (w.status !== 'pending_review') {
    if (w.status === 'approved' || w.status === 'paying' || w.status === 'paid') return ok(w);
    return fail('ILLEGAL_TRANSITION', '提现状态已变化，请刷新后重试');
  }
  if (!(await moveWithdrawal(w, 'approved', by, now))) return fail('CONFLICT');
  await audit(by, 'withdrawals.approve', id, { amountFen: w.amountFen, openid: w.openid }, now);
  return ok((await getWithdrawal(id)) as WithdrawalDoc);
}

export async function rejectWithdrawal(id: string, by: string, reason: string, now: number): Promise<Result<WithdrawalDoc>> {
  const r = await returnToWallet(id, ['pending_review'], 'rejected', by, reason, now);
  if (r.ok) await audit(by, 'withdrawals.reject', id, { reason, amountFen: r.data.amountFen, openid: r.data.openid }, now, `wd-reject:${id}`);
  return r;
}

export type PayoutResult = 'paid' | 'failed' | 'pending' | 'skipped';

async function settle(w: WithdrawalDoc, out: TransferOutcome, now: number): Promise<PayoutResult> {
  if (out.kind === 'bill') {
    if (out.bill.state === 'SUCCESS') {
      const moved = await moveWithdrawal(w, 'paid', 'system:payout', now, { transferBillNo: out.bill.transferBillNo ?? '', paidAt: now });
      if (moved) logEvent('withdrawal_paid', { id: w._id, amountFen: w.amountFen });
      return 'paid';
    }
    if (out.bill.state === 'FAIL' || out.bill.state === 'CANCELLED') {
      const r = await returnToWallet(w._id, ['paying'], 'failed', 'system:payout', `转账失败：${out.bill.failReason ?? out.bill.state}`, now, {
        transferBillNo: out.bill.transferBillNo ?? '',
      });
      if (r.ok) logEvent('withdrawal_failed', { alert: true, id: w._id, amountFen: w.amountFen, reason: out.bill.failReason });
      return 'failed';
    }
    return 'pending'; // accepted / processing / waiting for the user: query on the next run
  }
  const msg = out.kind === 'rejected' ? `${out.code} ${out.message}` : out.kind === 'unknown' ? out.message : 'not found';
  await db().collection('withdrawals').where({ _id: w._id, status: 'paying' }).update({ data: { lastError: msg.slice(0, 200), updatedAt: now } });
  logEvent('withdrawal_payout_pending', { id: w._id, outcome: out.kind, msg });
  return 'pending';
}

/** Drives one withdrawal towards paid/failed. Safe to run concurrently and repeatedly. */
export async function payoutOne(id: string, now: number): Promise<PayoutResult> {
  let w = await getWithdrawal(id);
  if (!w) return 'skipped';
  let fresh = false;
  if (w.status === 'approved') {
    fresh = await moveWithdrawal(w, 'paying', 'system:payout', now);
    w = await getWithdrawal(id);
    if (!w) return 'skipped';
  }
  if (w.status !== 'paying') return w.status === 'paid' ? 'paid' : w.status === 'failed' ? 'failed' : 'skipped';
  if (!fresh) {
    // it was already paying: a previous attempt may have created the bill — ask first
    const q = await queryTransfer(w.outBillNo);
    if (q.kind === 'bill') return settle(w, q, now);
    if (q.kind === 'unknown') return settle(w, q, now);
  }
  const out = await createTransfer({ outBillNo: w.outBillNo, openid: w.openid, amountFen: w.amountFen, remark: '分销佣金提现' });
  return settle(w, out, now);
}

/** Every approved/paying withdrawal, oldest first, until the deadline. */
export async function payoutDue(now: number, deadline: number, limit = 50): Promise<Record<PayoutResult, number>> {
  const _ = cmd();
  const counts: Record<PayoutResult, number> = { paid: 0, failed: 0, pending: 0, skipped: 0 };
  const res = await db()
    .collection('withdrawals')
    .where({ status: _.in(['approved', 'paying']) })
    .orderBy('createdAt', 'asc')
    .limit(limit)
    .field({ _id: true })
    .get();
  for (const row of (res.data as { _id: string }[]) ?? []) {
    if (Date.now() > deadline) break;
    try {
      counts[await payoutOne(row._id, now)]++;
    } catch (e) {
      logError(`payout:${row._id}`, e);
    }
  }
  return counts;
}

/** Fire-and-forget nudge of the payout function after an approval (the timer catches anything missed). */
export async function nudgePayout(id: string): Promise<void> {
  try {
    await sdk().callFunction({ name: 'payoutTransfers', data: { ids: [id] } });
  } catch (e) {
    logError('nudgePayout', e);
  }
}

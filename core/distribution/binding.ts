/**
 * Attribution (DESIGN §5.2): who serves a buyer. One current binding per buyer; the policy decides whether a new
 * touch binds, rebinds or keeps. Always: nobody binds to themselves or to their own downline (full ancestor
 * check), only active distributors, and every change is an event with its reason (written by the caller).
 */
import { fail, ok, type Result } from '../errors';
import { DAY_MS } from '../time';
import type { BindingPolicy as SettingsBindingPolicy } from './settings';

type BindingPolicy = SettingsBindingPolicy;
export type BindingSource = 'share_card' | 'moments' | 'qrcode' | 'store_qr' | 'code' | 'merchant';
export const BINDING_SOURCES: readonly BindingSource[] = ['share_card', 'moments', 'qrcode', 'store_qr', 'code', 'merchant'];
export const BINDING_SOURCE_LABELS: Readonly<Record<BindingSource, string>> = {
  share_card: '分享卡片',
  moments: '朋友圈分享',
  qrcode: '小程序码',
  store_qr: '门店码',
  code: '邀请码',
  merchant: '商家调整',
};

export type DistributorStatus = 'pending' | 'active' | 'frozen' | 'rejected';

export interface Binding {
  distributorId: string;
  source: BindingSource;
  boundAt: number;
  /** null = does not expire */
  expiresAt: number | null;
  /** last-touch protection: nobody else can take the buyer before this instant; null = none */
  protectedUntil: number | null;
}

export type BindingAction = 'bind' | 'rebind' | 'keep' | 'refuse';

/** Reason codes of a binding decision (stored as the event's `reason`). */
export type BindingReason =
  | 'FIRST_BIND'
  | 'EXPIRED_REBIND'
  | 'LAST_TOUCH_REBIND'
  | 'STORE_SCAN_REBIND'
  | 'MERCHANT_MOVE'
  | 'SAME_DISTRIBUTOR'
  | 'ALREADY_BOUND'
  | 'PROTECTED'
  | 'STORE_SCAN_NO_REBIND'
  | 'TRIGGER_MISMATCH'
  | 'SELF'
  | 'DOWNLINE'
  | 'INACTIVE';

export const BINDING_REASON_MESSAGES: Readonly<Record<BindingReason, string>> = {
  FIRST_BIND: '首次绑定',
  EXPIRED_REBIND: '原绑定已到期，重新绑定',
  LAST_TOUCH_REBIND: '按最近一次分享重新绑定',
  STORE_SCAN_REBIND: '门店扫码重新绑定',
  MERCHANT_MOVE: '商家调整绑定',
  SAME_DISTRIBUTOR: '已由该分销员服务',
  ALREADY_BOUND: '已有服务的分销员',
  PROTECTED: '当前绑定在保护期内',
  STORE_SCAN_NO_REBIND: '门店扫码不改变已有绑定',
  TRIGGER_MISMATCH: '按商家设置，下单时才绑定',
  SELF: '不能绑定自己',
  DOWNLINE: '不能绑定自己的下级分销员',
  INACTIVE: '该分销员当前不可用',
};

export interface BindingCandidate {
  openid: string;
  status: DistributorStatus;
  /** the candidate's inviter chain, nearest first */
  ancestors: readonly string[];
}

export interface DecideBindingInput {
  buyer: string;
  candidate: BindingCandidate;
  current: Binding | null;
  source: BindingSource;
  policy: BindingPolicy;
  now: number;
  /** what caused this attempt: opening a share (visit) or placing the first order */
  trigger: 'visit' | 'first_order';
  /** set when the buyer is a distributor too (their own chain); informational for the cycle check */
  buyerIsDistributor?: { ancestors: readonly string[] };
}

export interface BindingDecision {
  action: BindingAction;
  /** the new binding for 'bind' / 'rebind' */
  binding?: Binding;
  reason: BindingReason;
  message: string;
}

/** True while the binding is in force at `now` (expiresAt is exclusive). */
export function bindingActive(b: Binding | null | undefined, now: number): b is Binding {
  return !!b && (b.expiresAt === null || now < b.expiresAt);
}

function decision(action: BindingAction, reason: BindingReason, binding?: Binding): BindingDecision {
  const d: BindingDecision = { action, reason, message: BINDING_REASON_MESSAGES[reason] };
  if (binding) d.binding = binding;
  return d;
}

/** The binding a touch at `now` creates under `policy`. */
export function newBinding(distributorId: string, source: BindingSource, policy: BindingPolicy, now: number): Binding {
  return {
    distributorId,
    source,
    boundAt: now,
    expiresAt: policy.model === 'expiring' ? now + policy.expireDays * DAY_MS : null,
    protectedUntil: policy.model === 'last_touch' && policy.protectDays > 0 ? now + policy.protectDays * DAY_MS : null,
  };
}

/**
 * Can `candidate` serve `buyer` at all? Refuses self-binding, binding to one's own downline (the buyer is in the
 * candidate's ancestor chain) and inactive distributors.
 */
export function bindingEligibility(buyer: string, candidate: BindingCandidate): BindingDecision | null {
  if (candidate.openid === buyer) return decision('refuse', 'SELF');
  if (candidate.ancestors.includes(buyer)) return decision('refuse', 'DOWNLINE');
  if (candidate.status !== 'active') return decision('refuse', 'INACTIVE');
  return null;
}

/**
 * Decides what a touch does:
 * - refuse: self, own downline, inactive candidate (also for a merchant move);
 * - source 'merchant' (a merchant move, with the reason recorded by the caller): always rebinds;
 * - policy trigger 'first_order' and a 'visit' touch (or the reverse): keep;
 * - no binding, or an expired one: bind / rebind;
 * - the same distributor: keep (nothing is extended);
 * - store QR with an active binding: rebinds only when `storeScanRebinds`;
 * - 'permanent' and 'expiring': the first binding stays while active;
 * - 'last_touch': a new touch rebinds unless `now < protectedUntil`.
 */
export function decideBinding(input: DecideBindingInput): BindingDecision {
  const { buyer, candidate, current, source, policy, now, trigger } = input;
  const refused = bindingEligibility(buyer, candidate);
  if (refused) return refused;
  const fresh = () => newBinding(candidate.openid, source, policy, now);
  if (source === 'merchant') {
    if (current && current.distributorId === candidate.openid && bindingActive(current, now)) return decision('keep', 'SAME_DISTRIBUTOR');
    return decision(current ? 'rebind' : 'bind', current ? 'MERCHANT_MOVE' : 'FIRST_BIND', fresh());
  }
  if (trigger !== policy.trigger) return decision('keep', 'TRIGGER_MISMATCH');
  if (!current) return decision('bind', 'FIRST_BIND', fresh());
  if (!bindingActive(current, now)) return decision('rebind', 'EXPIRED_REBIND', fresh());
  if (current.distributorId === candidate.openid) return decision('keep', 'SAME_DISTRIBUTOR');
  if (source === 'store_qr') {
    return policy.storeScanRebinds ? decision('rebind', 'STORE_SCAN_REBIND', fresh()) : decision('keep', 'STORE_SCAN_NO_REBIND');
  }
  if (policy.model === 'last_touch') {
    if (current.protectedUntil !== null && now < current.protectedUntil) return decision('keep', 'PROTECTED');
    return decision('rebind', 'LAST_TOUCH_REBIND', fresh());
  }
  return decision('keep', 'ALREADY_BOUND');
}

// ---------------------------------------------------------------------------------------------------------
// Recruiting (the invite tree): cycle-free, full ancestor chains.

export interface InviterRef {
  openid: string;
  /** the inviter's own chain, nearest first */
  ancestors: readonly string[];
}

/** The chain a distributor invited by `inviter` gets: [inviter, ...inviter's ancestors]. */
export function ancestorsFor(inviter: InviterRef): string[] {
  return [inviter.openid, ...inviter.ancestors];
}

/**
 * May `joiner` be recruited by `inviter`? Refuses self-invitation and cycles (the joiner is already an ancestor
 * of the inviter). On success returns the joiner's ancestor chain.
 */
export function checkInviter({ joiner, inviter }: { joiner: string; inviter: InviterRef }): Result<{ ancestors: string[] }> {
  if (inviter.openid === joiner) return fail('INVITE_REFUSED', '不能使用自己的邀请码');
  if (inviter.ancestors.includes(joiner)) return fail('INVITE_REFUSED', '不能使用自己下级的邀请码');
  return ok({ ancestors: ancestorsFor(inviter) });
}

/** Same check as a boolean (e.g. before showing an invite prompt). */
export function canRecruit(joiner: string, inviter: InviterRef): boolean {
  return checkInviter({ joiner, inviter }).ok;
}

/** Distributor records, codes and merchant management (join, approve, reject, freeze, set level). */
import { randomBytes } from 'crypto';
import { fail, ok, type Result } from '../../core/errors';
import { makeDistributorCode, normalizeDistributorCode } from '../../core/distribution/codes';
import { bindingActive, checkInviter, type Binding, type DistributorStatus } from '../../core/distribution/binding';
import { entryLevelId } from '../../core/distribution/settings';
import { db, cmd, isDuplicateKeyError, getDoc } from '../cloud';
import { audit } from '../audit';
import { logEvent } from '../log';
import { loadDistributionSettings } from './settings';

export interface DistributorDoc {
  _id: string;
  code: string;
  status: DistributorStatus;
  levelId: string;
  inviterId: string | null;
  ancestors: string[];
  joinedAt: number;
  approvedAt?: number;
  frozenReason?: string;
  rejectedReason?: string;
  levelHistory: { from: string | null; to: string; reason: string; by: string; at: number }[];
  statusHistory?: { from: DistributorStatus | null; to: DistributorStatus; reason: string; by: string; at: number }[];
}

export interface BindingDoc extends Binding {
  /** the event of the last change, until it is appended to binding_events (see server/distribution/binding.ts) */
  eventPending?: import('./binding').BindingEvent;
  _id: string;
}

/** crypto-backed [0, 1) for core's code generator */
export function secureRandom(): number {
  return randomBytes(4).readUInt32BE(0) / 0x100000000;
}

export async function getDistributor(openid: string): Promise<DistributorDoc | null> {
  return getDoc<DistributorDoc>('distributors', openid);
}

export async function getBindingDoc(buyer: string): Promise<BindingDoc | null> {
  return getDoc<BindingDoc>('bindings', buyer);
}

/** The distributor behind a code (null for an unknown/malformed code). */
export async function distributorByCode(raw: string): Promise<DistributorDoc | null> {
  const code = normalizeDistributorCode(raw);
  if (!code) return null;
  const c = await db().collection('distributor_codes').doc(code).get();
  const openid = (c.data as { openid?: string } | null)?.openid;
  if (!openid) return null;
  const d = await getDistributor(openid);
  return d && d.code === code ? d : null;
}

/** Draws codes until one is free (`distributor_codes._id` is the uniqueness check). */
async function claimCode(openid: string, now: number): Promise<string> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const code = makeDistributorCode(secureRandom, attempt < 8 ? 6 : 8);
    try {
      await db().collection('distributor_codes').add({ data: { _id: code, openid, createdAt: now } });
      return code;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
  }
  throw new Error('could not draw a free distributor code');
}

/**
 * Free to join (DESIGN §9: no fee, purchase or membership). Automatic or manual approval per the settings.
 * The inviter (上级) is the distributor of `inviteCode`, or else the buyer's current binder when active.
 */
export async function joinDistributor(openid: string, inviteCode: string | undefined, now: number): Promise<Result<DistributorDoc>> {
  const settings = await loadDistributionSettings(now);
  if (!settings.enabled) return fail('FORBIDDEN', '分销功能未开启');
  const existing = await getDistributor(openid);
  if (existing) {
    if (existing.status !== 'rejected') return ok(existing);
    // a rejected applicant may apply again
    const to: DistributorStatus = settings.approval === 'auto' ? 'active' : 'pending';
    const _ = cmd();
    await db()
      .collection('distributors')
      .where({ _id: openid, status: 'rejected' })
      .update({
        data: {
          status: to,
          ...(to === 'active' ? { approvedAt: now } : {}),
          statusHistory: _.push([{ from: 'rejected', to, reason: '重新申请', by: openid, at: now }]),
        },
      });
    return ok((await getDistributor(openid)) as DistributorDoc);
  }
  let inviter: DistributorDoc | null = null;
  if (inviteCode) {
    inviter = await distributorByCode(inviteCode);
    if (!inviter) return fail('INVITE_REFUSED', '邀请码无效');
    if (inviter.status !== 'active') return fail('INVITE_REFUSED', '该邀请人当前不可用');
  } else {
    const b = await getBindingDoc(openid);
    if (b && bindingActive(b, now)) {
      const d = await getDistributor(b.distributorId);
      if (d && d.status === 'active') inviter = d;
    }
  }
  let ancestors: string[] = [];
  if (inviter) {
    const c = checkInviter({ joiner: openid, inviter: { openid: inviter._id, ancestors: inviter.ancestors ?? [] } });
    if (!c.ok) {
      if (inviteCode) return c;
      inviter = null; // an unusable binder is simply not the inviter
    } else ancestors = c.data.ancestors;
  }
  const code = await claimCode(openid, now);
  const status: DistributorStatus = settings.approval === 'auto' ? 'active' : 'pending';
  const levelId = entryLevelId(settings);
  const doc: DistributorDoc = {
    _id: openid,
    code,
    status,
    levelId,
    inviterId: inviter ? inviter._id : null,
    ancestors,
    joinedAt: now,
    ...(status === 'active' ? { approvedAt: now } : {}),
    levelHistory: [{ from: null, to: levelId, reason: '加入', by: openid, at: now }],
    statusHistory: [{ from: null, to: status, reason: status === 'active' ? '自动审核通过' : '提交申请', by: openid, at: now }],
  };
  try {
    await db().collection('distributors').add({ data: doc });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    // a concurrent join won; our code stays unused (it resolves to nobody: distributorByCode checks d.code)
    return ok((await getDistributor(openid)) as DistributorDoc);
  }
  logEvent('distributor_joined', { openid, status, inviterId: doc.inviterId });
  return ok(doc);
}

type StatusAction = 'approve' | 'reject' | 'freeze' | 'unfreeze';
const STATUS_MOVES: Record<StatusAction, { from: DistributorStatus[]; to: DistributorStatus }> = {
  approve: { from: ['pending'], to: 'active' },
  reject: { from: ['pending'], to: 'rejected' },
  freeze: { from: ['active'], to: 'frozen' },
  unfreeze: { from: ['frozen'], to: 'active' },
};

export async function changeDistributorStatus(openid: string, act: StatusAction, by: string, reason: string, now: number): Promise<Result<DistributorDoc>> {
  const d = await getDistributor(openid);
  if (!d) return fail('NOT_FOUND', '分销员不存在');
  const move = STATUS_MOVES[act];
  if (d.status === move.to) return ok(d);
  if (!move.from.includes(d.status)) return fail('ILLEGAL_TRANSITION', '分销员状态已变化，请刷新后重试');
  const _ = cmd();
  const patch: Record<string, unknown> = {
    status: move.to,
    statusHistory: _.push([{ from: d.status, to: move.to, reason, by, at: now }]),
  };
  if (act === 'approve') patch.approvedAt = now;
  if (act === 'freeze') patch.frozenReason = reason;
  if (act === 'reject') patch.rejectedReason = reason;
  const u = await db().collection('distributors').where({ _id: openid, status: d.status }).update({ data: patch });
  if ((u?.stats?.updated ?? 0) === 0) return fail('CONFLICT');
  await audit(by, `distributors.${act}`, openid, { from: d.status, to: move.to, reason }, now);
  return ok((await getDistributor(openid)) as DistributorDoc);
}

export async function setDistributorLevel(openid: string, levelId: string, by: string, reason: string, now: number): Promise<Result<DistributorDoc>> {
  const settings = await loadDistributionSettings(now);
  if (!settings.levels.some((l) => l.id === levelId)) return fail('INVALID_INPUT', '等级不存在');
  const d = await getDistributor(openid);
  if (!d) return fail('NOT_FOUND', '分销员不存在');
  if (d.levelId === levelId) return ok(d);
  const _ = cmd();
  const u = await db()
    .collection('distributors')
    .where({ _id: openid, levelId: d.levelId })
    .update({ data: { levelId, levelOverride: true, levelHistory: _.push([{ from: d.levelId, to: levelId, reason, by, at: now }]) } });
  if ((u?.stats?.updated ?? 0) === 0) return fail('CONFLICT');
  await audit(by, 'distributors.setLevel', openid, { from: d.levelId, to: levelId, reason }, now);
  return ok((await getDistributor(openid)) as DistributorDoc);
}

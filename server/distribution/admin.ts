/** Merchant actions of the distribution (spread into the `admin` function). Every change → audit_logs. */
import { unknown as zUnknown } from 'zod';
import { z } from '../zod';
import { fail, ok } from '../../core/errors';
import { BATCH_STATUSES } from '../../core/distribution/settlement';
import { WITHDRAWAL_STATUSES } from '../../core/distribution/withdrawal';
import { action, zs } from '../handler';
import { db, cmd, sdk } from '../cloud';
import { audit } from '../audit';
import { loadDistributionSettings, invalidateDistributionSettings, saveDistributionSettings } from './settings';
import { changeDistributorStatus, setDistributorLevel, type DistributorDoc } from './distributors';
import { moveBinding } from './binding';
import { approveBatch, getBatch, rejectBatch } from './settlement';
import { approveWithdrawal, nudgePayout, rejectWithdrawal } from './wallet';
import { usersById } from '../users';

const PAGE = 20;
const reason = () =>
  z.string({ error: '请填写原因' }).trim().min(1, { error: '请填写原因' }).max(200, { error: '原因不能超过200个字' });
const openidField = () => zs.id('分销员');

async function nicknames(ids: string[]): Promise<Map<string, string>> {
  const users = await usersById(ids);
  return new Map([...users].map(([id, u]) => [id, u.nickname ?? '']));
}

function statusAction(act: 'approve' | 'reject' | 'freeze' | 'unfreeze', needReason: boolean) {
  return action({
    auth: 'merchant',
    input: z.object({ openid: openidField(), reason: needReason ? reason() : reason().optional() }),
    run: async (input, ctx) => changeDistributorStatus(input.openid, act, ctx.openid, input.reason ?? '', ctx.now),
  });
}

async function runSettlementNow(): Promise<unknown> {
  const r = await sdk().callFunction({ name: 'settleCommissions', data: { manual: true } });
  return (r as { result?: unknown }).result ?? null;
}

export const distributionAdminActions = {
  'distribution.settings.get': action({
    auth: 'merchant',
    input: z.object({}),
    run: async (_i, ctx) => {
      invalidateDistributionSettings();
      return ok({ settings: await loadDistributionSettings(ctx.now) });
    },
  }),

  'distribution.settings.save': action({
    auth: 'merchant',
    input: z.object({ settings: zUnknown() }),
    run: async (input, ctx) => {
      const r = await saveDistributionSettings(input.settings, ctx.openid, ctx.now);
      if (!r.ok) return r;
      return ok({ settings: r.data });
    },
  }),

  'distributors.list': action({
    auth: 'merchant',
    input: z.object({
      status: z.enum(['pending', 'active', 'frozen', 'rejected'], { error: '状态不正确' }).optional(),
      keyword: zs.text('搜索词', 40).optional(),
      page: zs.page(),
    }),
    run: async (input, ctx) => {
      const page = input.page ?? 1;
      const where: Record<string, unknown> = {};
      if (input.status) where.status = input.status;
      if (input.keyword) {
        const k = input.keyword.trim();
        const _ = cmd();
        Object.assign(where, _.or([{ _id: k }, { code: k.toUpperCase() }]));
      }
      const r = await db()
        .collection('distributors')
        .where(where)
        .orderBy('joinedAt', 'desc')
        .skip((page - 1) * PAGE)
        .limit(PAGE + 1)
        .get();
      const rows = (r.data as DistributorDoc[]) ?? [];
      const names = await nicknames(rows.map((d) => d._id));
      const settings = await loadDistributionSettings(ctx.now);
      const items = rows.slice(0, PAGE).map((d) => ({
        ...d,
        openid: d._id,
        nickname: names.get(d._id) ?? '',
        levelName: settings.levels.find((l) => l.id === d.levelId)?.name ?? d.levelId,
      }));
      return ok({ items, hasMore: rows.length > PAGE, page });
    },
  }),

  'distributors.approve': statusAction('approve', false),
  'distributors.reject': statusAction('reject', true),
  'distributors.freeze': statusAction('freeze', true),
  'distributors.unfreeze': statusAction('unfreeze', false),

  'distributors.setLevel': action({
    auth: 'merchant',
    input: z.object({ openid: openidField(), levelId: zs.id('等级'), reason: reason() }),
    run: async (input, ctx) => setDistributorLevel(input.openid, input.levelId, ctx.openid, input.reason, ctx.now),
  }),

  'bindings.move': action({
    auth: 'merchant',
    input: z.object({ buyer: zs.id('买家'), to: zs.id('目标分销员'), reason: reason() }),
    run: async (input, ctx) => moveBinding(input.buyer, input.to, input.reason, ctx.openid, ctx.now),
  }),

  'settlements.list': action({
    auth: 'merchant',
    input: z.object({ status: z.enum(BATCH_STATUSES as unknown as [string, ...string[]], { error: '状态不正确' }).optional(), page: zs.page() }),
    run: async (input) => {
      const page = input.page ?? 1;
      const r = await db()
        .collection('settlement_batches')
        .where(input.status ? { status: input.status } : {})
        .orderBy('createdAt', 'desc')
        .skip((page - 1) * PAGE)
        .limit(PAGE + 1)
        .get();
      const rows = (r.data as unknown[]) ?? [];
      return ok({ items: rows.slice(0, PAGE), hasMore: rows.length > PAGE, page });
    },
  }),

  'settlements.detail': action({
    auth: 'merchant',
    input: z.object({ id: zs.id('结算批次') }),
    run: async (input) => {
      const batch = await getBatch(input.id);
      if (!batch) return fail('NOT_FOUND', '结算批次不存在');
      const s = await db().collection('statements').where({ batchId: input.id }).orderBy('amountFen', 'desc').limit(1000).get();
      const rows = (s.data as { openid: string }[]) ?? [];
      const names = await nicknames(rows.map((x) => x.openid));
      return ok({ batch, statements: rows.map((x) => ({ ...x, nickname: names.get(x.openid) ?? '' })) });
    },
  }),

  'settlements.approve': action({
    auth: 'merchant',
    input: z.object({ id: zs.id('结算批次') }),
    run: async (input, ctx) => {
      const b = await getBatch(input.id);
      if (!b) return fail('NOT_FOUND', '结算批次不存在');
      if (b.status !== 'proposed' && b.status !== 'approved') {
        if (b.status === 'done' || b.status === 'marking' || b.status === 'marked') return ok({ batch: b as typeof b | null, run: null as unknown });
        return fail('ILLEGAL_TRANSITION', '该批次当前不能审核');
      }
      const after = await approveBatch(input.id, ctx.openid, ctx.now);
      await audit(ctx.openid, 'settlements.approve', input.id, { totals: b.totals }, ctx.now, `settle-approve:${input.id}`);
      let run: unknown = null;
      try {
        run = await runSettlementNow();
      } catch {
        /* the timer settles it */
      }
      return ok({ batch: (await getBatch(input.id)) ?? after, run });
    },
  }),

  'settlements.reject': action({
    auth: 'merchant',
    input: z.object({ id: zs.id('结算批次'), reason: reason() }),
    run: async (input, ctx) => {
      const b = await getBatch(input.id);
      if (!b) return fail('NOT_FOUND', '结算批次不存在');
      if (b.status !== 'proposed' && b.status !== 'rejected') return fail('ILLEGAL_TRANSITION', '该批次当前不能驳回');
      const after = await rejectBatch(input.id, ctx.openid, input.reason, ctx.now);
      await audit(ctx.openid, 'settlements.reject', input.id, { reason: input.reason }, ctx.now, `settle-reject:${input.id}`);
      return ok({ batch: after });
    },
  }),

  'settlements.run': action({
    auth: 'merchant',
    input: z.object({}),
    run: async (_i, ctx) => {
      await audit(ctx.openid, 'settlements.run', 'settleCommissions', {}, ctx.now);
      return ok({ run: await runSettlementNow() });
    },
  }),

  'withdrawals.list': action({
    auth: 'merchant',
    input: z.object({ status: z.enum(WITHDRAWAL_STATUSES as unknown as [string, ...string[]], { error: '状态不正确' }).optional(), page: zs.page() }),
    run: async (input) => {
      const page = input.page ?? 1;
      const r = await db()
        .collection('withdrawals')
        .where(input.status ? { status: input.status } : {})
        .orderBy('createdAt', 'desc')
        .skip((page - 1) * PAGE)
        .limit(PAGE + 1)
        .get();
      const rows = (r.data as { openid: string }[]) ?? [];
      const names = await nicknames(rows.map((x) => x.openid));
      return ok({ items: rows.slice(0, PAGE).map((x) => ({ ...x, nickname: names.get(x.openid) ?? '' })), hasMore: rows.length > PAGE, page });
    },
  }),

  'withdrawals.approve': action({
    auth: 'merchant',
    input: z.object({ id: zs.id('提现单号') }),
    run: async (input, ctx) => {
      const r = await approveWithdrawal(input.id, ctx.openid, ctx.now);
      if (!r.ok) return r;
      if (r.data.status === 'approved') await nudgePayout(r.data._id);
      const w = (await db().collection('withdrawals').doc(input.id).get()).data;
      return ok(w ?? r.data);
    },
  }),

  'withdrawals.reject': action({
    auth: 'merchant',
    input: z.object({ id: zs.id('提现单号'), reason: reason() }),
    run: async (input, ctx) => rejectWithdrawal(input.id, ctx.openid, input.reason, ctx.now),
  }),
};

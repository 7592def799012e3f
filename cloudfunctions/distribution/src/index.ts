/**
 * distribution (client): join, me, bind, myBinding, share, team, buyers, orders, commissions, ranking, withdraw,
 * withdrawals. Identity from getWXContext only. See docs/contracts.md "Distribution (issue 3)".
 */
import { z } from '../../../server/zod';
import { fail, ok } from '../../../core/errors';
import { BINDING_SOURCES, type BindingSource } from '../../../core/distribution/binding';
import { normalizeDistributorCode, parseScene } from '../../../core/distribution/codes';
import { action, defineHandler, zs } from '../../../server/handler';
import { getDistributor, joinDistributor } from '../../../server/distribution/distributors';
import { bindByCode, myBinding } from '../../../server/distribution/binding';
import * as centre from '../../../server/distribution/centre';
import { expectedCommission } from '../../../server/distribution/commission';
import { nudgePayout, requestWithdrawal } from '../../../server/distribution/wallet';
import { db } from '../../../server/cloud';

const CLIENT_SOURCES = BINDING_SOURCES.filter((s) => s !== 'merchant') as [BindingSource, ...BindingSource[]];
const codeField = z.string({ error: '分销码不能为空' }).trim().max(64, { error: '分销码格式不正确' });

async function requireDistributor(openid: string) {
  const d = await getDistributor(openid);
  if (!d) return fail('NOT_DISTRIBUTOR');
  return ok(d);
}

export const main = defineHandler({
  actions: {
    join: action({
      input: z.object({ inviteCode: codeField.optional() }),
      run: async (input, ctx) => {
        const r = await joinDistributor(ctx.openid, input.inviteCode || undefined, ctx.now);
        if (!r.ok) return r;
        return centre.me(ctx.openid, ctx.now);
      },
    }),

    me: action({
      input: z.object({}),
      run: async (_input, ctx) => centre.me(ctx.openid, ctx.now),
    }),

    bind: action({
      input: z.object({
        code: codeField.optional(),
        scene: z.string().max(128, { error: '场景值格式不正确' }).optional(),
        source: z.enum(CLIENT_SOURCES, { error: '来源不正确' }),
        trigger: z.enum(['visit', 'first_order']).optional(),
      }),
      run: async (input, ctx) => {
        const code = (input.code && normalizeDistributorCode(input.code)) || (input.scene ? parseScene(input.scene).code : undefined);
        if (!code) return fail('INVALID_INPUT', '分销码格式不正确');
        const r = await bindByCode(ctx.openid, code, input.source, input.trigger ?? 'visit', ctx.now);
        if (!r.ok) return r;
        const mine = await myBinding(ctx.openid, ctx.now);
        return ok({ action: r.data.action, reason: r.data.reason, message: r.data.message, binding: mine.binding });
      },
    }),

    myBinding: action({
      input: z.object({}),
      run: async (_input, ctx) => {
        const r = await myBinding(ctx.openid, ctx.now);
        if (!r.binding) return ok({ binding: null as Record<string, unknown> | null });
        const u = (await db().collection('users').doc(r.binding.distributorId).get()).data as { nickname?: string; avatar?: string } | null;
        return ok({ binding: { ...r.binding, nickname: u?.nickname ?? '', avatar: u?.avatar ?? '' } });
      },
    }),

    share: action({
      input: z.object({ productId: zs.id('商品编号').optional() }),
      run: async (input, ctx) => {
        const d = await requireDistributor(ctx.openid);
        if (!d.ok) return d;
        if (d.data.status !== 'active') return fail('DISTRIBUTOR_INACTIVE');
        return ok(await centre.share(d.data, input.productId, ctx.now));
      },
    }),

    /** The 分享赚 figure for a product: what the caller earns (tier 1) when someone they serve buys one unit. */
    expected: action({
      input: z.object({ productId: zs.id('商品编号') }),
      run: async (input, ctx) => {
        const d = await requireDistributor(ctx.openid);
        if (!d.ok) return d;
        return ok({ expectedFen: await expectedCommission(d.data, input.productId, ctx.now) });
      },
    }),

    team: action({
      input: z.object({ page: zs.page() }),
      run: async (input, ctx) => ok(await centre.team(ctx.openid, input.page ?? 1, ctx.now)),
    }),

    buyers: action({
      input: z.object({ page: zs.page() }),
      run: async (input, ctx) => ok(await centre.buyers(ctx.openid, input.page ?? 1, ctx.now)),
    }),

    orders: action({
      input: z.object({ page: zs.page() }),
      run: async (input, ctx) => ok(await centre.orders(ctx.openid, input.page ?? 1)),
    }),

    commissions: action({
      input: z.object({ state: z.enum(['pending', 'frozen', 'settleable', 'settled'], { error: '状态不正确' }).optional(), page: zs.page() }),
      run: async (input, ctx) => ok(await centre.commissions(ctx.openid, input.state, input.page ?? 1)),
    }),

    ranking: action({
      input: z.object({}),
      run: async (_input, ctx) => ok(await centre.ranking(ctx.openid, ctx.now)),
    }),

    withdraw: action({
      input: z.object({
        requestId: z.string({ error: '缺少请求编号' }).regex(/^[A-Za-z0-9_-]{8,64}$/, { error: '请求编号格式不正确' }),
        amountFen: zs.posInt('提现金额', 1e10),
      }),
      run: async (input, ctx) => {
        const r = await requestWithdrawal(ctx.openid, input.requestId, input.amountFen, ctx.now);
        if (!r.ok) return r;
        let w = r.data.withdrawal;
        if (w.status === 'approved') {
          await nudgePayout(w._id);
          w = ((await db().collection('withdrawals').doc(w._id).get()).data as typeof w | null) ?? w;
        }
        return ok({ withdrawal: w, created: r.data.created });
      },
    }),

    withdrawals: action({
      input: z.object({ page: zs.page() }),
      run: async (input, ctx) => ok(await centre.withdrawals(ctx.openid, input.page ?? 1)),
    }),
  },
});

/** admin (role merchant): order operations, after-sale review and the distribution (server/distribution/admin.ts). Every action is written to audit_logs. */
import { z } from '../../../server/zod';
import { fail, ok } from '../../../core/errors';
import { ORDER_STATUSES } from '../../../core/order-state';
import { AFTER_SALE_STATUSES } from '../../../core/after-sale';
import { action, defineHandler, zs } from '../../../server/handler';
import { db, cmd } from '../../../server/cloud';
import { audit } from '../../../server/audit';
import { getOrder, transitionOrder, type OrderDoc } from '../../../server/orders';
import { distributionAdminActions } from '../../../server/distribution/admin';
import { closeOpenCounter, executeRefund, getAfterSale, transitionAfterSale, type AfterSaleDoc } from '../../../server/aftersale';
import { pageNewestFirst } from '../../../server/paging';

const PAGE_SIZE = 20;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const main = defineHandler({
  actions: {
    'orders.list': action({
      auth: 'merchant',
      input: z.object({
        status: z.enum(ORDER_STATUSES as unknown as [string, ...string[]], { error: '订单状态不正确' }).optional(),
        keyword: zs.text('搜索词', 40).optional(),
        page: zs.page(),
      }),
      run: async (input) => {
        const _ = cmd();
        const page = input.page ?? 1;
        const conds: Record<string, unknown>[] = [];
        if (input.status) conds.push({ status: input.status });
        if (input.keyword) {
          const re = db().RegExp({ regexp: escapeRegExp(input.keyword), options: 'i' });
          conds.push(_.or([{ _id: input.keyword }, { 'address.name': re }, { 'address.phone': re }]));
        }
        const where = conds.length === 0 ? {} : conds.length === 1 ? conds[0] : _.and(conds);
        return ok(await pageNewestFirst<OrderDoc>('orders', where, page, PAGE_SIZE));
      },
    }),

    'orders.detail': action({
      auth: 'merchant',
      input: z.object({ id: zs.id('订单编号') }),
      run: async (input) => {
        const order = await getOrder(input.id);
        if (!order) return fail('NOT_FOUND', '订单不存在');
        const as = await db().collection('after_sales').where({ orderId: input.id }).orderBy('createdAt', 'desc').limit(50).get();
        return ok({ order, afterSales: as.data ?? [] });
      },
    }),

    'orders.ship': action({
      auth: 'merchant',
      input: z.object({
        id: zs.id('订单编号'),
        carrier: z.string({ error: '请填写快递公司' }).trim().min(1, { error: '请填写快递公司' }).max(20, { error: '快递公司不能超过20个字' }),
        trackingNo: z.string({ error: '请填写快递单号' }).trim().regex(/^[A-Za-z0-9-]{5,40}$/, { error: '快递单号格式不正确' }),
      }),
      run: async (input, ctx) => {
        const order = await getOrder(input.id);
        if (!order) return fail('NOT_FOUND', '订单不存在');
        if (order.status === 'shipped' && order.trackingNo === input.trackingNo) return ok(order);
        const t = await transitionOrder(
          order._id,
          order.status,
          'ship',
          { shippedAt: ctx.now, carrier: input.carrier, trackingNo: input.trackingNo },
          ctx.openid,
          ctx.now,
        );
        if (!t.ok) return t;
        if (!t.data.updated) return fail('CONFLICT');
        await audit(ctx.openid, 'orders.ship', order._id, { carrier: input.carrier, trackingNo: input.trackingNo }, ctx.now);
        return ok((await getOrder(order._id)) as OrderDoc);
      },
    }),

    'afterSales.list': action({
      auth: 'merchant',
      input: z.object({
        status: z.enum(AFTER_SALE_STATUSES as unknown as [string, ...string[]], { error: '售后状态不正确' }).optional(),
        page: zs.page(),
      }),
      run: async (input) => {
        const page = input.page ?? 1;
        const where = input.status ? { status: input.status } : {};
        return ok(await pageNewestFirst<AfterSaleDoc>('after_sales', where, page, PAGE_SIZE));
      },
    }),

    'afterSales.detail': action({
      auth: 'merchant',
      input: z.object({ id: zs.id('售后单号') }),
      run: async (input) => {
        const a = await getAfterSale(input.id);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        return ok({ afterSale: a, order: await getOrder(a.orderId) });
      },
    }),

    'afterSales.approve': action({
      auth: 'merchant',
      input: z.object({ id: zs.id('售后单号') }),
      run: async (input, ctx) => {
        let a = await getAfterSale(input.id);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        if (a.status === 'pending') {
          const t = await transitionAfterSale(a, 'approve', {}, ctx.openid, ctx.now);
          if (!t.ok) return t;
          await audit(ctx.openid, 'afterSales.approve', a._id, { type: a.type, refundFen: a.refundFen }, ctx.now);
          a = (await getAfterSale(a._id)) as AfterSaleDoc;
        }
        // A refund-only after-sale is refunded on approval (also finishes one a crash interrupted).
        if (a.type === 'refund' && a.status === 'approved') {
          const r = await executeRefund(a, ctx.openid, ctx.now);
          if (!r.ok) return r;
          await audit(ctx.openid, 'afterSales.refund', a._id, { refundFen: r.data.refundFen }, ctx.now, `refund:${a._id}`);
          return ok(r.data);
        }
        if (a.status === 'pending') return fail('CONFLICT');
        return ok(a);
      },
    }),

    'afterSales.reject': action({
      auth: 'merchant',
      input: z.object({
        id: zs.id('售后单号'),
        reason: z.string({ error: '请填写拒绝原因' }).trim().min(1, { error: '请填写拒绝原因' }).max(200, { error: '拒绝原因不能超过200个字' }),
      }),
      run: async (input, ctx) => {
        const a = await getAfterSale(input.id);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        const t = await transitionAfterSale(a, 'reject', { merchantReason: input.reason }, ctx.openid, ctx.now);
        if (!t.ok) return t;
        if (!t.data.updated) return fail('CONFLICT');
        await closeOpenCounter(a.orderId);
        await audit(ctx.openid, 'afterSales.reject', a._id, { reason: input.reason }, ctx.now);
        return ok((await getAfterSale(a._id)) as AfterSaleDoc);
      },
    }),

    'afterSales.receive': action({
      auth: 'merchant',
      input: z.object({ id: zs.id('售后单号') }),
      run: async (input, ctx) => {
        let a = await getAfterSale(input.id);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        if (a.status === 'awaiting_return') {
          const t = await transitionAfterSale(a, 'receive_return', {}, ctx.openid, ctx.now);
          if (!t.ok) return t;
          await audit(ctx.openid, 'afterSales.receive', a._id, {}, ctx.now);
          a = (await getAfterSale(a._id)) as AfterSaleDoc;
        }
        if (a.status !== 'returned') return fail('ILLEGAL_TRANSITION', '当前售后状态无法确认收货');
        const r = await executeRefund(a, ctx.openid, ctx.now);
        if (!r.ok) return r;
        await audit(ctx.openid, 'afterSales.refund', a._id, { refundFen: r.data.refundFen }, ctx.now, `refund:${a._id}`);
        return ok(r.data);
      },
    }),

    // distribution (issue 3): settings, distributors, bindings, settlements, withdrawals
    ...distributionAdminActions,
  },
});

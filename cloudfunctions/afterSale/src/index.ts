/** afterSale: the shopper's side of 售后 (apply, list, detail, cancel, return shipping). */
import { z } from '../../../server/zod';
import { fail, ok, type Result } from '../../../core/errors';
import { computeRefund, OPEN_AFTER_SALE_STATUSES } from '../../../core/after-sale';
import { afterSaleEligibility } from '../../../core/order-state';
import { action, defineHandler, zs } from '../../../server/handler';
import { db, cmd, isDuplicateKeyError } from '../../../server/cloud';
import { loadShop } from '../../../server/settings';
import { getOrder, type OrderDoc } from '../../../server/orders';
import { closeOpenCounter, getAfterSale, transitionAfterSale, type AfterSaleDoc } from '../../../server/aftersale';
import { pageNewestFirst } from '../../../server/paging';

const PAGE_SIZE = 10;

async function own(id: string, openid: string) {
  const a = await getAfterSale(id);
  if (!a || a.openid !== openid) return null;
  return a;
}

const typeSchema = z.enum(['refund', 'return_refund'], { error: '售后类型不正确' });
const itemsSchema = z
  .array(z.object({ lineId: zs.id('售后商品'), qty: zs.posInt('售后数量', 999) }), { error: '请选择售后商品' })
  .min(1, { error: '请选择售后商品' })
  .max(50, { error: '售后商品过多' });

/** Checks an after-sale request against the order (eligibility, one open after-sale per line, quantities) and prices it. */
async function prepare(
  orderId: string,
  type: 'refund' | 'return_refund',
  reqItems: { lineId: string; qty: number }[],
  openid: string,
  now: number,
): Promise<Result<{ order: OrderDoc; items: AfterSaleDoc['items']; existingCount: number }>> {
  const order = await getOrder(orderId);
  if (!order || order.openid !== openid) return fail('NOT_FOUND', '订单不存在');
  const { settings } = await loadShop(now);
  const el = afterSaleEligibility(order, now, settings.returnWindowDays, type);
  if (!el.ok) return el;
  const lineIds = reqItems.map((i) => i.lineId);
  if (new Set(lineIds).size !== lineIds.length) return fail('INVALID_INPUT', '同一商品请合并为一条售后');
  const existing = await db().collection('after_sales').where({ orderId: order._id }).limit(1000).get();
  const all = (existing.data as AfterSaleDoc[]) ?? [];
  const open = all.filter((a) => OPEN_AFTER_SALE_STATUSES.includes(a.status));
  const items: AfterSaleDoc['items'] = [];
  for (const it of reqItems) {
    const line = order.lines.find((l) => l.lineId === it.lineId);
    if (!line) return fail('NOT_FOUND', '售后商品不在订单中');
    if (open.some((a) => a.items.some((x) => x.lineId === it.lineId))) return fail('AFTER_SALE_OPEN');
    const r = computeRefund(line, it.qty);
    if (!r.ok) return r;
    items.push({ lineId: it.lineId, qty: it.qty, refundFen: r.data.refundFen });
  }
  return ok({ order, items, existingCount: all.length });
}

export const main = defineHandler({
  actions: {
    quote: action({
      input: z.object({ orderId: zs.id('订单编号'), type: typeSchema.optional(), items: itemsSchema }),
      run: async (input, ctx) => {
        const p = await prepare(input.orderId, input.type ?? 'refund', input.items, ctx.openid, ctx.now);
        if (!p.ok) return p;
        return ok({ refundFen: p.data.items.reduce((s, i) => s + i.refundFen, 0), items: p.data.items });
      },
    }),

    apply: action({
      input: z.object({
        orderId: zs.id('订单编号'),
        type: typeSchema,
        items: itemsSchema,
        reason: z.string({ error: '请填写售后原因' }).trim().min(1, { error: '请填写售后原因' }).max(200, { error: '售后原因不能超过200个字' }),
      }),
      run: async (input, ctx) => {
        const p = await prepare(input.orderId, input.type, input.items, ctx.openid, ctx.now);
        if (!p.ok) return p;
        const { order, items, existingCount } = p.data;
        // Deterministic id: two taps at once compute the same id and only one insert succeeds.
        const id = `${order._id}-${existingCount + 1}`;
        const doc: AfterSaleDoc = {
          _id: id,
          orderId: order._id,
          openid: ctx.openid,
          type: input.type,
          items,
          refundFen: items.reduce((s, i) => s + i.refundFen, 0),
          reason: input.reason,
          status: 'pending',
          outRefundNo: id,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          history: [],
        };
        try {
          await db().collection('after_sales').add({ data: doc });
        } catch (e) {
          if (!isDuplicateKeyError(e)) throw e;
          return fail('CONFLICT', '售后申请已提交，请勿重复操作');
        }
        await db().collection('orders').doc(order._id).update({ data: { openAfterSales: cmd().inc(1) } });
        return ok(doc);
      },
    }),

    list: action({
      input: z.object({ page: zs.page() }),
      run: async (input, ctx) => {
        const page = input.page ?? 1;
        return ok(await pageNewestFirst<AfterSaleDoc>('after_sales', { openid: ctx.openid }, page, PAGE_SIZE));
      },
    }),

    detail: action({
      input: z.object({ id: zs.id('售后单号') }),
      run: async (input, ctx) => {
        const a = await own(input.id, ctx.openid);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        const order = await getOrder(a.orderId);
        return ok({ afterSale: a, order });
      },
    }),

    cancel: action({
      input: z.object({ id: zs.id('售后单号') }),
      run: async (input, ctx) => {
        const a = await own(input.id, ctx.openid);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        if (a.status === 'cancelled') return ok(a);
        const t = await transitionAfterSale(a, 'cancel', {}, ctx.openid, ctx.now);
        if (!t.ok) return t;
        if (!t.data.updated) return fail('CONFLICT');
        await closeOpenCounter(a.orderId);
        return ok((await getAfterSale(a._id)) as AfterSaleDoc);
      },
    }),

    returnShipping: action({
      input: z.object({
        id: zs.id('售后单号'),
        carrier: z.string({ error: '请填写快递公司' }).trim().min(1, { error: '请填写快递公司' }).max(20, { error: '快递公司不能超过20个字' }),
        trackingNo: z.string({ error: '请填写快递单号' }).trim().regex(/^[A-Za-z0-9-]{5,40}$/, { error: '快递单号格式不正确' }),
      }),
      run: async (input, ctx) => {
        const a = await own(input.id, ctx.openid);
        if (!a) return fail('NOT_FOUND', '售后单不存在');
        if (a.status !== 'awaiting_return') return fail('ILLEGAL_TRANSITION', '当前售后状态无需填写退货物流');
        await db()
          .collection('after_sales')
          .where({ _id: a._id, status: 'awaiting_return' })
          .update({ data: { carrier: input.carrier, trackingNo: input.trackingNo, updatedAt: ctx.now } });
        return ok((await getAfterSale(a._id)) as AfterSaleDoc);
      },
    }),
  },
});

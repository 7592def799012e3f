/**
 * order: the shopper's buying path. Prices come only from the database (core.priceCart); identity only from
 * getWXContext(); create is idempotent on (openid, requestId) through a deterministic order id.
 */
import { createHash } from 'crypto';
import { z } from '../../../server/zod';
import { fail, ok, type Result } from '../../../core/errors';
import { priceCart, type Quote } from '../../../core/pricing';
import { MINUTE_MS } from '../../../core/time';
import { ORDER_TABS, orderTab, type OrderStatus } from '../../../core/order-state';
import { action, defineHandler, zs } from '../../../server/handler';
import { addressSchema } from '../../../server/address';
import { db, cmd, cloudPay, currentEnvId, subMchId, isDuplicateKeyError, randomHex } from '../../../server/cloud';
import { loadShop } from '../../../server/settings';
import { readSkus } from '../../../server/skus';
import { freezeOrderCommissions, type CommissionOrderDoc } from '../../../server/distribution/commission';
import { getOrder, transitionOrder, type OrderDoc, type OrderLine } from '../../../server/orders';
import { reserveStock, releaseOrderStock } from '../../../server/stock';
import { closeTradeOrApply } from '../../../server/payment';
import { pageNewestFirst } from '../../../server/paging';

const linesSchema = z
  .array(
    z.object({
      skuId: zs.id('商品规格'),
      qty: zs.posInt('数量', 999),
    }),
    { error: '请选择要购买的商品' },
  )
  .min(1, { error: '请选择要购买的商品' })
  .max(50, { error: '一次最多购买50种商品' });

const PAGE_SIZE = 10;

/** Deterministic order id (= outTradeNo, ≤ 32 chars) for a client request. */
export function orderIdFor(openid: string, requestId: string): string {
  return 'o' + createHash('sha256').update(`${openid}:${requestId}`).digest('hex').slice(0, 31);
}

async function quote(lines: { skuId: string; qty: number }[], now: number): Promise<Result<Quote>> {
  const [skus, shop] = await Promise.all([readSkus(lines.map((l) => l.skuId)), loadShop(now)]);
  return priceCart(lines, skus, shop.promotions, shop.settings, now);
}

async function paymentParams(order: OrderDoc): Promise<Record<string, unknown>> {
  const body = order.lines.length > 1 ? `${order.lines[0].title}等${order.lines.length}件商品` : order.lines[0]?.title ?? '商品';
  const res = await cloudPay().unifiedOrder({
    body: body.slice(0, 40),
    outTradeNo: order._id,
    spbillCreateIp: '127.0.0.1',
    subMchId: subMchId(),
    totalFee: order.payableFen,
    envId: currentEnvId(),
    functionName: 'payCallback',
    nonceStr: randomHex(32),
    tradeType: 'JSAPI',
  });
  if (!res || (res.returnCode && res.returnCode !== 'SUCCESS') || (res.resultCode && res.resultCode !== 'SUCCESS') || !res.payment) {
    throw new Error(`unifiedOrder failed: ${JSON.stringify({ returnCode: res?.returnCode, resultCode: res?.resultCode, errCodeDes: res?.errCodeDes })}`);
  }
  return res.payment as Record<string, unknown>;
}

async function ownOrder(id: string, openid: string): Promise<Result<OrderDoc>> {
  const order = await getOrder(id);
  if (!order || order.openid !== openid) return fail('NOT_FOUND', '订单不存在');
  return ok(order);
}

/** Cancels an unpaid order and gives its stock back (exactly once, whoever else is cancelling). */
async function cancelOrder(order: OrderDoc, by: string, now: number): Promise<Result<OrderDoc>> {
  if (order.status === 'pending_payment') {
    if ((await closeTradeOrApply(order._id, 'buyer_cancel', now)) === 'paid') return fail('ALREADY_PAID', '订单已支付，无法取消');
    const t = await transitionOrder(
      order._id,
      'pending_payment',
      'cancel_by_buyer',
      { cancelledAt: now, cancelReason: 'buyer', releasePending: true },
      by,
      now,
    );
    if (!t.ok) return t;
  }
  const fresh = (await getOrder(order._id)) as OrderDoc;
  if (fresh.status !== 'cancelled') return fail('ILLEGAL_TRANSITION', '订单已支付或已关闭，无法取消');
  if (fresh.releasePending) {
    await releaseOrderStock(fresh, `cancel_${fresh.cancelReason ?? 'buyer'}`, now);
    await db().collection('orders').doc(fresh._id).update({ data: { releasePending: false } });
    fresh.releasePending = false;
  }
  return ok(fresh);
}

export const main = defineHandler({
  actions: {
    quote: action({
      input: z.object({ lines: linesSchema }),
      run: async (input, ctx) => quote(input.lines, ctx.now),
    }),

    create: action({
      input: z.object({
        requestId: z
          .string({ error: '请求编号不能为空' })
          .min(8, { error: '请求编号格式不正确' })
          .max(64, { error: '请求编号格式不正确' })
          .regex(/^[A-Za-z0-9_-]+$/, { error: '请求编号格式不正确' }),
        lines: linesSchema,
        // The buyer's own address: either its snapshot (saves a database read) or the id of a saved one.
        address: addressSchema.optional(),
        addressId: zs.id('收货地址').optional(),
        remark: zs.text('备注', 200).optional(),
      }).refine((v) => v.address || v.addressId, { error: '请选择收货地址', path: ['address'] }),
      run: async (input, ctx) => {
        const orderId = orderIdFor(ctx.openid, input.requestId);
        const [q, address] = await Promise.all([
          quote(input.lines, ctx.now),
          input.address
            ? Promise.resolve({ ...input.address, openid: ctx.openid } as Record<string, unknown> & { openid?: string })
            : db().collection('addresses').doc(input.addressId as string).get().then((r: any) => r.data as (Record<string, unknown> & { openid?: string }) | null),
        ]);
        if (!address || address.openid !== ctx.openid) {
          const existing = await getOrder(orderId);
          if (existing && existing.openid === ctx.openid) return replay(existing, ctx.now);
          return fail('NOT_FOUND', '收货地址不存在，请重新选择');
        }
        if (!q.ok) {
          // A replay of an order whose stock was taken by itself must not fail on "out of stock".
          const existing = await getOrder(orderId);
          if (existing && existing.openid === ctx.openid) return replay(existing, ctx.now);
          return q;
        }
        const { settings } = await loadShop(ctx.now);
        const lines: OrderLine[] = q.data.lines.map((l) => ({
          lineId: l.lineId,
          skuId: l.skuId,
          productId: l.productId,
          title: l.title,
          specText: l.specText,
          image: l.image,
          unitPrice: l.unitPrice,
          qty: l.qty,
          amount: l.amount,
          discount: l.discount,
          payable: l.payable,
          refundedQty: 0,
          refundedFen: 0,
          categoryId: l.categoryId,
          promotionIds: l.promotionIds,
        }));
        const addressSnapshot = { addressId: input.address?.id ?? input.addressId ?? null, name: address.name, phone: address.phone, region: address.region, detail: address.detail };
        const order: OrderDoc = {
          _id: orderId,
          openid: ctx.openid,
          requestId: input.requestId,
          status: 'pending_payment',
          lines,
          goodsFen: q.data.goodsFen,
          discountFen: q.data.discountFen,
          shippingFen: q.data.shippingFen,
          payableFen: q.data.payableFen,
          address: addressSnapshot,
          remark: input.remark ?? '',
          createdAt: ctx.now,
          expiresAt: ctx.now + settings.unpaidCloseMinutes * MINUTE_MS,
          refundedFen: 0,
          openAfterSales: 0,
          history: [],
        };
        try {
          await db().collection('orders').add({ data: order });
        } catch (e) {
          if (!isDuplicateKeyError(e)) throw e;
          const existing = await getOrder(orderId);
          if (!existing || existing.openid !== ctx.openid) throw e;
          return replay(existing, ctx.now);
        }
        const r = await reserveStock(orderId, lines, ctx.now);
        if (!r.ok) {
          // Nothing was sold: the order never existed for the buyer. Remove it (the stock was given back).
          await db().collection('orders').doc(orderId).remove();
          const title = lines.find((l) => l.skuId === r.skuId)?.title ?? '';
          return fail('OUT_OF_STOCK', `库存不足：${title}`, { skuId: r.skuId });
        }
        const payment = await paymentParams(order);
        return ok({ order, payment });
      },
    }),

    pay: action({
      input: z.object({ orderId: zs.id('订单编号') }),
      run: async (input, ctx) => {
        const o = await ownOrder(input.orderId, ctx.openid);
        if (!o.ok) return o;
        const order = o.data;
        if (order.status !== 'pending_payment') {
          if (order.status === 'cancelled') return fail('ORDER_EXPIRED');
          return fail('ALREADY_PAID');
        }
        if (ctx.now >= order.expiresAt) return fail('ORDER_EXPIRED', '订单已超时，请重新下单');
        const payment = await paymentParams(order);
        return ok({ order, payment });
      },
    }),

    list: action({
      input: z.object({
        tab: z.enum(ORDER_TABS.map((t) => t.key) as [string, ...string[]], { error: '订单分类不正确' }).optional(),
        page: zs.page(),
      }),
      run: async (input, ctx) => {
        const _ = cmd();
        const tab = orderTab(input.tab ?? 'all')!;
        const page = input.page ?? 1;
        const where: Record<string, unknown> = { openid: ctx.openid };
        if (tab.key === 'after_sale') where.openAfterSales = _.gt(0);
        else if (tab.key !== 'all') where.status = _.in(tab.statuses);
        return ok(await pageNewestFirst<OrderDoc>('orders', where, page, PAGE_SIZE));
      },
    }),

    detail: action({
      input: z.object({ id: zs.id('订单编号') }),
      run: async (input, ctx) => {
        const o = await ownOrder(input.id, ctx.openid);
        if (!o.ok) return o;
        const as = await db().collection('after_sales').where({ orderId: input.id }).orderBy('createdAt', 'desc').limit(50).get();
        return ok({ order: o.data, afterSales: as.data ?? [] });
      },
    }),

    counts: action({
      input: z.object({}),
      run: async (_input, ctx) => {
        const _ = cmd();
        const c = db().collection('orders');
        const count = async (where: Record<string, unknown>) => (await c.where({ openid: ctx.openid, ...where }).count()).total as number;
        const statusIn = (s: OrderStatus[]) => ({ status: _.in(s) });
        const [pendingPayment, pendingShipment, toReceive, afterSale] = await Promise.all([
          count(statusIn(['pending_payment'])),
          count(statusIn(['pending_shipment'])),
          count(statusIn(['shipped', 'ready_for_pickup'])),
          count({ openAfterSales: _.gt(0) }),
        ]);
        return ok({ pending_payment: pendingPayment, pending_shipment: pendingShipment, to_receive: toReceive, after_sale: afterSale });
      },
    }),

    cancel: action({
      input: z.object({ id: zs.id('订单编号') }),
      run: async (input, ctx) => {
        const o = await ownOrder(input.id, ctx.openid);
        if (!o.ok) return o;
        return cancelOrder(o.data, ctx.openid, ctx.now);
      },
    }),

    confirm: action({
      input: z.object({ id: zs.id('订单编号') }),
      run: async (input, ctx) => {
        const o = await ownOrder(input.id, ctx.openid);
        if (!o.ok) return o;
        if (o.data.status === 'completed') return ok(o.data);
        const t = await transitionOrder(o.data._id, o.data.status, 'confirm_receipt', { completedAt: ctx.now }, ctx.openid, ctx.now);
        if (!t.ok) return t;
        const fresh = (await getOrder(o.data._id)) as OrderDoc;
        if (fresh.status !== 'completed') return fail('ILLEGAL_TRANSITION');
        // distribution: the order's commission freezes until the return window has passed
        if (t.data.updated) await freezeOrderCommissions(fresh._id, fresh.completedAt ?? ctx.now, ctx.now, fresh as CommissionOrderDoc);
        return ok(fresh);
      },
    }),
  },
});

/** A repeated create (same requestId): finish the reservation a crash may have interrupted, return the same order. */
async function replay(order: OrderDoc, now: number): Promise<Result<{ order: OrderDoc; payment: Record<string, unknown> | null }>> {
  if (order.status !== 'pending_payment') return ok({ order, payment: null });
  const r = await reserveStock(order._id, order.lines, now);
  if (!r.ok) return fail('OUT_OF_STOCK', undefined, { skuId: r.skuId });
  if (now >= order.expiresAt) return ok({ order, payment: null });
  return ok({ order, payment: await paymentParams(order) });
}

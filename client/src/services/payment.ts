import Taro from '@tarojs/taro';
import { fetchOrder, payOrder } from './api';
import { ApiError, devPost } from './cloud';
import type { Order, PaymentParams } from './types';
import { formatFen } from '../utils/money';

export type PayOutcome = 'paid' | 'cancelled' | 'pending';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the order until the (asynchronous) payment callback has moved it out of 待付款. */
export async function waitForPaid(orderId: string, timeoutMs = 8000): Promise<Order | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const o = await fetchOrder(orderId);
      if (o.status !== 'pending_payment') return o;
    } catch {
      // keep polling; the page shows the final state
    }
    await sleep(500);
  }
  return null;
}

async function payWeapp(payment: PaymentParams, order: Pick<Order, '_id' | 'payableFen'>): Promise<PayOutcome> {
  try {
    await Taro.requestPayment(payment as unknown as Taro.requestPayment.Option);
  } catch (e) {
    const msg = String((e as { errMsg?: string })?.errMsg ?? '');
    if (msg.includes('cancel')) return 'cancelled';
    throw e;
  }
  const o = await waitForPaid(order._id);
  return o && o.status !== 'pending_payment' && o.status !== 'cancelled' ? 'paid' : 'pending';
}

async function paySandbox(_payment: PaymentParams, order: Pick<Order, '_id' | 'payableFen'>): Promise<PayOutcome> {
  const { confirm } = await Taro.showModal({
    title: '本地支付沙箱',
    content: `模拟支付 ¥${formatFen(order.payableFen)} — 本地支付沙箱`,
    confirmText: '确认支付',
    cancelText: '取消',
    confirmColor: '#fa4126',
  });
  if (!confirm) return 'cancelled';
  await devPost('/__sandbox/pay', { outTradeNo: order._id });
  const o = await waitForPaid(order._id);
  return o && o.status !== 'pending_payment' && o.status !== 'cancelled' ? 'paid' : 'pending';
}

/**
 * weapp: wx.requestPayment with the server's cloudPay parameters.
 * h5: the local payment sandbox — confirm dialog with the amount, POST /__sandbox/pay, then poll until 待发货
 * (the callback is delivered asynchronously).
 */
export const requestPayment: (payment: PaymentParams, order: Pick<Order, '_id' | 'payableFen'>) => Promise<PayOutcome> =
  process.env.TARO_ENV === 'weapp' ? payWeapp : paySandbox;

/** 去支付 on an existing unpaid order: fresh payment parameters from the server, then pay. */
export async function payExistingOrder(order: Pick<Order, '_id' | 'payableFen'>): Promise<PayOutcome> {
  const { payment } = await payOrder(order._id);
  if (!payment) throw new ApiError('ORDER_EXPIRED', '订单已超时或已支付，请刷新');
  return requestPayment(payment, order);
}

/**
 * payCallback: cloudPay's payment notification. Acknowledges ({errcode:0}) only when the payment is recorded;
 * anything else makes WeChat retry. Trusts nothing in the event: a client invocation is refused, and the trade
 * is confirmed with queryOrder (SUCCESS and the same total) before it is applied.
 */
import { getIdentity, nowMs } from '../../../server/cloud';
import { applyPayment, queryTrade } from '../../../server/payment';
import { logError, logEvent } from '../../../server/log';

interface Ack {
  errcode: number;
  errmsg: string;
}

const ACK: Ack = { errcode: 0, errmsg: '' };

export async function main(rawEvent: unknown): Promise<Ack> {
  const event = (rawEvent && typeof rawEvent === 'object' ? rawEvent : {}) as Record<string, unknown>;
  try {
    const id = getIdentity();
    if (id.openid || id.source === 'wx_client') {
      logEvent('pay_callback_forged', { alert: true, source: id.source, openid: id.openid, outTradeNo: event.outTradeNo });
      return { errcode: 403, errmsg: 'forbidden' };
    }
    // Refund notifications (we pass this function as the refund's functionName) need no action: the refund
    // was recorded when it was requested.
    if (event.outRefundNo !== undefined || event.refundStatus !== undefined || event.reqInfo !== undefined) return ACK;
    const outTradeNo = typeof event.outTradeNo === 'string' ? event.outTradeNo : '';
    const transactionId = typeof event.transactionId === 'string' ? event.transactionId : '';
    const totalFee = Number(event.totalFee);
    if (!outTradeNo || !transactionId || !Number.isSafeInteger(totalFee) || event.resultCode !== 'SUCCESS') {
      logEvent('pay_callback_malformed', { alert: true, outTradeNo, transactionId });
      return { errcode: 400, errmsg: 'malformed notification' };
    }
    const trade = await queryTrade(outTradeNo);
    // REFUND: the trade was paid and (partly) refunded since — a late duplicate, still a confirmed payment.
    const paid = trade.tradeState === 'SUCCESS' || trade.tradeState === 'REFUND';
    if (!paid || trade.totalFee !== totalFee || (trade.transactionId && trade.transactionId !== transactionId)) {
      logEvent('pay_callback_unconfirmed', { alert: true, outTradeNo, transactionId, totalFee, trade });
      return { errcode: 409, errmsg: 'trade not confirmed' };
    }
    const payer = typeof event.subOpenid === 'string' ? event.subOpenid : typeof event.openid === 'string' ? event.openid : undefined;
    const r = await applyPayment(outTradeNo, { transactionId, totalFee, payerOpenid: payer }, 'pay_callback', nowMs());
    if (!r.recorded) return { errcode: 404, errmsg: r.result };
    return ACK;
  } catch (e) {
    logError('payCallback', e);
    return { errcode: 500, errmsg: 'internal error' };
  }
}

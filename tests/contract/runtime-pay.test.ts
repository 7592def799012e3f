/** cloudPay sandbox through the real wx-server-sdk (cloud.cloudPay.*) and the payment callback. */
import type { LocalCloud } from '../../localcloud';
import { startFixtureCloud } from './fixtures/helpers';

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startFixtureCloud({ payRetryDelaysMs: [50, 50, 50, 50] });
});
afterAll(async () => {
  await lc?.stop();
});

const order = (outTradeNo: string, totalFee: number, openid = 'o_buyer', attach?: string) =>
  lc.invoke('payer', { action: 'unifiedOrder', outTradeNo, totalFee, attach }, { openid });
const call = (action: string, extra: Record<string, unknown>) => lc.invoke('payer', { action, ...extra }, { openid: 'o_buyer' });
const paylog = (outTradeNo: string) => lc.db.find('paylog', { outTradeNo }) as any[];

describe('cloudPay sandbox', () => {
  test('unifiedOrder returns payment params and records the trade', async () => {
    const r = await order('T100', 1234, 'o_buyer', 'order:abc');
    expect(r).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0, subMchId: '1900000109' });
    expect(r.payment).toMatchObject({ signType: 'MD5', package: expect.stringMatching(/^prepay_id=wx/), timeStamp: expect.stringMatching(/^\d+$/) });
    expect(typeof r.payment.nonceStr).toBe('string');
    expect(typeof r.payment.paySign).toBe('string');
    expect(lc.trade('T100')).toMatchObject({ outTradeNo: 'T100', totalFee: 1234, functionName: 'payCallback', envId: 'local-env', openid: 'o_buyer', state: 'NOTPAY', attach: 'order:abc' });
    // same request again: same prepay id; different amount: refused
    const again = await order('T100', 1234);
    expect(again.payment.package).toBe(r.payment.package);
    expect(await order('T100', 999)).toMatchObject({ resultCode: 'FAIL', errCode: 0 });
  });

  test('queryOrder NOTPAY → pay → callback delivered with the notify event → SUCCESS', async () => {
    expect(await call('queryOrder', { outTradeNo: 'T100' })).toMatchObject({ tradeState: 'NOTPAY', totalFee: 1234 });
    const paid = await lc.pay('T100');
    expect(paid.delivered).toBe(true);
    expect(paid.attempts).toBe(1);
    const log = paylog('T100');
    expect(log).toHaveLength(1);
    expect(log[0].event).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: 'T100',
      totalFee: 1234,
      cashFee: 1234,
      subOpenid: 'o_buyer',
      subMchId: '1900000109',
      attach: 'order:abc',
      transactionId: paid.trade.transactionId,
      timeEnd: expect.stringMatching(/^\d{14}$/),
    });
    // invoked without a client identity
    expect(log[0].ctx.OPENID).toBeUndefined();
    expect(log[0].ctx.SOURCE).toBe('wx_paycallback');
    const q = await call('queryOrder', { outTradeNo: 'T100' });
    expect(q).toMatchObject({ tradeState: 'SUCCESS', totalFee: 1234, transactionId: paid.trade.transactionId });
    await expect(lc.pay('T100')).rejects.toThrow(/only NOTPAY/);
    // a duplicate notification carries the same transaction
    expect((await lc.redeliverPayment('T100')).delivered).toBe(true);
    expect(paylog('T100').map((l) => l.event.transactionId)).toEqual([paid.trade.transactionId, paid.trade.transactionId]);
  });

  test('callback retried with backoff until it answers errcode 0', async () => {
    await order('FLAKY1', 500);
    const r = await lc.pay('FLAKY1');
    expect(r.delivered).toBe(true);
    expect(r.attempts).toBe(3);
    expect(paylog('FLAKY1')).toHaveLength(3);
    expect(lc.pendingCallbacks()).toEqual([]);
  });

  test('a callback that never succeeds stays pending', async () => {
    await order('NEVER1', 500);
    const r = await lc.pay('NEVER1');
    expect(r.delivered).toBe(false);
    expect(r.attempts).toBe(5);
    expect(lc.pendingCallbacks()).toEqual([expect.objectContaining({ outTradeNo: 'NEVER1', functionName: 'payCallback', attempts: 5 })]);
    await lc.flushCallbacks();
    expect(lc.pendingCallbacks()).toEqual([expect.objectContaining({ outTradeNo: 'NEVER1', attempts: 6, lastError: expect.stringMatching(/never/) })]);
    expect(paylog('NEVER1')).toHaveLength(6);
  });

  test('closeOrder: NOTPAY closes; a paid trade fails with ORDERPAID; unknown trade ORDERNOTEXIST', async () => {
    await order('T200', 100);
    expect(await call('closeOrder', { outTradeNo: 'T200' })).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' });
    expect(await call('queryOrder', { outTradeNo: 'T200' })).toMatchObject({ tradeState: 'CLOSED' });
    await expect(lc.pay('T200')).rejects.toThrow(/CLOSED/);
    // NB: the SDK spreads {errCode: 0} over the camelCased reply, so WeChat's err_code is lost; errCodeDes survives
    expect(await call('closeOrder', { outTradeNo: 'T100' })).toMatchObject({ resultCode: 'FAIL', errCode: 0, errCodeDes: '订单已支付，不能发起关单' });
    expect(await call('queryOrder', { outTradeNo: 'T404' })).toMatchObject({ resultCode: 'FAIL', errCodeDes: '订单不存在' });
  });

  test('refund: bounded by the refundable amount, idempotent on outRefundNo, state REFUND', async () => {
    await order('T300', 1000);
    expect(await call('refund', { outTradeNo: 'T300', outRefundNo: 'R0', totalFee: 1000, refundFee: 100 })).toMatchObject({ resultCode: 'FAIL' });
    await lc.pay('T300');
    const r1 = await call('refund', { outTradeNo: 'T300', outRefundNo: 'R1', totalFee: 1000, refundFee: 600 });
    expect(r1).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundFee: 600, outRefundNo: 'R1' });
    const replay = await call('refund', { outTradeNo: 'T300', outRefundNo: 'R1', totalFee: 1000, refundFee: 600 });
    expect(replay.refundId).toBe(r1.refundId);
    // 600 refunded, 400 left
    expect(await call('refund', { outTradeNo: 'T300', outRefundNo: 'R2', totalFee: 1000, refundFee: 401 })).toMatchObject({ resultCode: 'FAIL', errCodeDes: '申请退款金额超过订单可退金额' });
    expect(await call('refund', { outTradeNo: 'T300', outRefundNo: 'R2', totalFee: 1000, refundFee: 400 })).toMatchObject({ resultCode: 'SUCCESS' });
    expect(lc.trade('T300')).toMatchObject({ refundedFee: 1000, state: 'REFUND' });
    expect(lc.trade('T300')!.refunds.map((x) => x.outRefundNo)).toEqual(['R1', 'R2']);
    expect(await call('queryOrder', { outTradeNo: 'T300' })).toMatchObject({ tradeState: 'REFUND' });
  });
});

/**
 * cloudPay sandbox (wx.wxPayApi). Requests and replies are snake_case JSON like WeChat Pay v2 via cloudPay.
 * Trades: NOTPAY → SUCCESS (sandbox pay) → REFUND (any refund); NOTPAY → CLOSED (closeOrder).
 * Business failures are `return_code:'SUCCESS', result_code:'FAIL', err_code, err_code_des` (WeChat Pay style),
 * e.g. closeOrder of a paid trade → ORDERPAID, refund over the refundable amount → INVALID_REQUEST.
 *
 * Payment callback: when a trade is paid, the trade's `function_name` is invoked (no client identity,
 * SOURCE 'wx_paycallback') with the camelCase notify event; delivery is retried with backoff until the function
 * returns `{errcode: 0}`.
 */
import { randomBytes, createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Refund {
  outRefundNo: string;
  refundId: string;
  refundFee: number;
  totalFee: number;
  functionName?: string;
  at: number;
}

export interface Trade {
  outTradeNo: string;
  totalFee: number;
  body: string;
  functionName: string;
  envId: string;
  subMchId: string;
  attach?: string;
  spbillCreateIp?: string;
  tradeType: string;
  /** payer = the openid of the invocation that called unifiedOrder */
  openid: string;
  appid: string;
  prepayId: string;
  state: TradeState;
  createdAt: number;
  transactionId?: string;
  timeEnd?: string;
  paidAt?: number;
  closedAt?: number;
  refunds: Refund[];
  refundedFee: number;
}

export interface PendingCallback {
  outTradeNo: string;
  functionName: string;
  attempts: number;
  lastError: string | null;
}

export interface PayResult {
  trade: Trade;
  delivered: boolean;
  attempts: number;
  lastError: string | null;
}

export type CallbackInvoker = (functionName: string, event: Record<string, unknown>) => Promise<{ ok: boolean; result?: unknown; error?: string }>;

const MCH_ID = '1800000001';

/** yyyyMMddHHmmss in China time */
export function chinaTimeString(ms: number): string {
  const d = new Date(ms + 8 * 3600e3);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The fields every successful WeChat Pay reply about a trade starts with. */
function successHeader(t: { appid: string; subMchId: string }) {
  return {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    result_code: 'SUCCESS',
    appid: t.appid,
    mch_id: MCH_ID,
    sub_appid: t.appid,
    sub_mch_id: t.subMchId,
    nonce_str: nonce(),
  };
}

function nonce(): string {
  return randomBytes(8).toString('hex');
}

function fail(errCode: string, des: string, extra: Record<string, unknown> = {}) {
  return { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'FAIL', err_code: errCode, err_code_des: des, ...extra };
}

export class PaySandbox {
  private trades = new Map<string, Trade>();
  private pending = new Map<string, PendingCallback>();
  private bgTimers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private seq = 0;

  constructor(
    private opts: {
      now: () => number;
      file: string | null;
      invoke: CallbackInvoker;
      /** delays before attempt 2, 3, … awaited by pay(); default [100, 200, 400, 800] (5 attempts) */
      retryDelaysMs?: number[];
      /** after the awaited attempts, keep retrying in the background with these delays */
      backgroundDelaysMs?: number[];
      log?: (m: string) => void;
    },
  ) {
    if (opts.file && fs.existsSync(opts.file)) {
      const saved = JSON.parse(fs.readFileSync(opts.file, 'utf8')) as { trades: Trade[] };
      for (const t of saved.trades) this.trades.set(t.outTradeNo, t);
    }
  }

  private save() {
    if (!this.opts.file) return;
    fs.mkdirSync(path.dirname(this.opts.file), { recursive: true });
    const tmp = `${this.opts.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ trades: [...this.trades.values()] }));
    fs.renameSync(tmp, this.opts.file);
  }

  trade(outTradeNo: string): Trade | undefined {
    return this.trades.get(outTradeNo);
  }

  allTrades(): Trade[] {
    return [...this.trades.values()];
  }

  pendingCallbacks(): PendingCallback[] {
    return [...this.pending.values()].map((p) => ({ ...p }));
  }

  /** Handle one wx.wxPayApi call. `caller` = the invocation's identity (payer openid) if known. */
  handle(apiName: string, req: Record<string, any>, caller: { openid?: string; appid?: string } | null): Record<string, unknown> {
    switch (apiName) {
      case 'unifiedOrder':
        return this.unifiedOrder(req, caller);
      case 'queryOrder':
        return this.queryOrder(req);
      case 'closeOrder':
        return this.closeOrder(req);
      case 'refund':
        return this.refund(req);
      case 'queryRefund':
        return this.queryRefund(req);
      default:
        return { return_code: 'FAIL', return_msg: `localcloud: cloudPay.${apiName} is not emulated` };
    }
  }

  private unifiedOrder(req: Record<string, any>, caller: { openid?: string; appid?: string } | null) {
    const outTradeNo = String(req.out_trade_no || '');
    const totalFee = req.total_fee;
    for (const k of ['body', 'out_trade_no', 'spbill_create_ip', 'sub_mch_id', 'total_fee', 'env_id', 'function_name']) {
      if (req[k] === undefined || req[k] === '') return { return_code: 'FAIL', return_msg: `缺少参数 ${k}` };
    }
    if (!Number.isInteger(totalFee) || totalFee <= 0) return fail('PARAM_ERROR', 'total_fee 必须是正整数（单位：分）');
    if (outTradeNo.length > 32 || !/^[A-Za-z0-9_\-|*@]+$/.test(outTradeNo)) return fail('PARAM_ERROR', 'out_trade_no 格式错误');
    const existing = this.trades.get(outTradeNo);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return fail('ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return fail('ORDERCLOSED', '该订单已关闭');
      if (existing.totalFee !== totalFee || existing.body !== String(req.body)) return fail('INVALID_REQUEST', '201 商户订单号重复');
      return this.prepayReply(existing);
    }
    const trade: Trade = {
      outTradeNo,
      totalFee,
      body: String(req.body),
      functionName: String(req.function_name),
      envId: String(req.env_id),
      subMchId: String(req.sub_mch_id),
      attach: req.attach === undefined ? undefined : String(req.attach),
      spbillCreateIp: req.spbill_create_ip,
      tradeType: req.trade_type || 'JSAPI',
      openid: caller?.openid || '',
      appid: caller?.appid || 'wx_local_appid',
      prepayId: `wx${chinaTimeString(this.opts.now())}${randomBytes(8).toString('hex')}`,
      state: 'NOTPAY',
      createdAt: this.opts.now(),
      refunds: [],
      refundedFee: 0,
    };
    this.trades.set(outTradeNo, trade);
    this.save();
    return this.prepayReply(trade);
  }

  private prepayReply(t: Trade) {
    const timeStamp = String(Math.floor(this.opts.now() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${t.prepayId}`;
    const paySign = createHash('md5').update(`appId=${t.appid}&nonceStr=${nonceStr}&package=${pkg}&signType=MD5&timeStamp=${timeStamp}&key=localcloud`).digest('hex').toUpperCase();
    return {
      ...successHeader(t),
      sign: 'LOCALCLOUD',
      prepay_id: t.prepayId,
      trade_type: t.tradeType,
      payment: { appId: t.appid, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign },
    };
  }

  private findTrade(req: Record<string, any>): Trade | undefined {
    if (req.out_trade_no) return this.trades.get(String(req.out_trade_no));
    if (req.transaction_id) return [...this.trades.values()].find((t) => t.transactionId === req.transaction_id);
    return undefined;
  }

  private queryOrder(req: Record<string, any>) {
    const t = this.findTrade(req);
    if (!t) return fail('ORDERNOTEXIST', '订单不存在');
    const desc: Record<TradeState, string> = { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' };
    return {
      ...successHeader(t),
      trade_state: t.state,
      trade_state_desc: desc[t.state],
      out_trade_no: t.outTradeNo,
      total_fee: t.totalFee,
      fee_type: 'CNY',
      trade_type: t.tradeType,
      attach: t.attach,
      ...(t.transactionId
        ? { transaction_id: t.transactionId, time_end: t.timeEnd, cash_fee: t.totalFee, bank_type: 'OTHERS', openid: t.openid, sub_openid: t.openid, is_subscribe: 'N' }
        : {}),
    };
  }

  private closeOrder(req: Record<string, any>) {
    const t = this.findTrade(req);
    if (!t) return fail('ORDERNOTEXIST', '订单不存在');
    if (t.state === 'SUCCESS' || t.state === 'REFUND') return fail('ORDERPAID', '订单已支付，不能发起关单');
    if (t.state === 'CLOSED') return fail('ORDERCLOSED', '订单已关闭');
    t.state = 'CLOSED';
    t.closedAt = this.opts.now();
    this.save();
    return { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', appid: t.appid, mch_id: MCH_ID, sub_mch_id: t.subMchId, nonce_str: nonce() };
  }

  private refund(req: Record<string, any>) {
    const t = this.findTrade(req);
    if (!t) return fail('ORDERNOTEXIST', '订单不存在');
    const outRefundNo = String(req.out_refund_no || '');
    if (!outRefundNo) return { return_code: 'FAIL', return_msg: '缺少参数 out_refund_no' };
    const refundFee = req.refund_fee;
    if (!Number.isInteger(refundFee) || refundFee <= 0) return fail('PARAM_ERROR', 'refund_fee 必须是正整数（单位：分）');
    if (req.total_fee !== t.totalFee) return fail('INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
    const reply = (r: Refund) => ({
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      appid: t.appid,
      mch_id: MCH_ID,
      sub_mch_id: t.subMchId,
      nonce_str: nonce(),
      transaction_id: t.transactionId,
      out_trade_no: t.outTradeNo,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_fee: r.refundFee,
      total_fee: t.totalFee,
      cash_fee: t.totalFee,
      cash_refund_fee: r.refundFee,
    });
    const prior = t.refunds.find((r) => r.outRefundNo === outRefundNo);
    if (prior) {
      if (prior.refundFee !== refundFee) return fail('INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
      return reply(prior); // idempotent replay
    }
    if (t.state === 'NOTPAY' || t.state === 'CLOSED') return fail('TRADE_STATE_ERROR', '订单状态错误');
    if (refundFee > t.totalFee - t.refundedFee) return fail('INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const r: Refund = {
      outRefundNo,
      refundId: `50${chinaTimeString(this.opts.now())}${String(++this.seq).padStart(6, '0')}${randomBytes(2).toString('hex')}`,
      refundFee,
      totalFee: t.totalFee,
      functionName: req.function_name,
      at: this.opts.now(),
    };
    t.refunds.push(r);
    t.refundedFee += refundFee;
    t.state = 'REFUND';
    this.save();
    return reply(r);
  }

  private queryRefund(req: Record<string, any>) {
    let t: Trade | undefined = this.findTrade(req);
    if (!t && req.out_refund_no) t = [...this.trades.values()].find((x) => x.refunds.some((r) => r.outRefundNo === req.out_refund_no));
    if (!t || t.refunds.length === 0) return fail('REFUNDNOTEXIST', '退款订单查询失败');
    const refunds = req.out_refund_no ? t.refunds.filter((r) => r.outRefundNo === req.out_refund_no) : t.refunds;
    const out: Record<string, unknown> = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      out_trade_no: t.outTradeNo,
      transaction_id: t.transactionId,
      total_fee: t.totalFee,
      refund_count: refunds.length,
      refund_fee: refunds.reduce((s, r) => s + r.refundFee, 0),
    };
    refunds.forEach((r, i) => {
      out[`out_refund_no_${i}`] = r.outRefundNo;
      out[`refund_id_${i}`] = r.refundId;
      out[`refund_fee_${i}`] = r.refundFee;
      out[`refund_status_${i}`] = 'SUCCESS';
      out[`refund_success_time_${i}`] = chinaTimeString(r.at);
    });
    return out;
  }

  /** The notify event delivered to the trade's callback function. */
  callbackEvent(t: Trade): Record<string, unknown> {
    const ev: Record<string, unknown> = {
      returnCode: 'SUCCESS',
      appid: t.appid,
      mchId: MCH_ID,
      subAppid: t.appid,
      subMchId: t.subMchId,
      nonceStr: nonce(),
      resultCode: 'SUCCESS',
      openid: t.openid ? `o_sp_${t.openid}` : '',
      isSubscribe: 'N',
      subOpenid: t.openid,
      subIsSubscribe: 'N',
      tradeType: t.tradeType,
      bankType: 'OTHERS',
      totalFee: t.totalFee,
      feeType: 'CNY',
      cashFee: t.totalFee,
      transactionId: t.transactionId,
      outTradeNo: t.outTradeNo,
      timeEnd: t.timeEnd,
    };
    if (t.attach !== undefined) ev.attach = t.attach;
    return ev;
  }

  /** Sandbox payment: NOTPAY → SUCCESS, then deliver the callback (retried). */
  async pay(outTradeNo: string): Promise<PayResult> {
    const t = this.trades.get(outTradeNo);
    if (!t) throw new Error(`cloudPay sandbox: trade ${outTradeNo} does not exist`);
    if (t.state !== 'NOTPAY') throw new Error(`cloudPay sandbox: trade ${outTradeNo} is ${t.state}, only NOTPAY can be paid`);
    const now = this.opts.now();
    t.state = 'SUCCESS';
    t.paidAt = now;
    t.timeEnd = chinaTimeString(now);
    t.transactionId = `4200${chinaTimeString(now).slice(0, 8)}${String(++this.seq).padStart(4, '0')}${randomBytes(6).toString('hex').replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`.slice(0, 28);
    this.save();
    return this.deliver(t);
  }

  /** Deliver (again) the payment callback of a paid trade, e.g. to test duplicate notifications. */
  async deliver(t: Trade): Promise<PayResult> {
    if (!t.transactionId) throw new Error(`cloudPay sandbox: trade ${t.outTradeNo} is not paid`);
    const delays = this.opts.retryDelaysMs ?? [100, 200, 400, 800];
    const pend: PendingCallback = { outTradeNo: t.outTradeNo, functionName: t.functionName, attempts: 0, lastError: null };
    this.pending.set(t.outTradeNo, pend);
    for (let i = 0; i <= delays.length; i++) {
      if (this.stopped) break;
      if (i > 0) await new Promise((r) => setTimeout(r, delays[i - 1]));
      if (await this.attempt(t, pend)) return { trade: t, delivered: true, attempts: pend.attempts, lastError: null };
    }
    this.scheduleBackground(t, pend, 0);
    return { trade: t, delivered: false, attempts: pend.attempts, lastError: pend.lastError };
  }

  private async attempt(t: Trade, pend: PendingCallback): Promise<boolean> {
    pend.attempts++;
    const r = await this.opts.invoke(t.functionName, this.callbackEvent(t));
    const res = r.result as { errcode?: unknown } | undefined;
    if (r.ok && res && typeof res === 'object' && res.errcode === 0) {
      if (this.pending.get(t.outTradeNo) === pend) this.pending.delete(t.outTradeNo);
      return true;
    }
    pend.lastError = r.ok ? `callback answered ${JSON.stringify(r.result)}` : r.error || 'callback failed';
    this.opts.log?.(`pay callback ${t.functionName}(${t.outTradeNo}) attempt ${pend.attempts} failed: ${pend.lastError}`);
    return false;
  }

  private scheduleBackground(t: Trade, pend: PendingCallback, idx: number) {
    const delays = this.opts.backgroundDelaysMs ?? [15e3, 15e3, 30e3, 180e3, 600e3, 1200e3, 1800e3];
    if (this.stopped || idx >= delays.length) return;
    const timer = setTimeout(async () => {
      this.bgTimers.delete(timer);
      if (this.pending.get(t.outTradeNo) !== pend || this.stopped) return;
      if (!(await this.attempt(t, pend))) this.scheduleBackground(t, pend, idx + 1);
    }, delays[idx]);
    timer.unref();
    this.bgTimers.add(timer);
  }

  /** Retry every pending callback once, now. */
  async flushCallbacks(): Promise<void> {
    for (const pend of [...this.pending.values()]) {
      const t = this.trades.get(pend.outTradeNo);
      if (t) await this.attempt(t, pend);
    }
  }

  stop() {
    this.stopped = true;
    for (const t of this.bgTimers) clearTimeout(t);
    this.bgTimers.clear();
  }
}

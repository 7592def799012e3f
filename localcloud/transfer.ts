/**
 * 商家转账 (WeChat Pay merchant transfer to a user's change) stand-in.
 *
 * Serves the two v3 paths the server's transfer client uses:
 *  - POST /v3/fund-app/mch-transfer/transfer-bills
 *      {appid, out_bill_no, transfer_scene_id, openid, transfer_amount, transfer_remark, user_recv_perception?}
 *      → 200 {out_bill_no, transfer_bill_no, create_time, state}
 *  - GET  /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}
 *      → 200 the bill {out_bill_no, transfer_bill_no, state, transfer_amount, openid, fail_reason?, …} | 404 NOT_FOUND
 *
 * Idempotent on out_bill_no: a repeated request with the same number returns the existing bill (a different
 * amount or openid under the same number is refused with 400 PARAM_ERROR, as WeChat does). States are terminal
 * right away: SUCCESS, or FAIL when a test armed `failNext()`. `dropNextReply()` makes the next request create
 * the bill but answer 500 (a timeout after acceptance), so callers must query before retrying.
 * No signature checking (the real API requires the merchant's v3 signature; out of scope locally).
 */
import { randomBytes } from 'crypto';

export interface TransferBill {
  appid: string;
  out_bill_no: string;
  transfer_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  user_recv_perception?: string;
  state: 'SUCCESS' | 'FAIL';
  fail_reason?: string;
  create_time: string;
  update_time: string;
}

export interface TransferReply {
  status: number;
  body: unknown;
}

export const TRANSFER_PATH = '/v3/fund-app/mch-transfer/transfer-bills';

export class TransferSandbox {
  private bills = new Map<string, TransferBill>();
  private failArmed = 0;
  private dropArmed = 0;
  /** every request received, in order (method, path, out_bill_no) */
  readonly requests: { method: string; path: string; outBillNo: string; at: number }[] = [];

  constructor(private readonly now: () => number) {}

  /** The next `n` new bills end in FAIL (NOT_SUFFICIENT-like reason). */
  failNext(n = 1): void {
    this.failArmed += n;
  }

  /** The next `n` create requests create the bill but reply 500 (lost reply). */
  dropNextReply(n = 1): void {
    this.dropArmed += n;
  }

  list(): TransferBill[] {
    return [...this.bills.values()].map((b) => ({ ...b }));
  }

  get(outBillNo: string): TransferBill | undefined {
    const b = this.bills.get(outBillNo);
    return b ? { ...b } : undefined;
  }

  handle(method: string, path: string, body: Record<string, unknown> | null): TransferReply {
    const iso = new Date(this.now()).toISOString();
    if (method === 'POST' && path === TRANSFER_PATH) {
      const b = body || {};
      const outBillNo = typeof b.out_bill_no === 'string' ? b.out_bill_no : '';
      this.requests.push({ method, path, outBillNo, at: this.now() });
      const amount = b.transfer_amount;
      if (!/^[A-Za-z0-9_-]{5,32}$/.test(outBillNo)) return { status: 400, body: { code: 'PARAM_ERROR', message: 'out_bill_no 格式不正确' } };
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return { status: 400, body: { code: 'PARAM_ERROR', message: 'transfer_amount 必须是正整数（分）' } };
      if (typeof b.openid !== 'string' || !b.openid) return { status: 400, body: { code: 'PARAM_ERROR', message: 'openid 不能为空' } };
      const existing = this.bills.get(outBillNo);
      if (existing) {
        if (existing.transfer_amount !== amount || existing.openid !== b.openid) {
          return { status: 400, body: { code: 'PARAM_ERROR', message: '同一商户单号的转账参数不一致' } };
        }
        return { status: 200, body: { out_bill_no: outBillNo, transfer_bill_no: existing.transfer_bill_no, create_time: existing.create_time, state: existing.state } };
      }
      const fail = this.failArmed > 0;
      if (fail) this.failArmed -= 1;
      const bill: TransferBill = {
        appid: String(b.appid ?? ''),
        out_bill_no: outBillNo,
        transfer_bill_no: `1330000${Date.now().toString().slice(-8)}${randomBytes(6).toString('hex')}`,
        transfer_scene_id: String(b.transfer_scene_id ?? ''),
        openid: b.openid,
        transfer_amount: amount,
        transfer_remark: String(b.transfer_remark ?? ''),
        user_recv_perception: typeof b.user_recv_perception === 'string' ? b.user_recv_perception : undefined,
        state: fail ? 'FAIL' : 'SUCCESS',
        fail_reason: fail ? 'NOT_ENOUGH' : undefined,
        create_time: iso,
        update_time: iso,
      };
      this.bills.set(outBillNo, bill);
      if (this.dropArmed > 0) {
        this.dropArmed -= 1;
        return { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' } };
      }
      return { status: 200, body: { out_bill_no: outBillNo, transfer_bill_no: bill.transfer_bill_no, create_time: bill.create_time, state: bill.state } };
    }
    const q = `${TRANSFER_PATH}/out-bill-no/`;
    if (method === 'GET' && path.startsWith(q)) {
      let outBillNo = '';
      try {
        outBillNo = decodeURIComponent(path.slice(q.length));
      } catch {
        return { status: 400, body: { code: 'PARAM_ERROR', message: 'bad out_bill_no' } };
      }
      this.requests.push({ method, path, outBillNo, at: this.now() });
      const bill = this.bills.get(outBillNo);
      if (!bill) return { status: 404, body: { code: 'NOT_FOUND', message: '记录不存在' } };
      return { status: 200, body: { ...bill } };
    }
    return { status: 404, body: { code: 'NOT_FOUND', message: 'unknown transfer API path' } };
  }
}

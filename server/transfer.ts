/**
 * 商家转账 client (WeChat Pay v3 "商家转账到零钱", new version): pays a distributor's withdrawal to their change.
 *
 *  create: POST {base}/v3/fund-app/mch-transfer/transfer-bills
 *          {appid, out_bill_no, transfer_scene_id:'1005' (佣金报酬), openid, transfer_amount (fen), transfer_remark,
 *           user_recv_perception:'劳务报酬', transfer_scene_report_infos}
 *          → {out_bill_no, transfer_bill_no, create_time, state}
 *  query:  GET  {base}/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no} → the bill (404 = none)
 *
 * `base = process.env.TRANSFER_API_BASE || 'https://api.mch.weixin.qq.com'`. The local cloud sets
 * TRANSFER_API_BASE to its own server for every function instance (localcloud/transfer.ts serves both paths),
 * so this file is the same in production.
 *
 * NOT DONE LOCALLY (production deployment must add it): the v3 `Authorization: WECHATPAY2-SHA256-RSA2048 …`
 * header signed with the merchant's API private key (MCH_PRIVATE_KEY, MCH_SERIAL_NO, MCH_ID), and verification
 * of the response signature with the platform certificate. `signRequest` below is the hook; it adds nothing
 * unless those variables are set, and the local stand-in checks no signature.
 *
 * Idempotency: WeChat treats a repeated out_bill_no as the same bill; callers use the withdrawal's `_id` as
 * out_bill_no and query before ever retrying a request whose outcome is unknown.
 */
import * as http from 'http';
import * as https from 'https';
import { createSign, randomBytes } from 'crypto';

export const TRANSFER_PATH = '/v3/fund-app/mch-transfer/transfer-bills';
/** 佣金报酬 */
export const TRANSFER_SCENE_COMMISSION = '1005';

export type TransferState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

export interface TransferBillReply {
  outBillNo: string;
  transferBillNo?: string;
  state: TransferState;
  failReason?: string;
}

/** `unknown`: no answer (timeout, 5xx, network) — the bill may or may not exist; query before retrying. */
export type TransferOutcome = { kind: 'bill'; bill: TransferBillReply } | { kind: 'not_found' } | { kind: 'rejected'; code: string; message: string } | { kind: 'unknown'; message: string };

export function transferBase(): string {
  return (process.env.TRANSFER_API_BASE || 'https://api.mch.weixin.qq.com').replace(/\/$/, '');
}

function appId(): string {
  return process.env.WX_APPID || process.env.APPID || 'wx_local_appid';
}

/** Production signing hook (see header). */
function signRequest(method: string, pathWithQuery: string, body: string): Record<string, string> {
  const key = process.env.MCH_PRIVATE_KEY;
  const serial = process.env.MCH_SERIAL_NO;
  const mchId = process.env.MCH_ID;
  if (!key || !serial || !mchId) return {};
  const ts = Math.floor(Date.now() / 1000).toString();
  const nonce = randomBytes(16).toString('hex');
  const msg = `${method}\n${pathWithQuery}\n${ts}\n${nonce}\n${body}\n`;
  const signature = createSign('RSA-SHA256').update(msg).sign(key, 'base64');
  return {
    Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${serial}"`,
  };
}

function request(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<{ status: number; json: any }> {
  const url = new URL(transferBase() + path);
  const payload = body === undefined ? '' : JSON.stringify(body);
  const lib = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': 'distribution-mall',
    ...signRequest(method, url.pathname + url.search, payload),
  };
  if (payload) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = { raw: text };
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('transfer request timed out')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function toBill(j: any, outBillNo: string): TransferBillReply {
  return {
    outBillNo: String(j?.out_bill_no ?? outBillNo),
    transferBillNo: j?.transfer_bill_no ? String(j.transfer_bill_no) : undefined,
    state: String(j?.state ?? 'PROCESSING') as TransferState,
    failReason: j?.fail_reason ? String(j.fail_reason) : undefined,
  };
}

export interface CreateTransferInput {
  outBillNo: string;
  openid: string;
  amountFen: number;
  remark: string;
}

export async function createTransfer(input: CreateTransferInput, timeoutMs = 5000): Promise<TransferOutcome> {
  const body = {
    appid: appId(),
    out_bill_no: input.outBillNo,
    transfer_scene_id: TRANSFER_SCENE_COMMISSION,
    openid: input.openid,
    transfer_amount: input.amountFen,
    transfer_remark: input.remark.slice(0, 32),
    user_recv_perception: '劳务报酬',
    transfer_scene_report_infos: [
      { info_type: '岗位类型', info_content: '推广员' },
      { info_type: '报酬说明', info_content: '分销佣金' },
    ],
  };
  try {
    const r = await request('POST', TRANSFER_PATH, body, timeoutMs);
    if (r.status >= 200 && r.status < 300) return { kind: 'bill', bill: toBill(r.json, input.outBillNo) };
    if (r.status >= 400 && r.status < 500) return { kind: 'rejected', code: String(r.json?.code ?? r.status), message: String(r.json?.message ?? '') };
    return { kind: 'unknown', message: `HTTP ${r.status} ${String(r.json?.code ?? '')}` };
  } catch (e) {
    return { kind: 'unknown', message: (e as Error).message };
  }
}

export async function queryTransfer(outBillNo: string, timeoutMs = 5000): Promise<TransferOutcome> {
  try {
    const r = await request('GET', `${TRANSFER_PATH}/out-bill-no/${encodeURIComponent(outBillNo)}`, undefined, timeoutMs);
    if (r.status === 404) return { kind: 'not_found' };
    if (r.status >= 200 && r.status < 300) return { kind: 'bill', bill: toBill(r.json, outBillNo) };
    if (r.status >= 400 && r.status < 500) return { kind: 'rejected', code: String(r.json?.code ?? r.status), message: String(r.json?.message ?? '') };
    return { kind: 'unknown', message: `HTTP ${r.status}` };
  } catch (e) {
    return { kind: 'unknown', message: (e as Error).message };
  }
}

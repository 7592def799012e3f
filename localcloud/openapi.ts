/**
 * wx.openApi stand-in (cloud.openapi.* of wx-server-sdk). Request: protobuf CommApiData
 * {1 apiType, 2 openapiData{1 pairs[{1 key, 2 value(JSON bytes), 3 contenttype, 4 filename}]}, 6 appid}.
 * Reply: protobuf CommOpenApiResp {1 respData, 2 contentType, 3 errorCode, 4 httpCode}.
 *  - wxacode.getUnlimited / wxacode.get / wxacode.createQRCode: a real QR PNG encoding page + scene
 *  - subscribeMessage.send: appended to the outbox, errcode 0
 *  - anything else: {errcode:0, errmsg:'ok'} (recorded in `calls`)
 * Permissions: when the calling function is known, its config.json `permissions.openapi` must list the
 * api, else the frame carries errorCode -604101 (as the cloud does).
 */
import * as protobuf from 'protobufjs/minimal';
import * as QRCode from 'qrcode';

export interface OutboxMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState?: string;
  lang?: string;
  functionName: string | null;
  at: number;
}

export interface OpenApiCall {
  api: string;
  data: Record<string, unknown>;
  functionName: string | null;
  at: number;
}

export function decodeCommApiData(buf: Buffer): { apiType: number; appid?: string; pairs: { key: string; value: Buffer }[] } {
  const r = protobuf.Reader.create(buf);
  const out: { apiType: number; appid?: string; pairs: { key: string; value: Buffer }[] } = { apiType: 0, pairs: [] };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1) out.apiType = r.int32();
    else if (field === 2) {
      const end = r.uint32() + r.pos;
      while (r.pos < end) {
        const t2 = r.uint32();
        if (t2 >>> 3 === 1) {
          const pend = r.uint32() + r.pos;
          const pair = { key: '', value: Buffer.alloc(0) };
          while (r.pos < pend) {
            const t3 = r.uint32();
            const f3 = t3 >>> 3;
            if (f3 === 1) pair.key = r.string();
            else if (f3 === 2) pair.value = Buffer.from(r.bytes());
            else r.skipType(t3 & 7);
          }
          out.pairs.push(pair);
        } else r.skipType(t2 & 7);
      }
    } else if (field === 6) out.appid = r.string();
    else r.skipType(tag & 7);
  }
  return out;
}

export function encodeCommOpenApiResp(m: { respData?: Buffer; contentType?: string; errorCode?: number; httpCode?: number }): Buffer {
  const w = protobuf.Writer.create();
  if (m.respData) w.uint32(10).bytes(m.respData);
  if (m.contentType) w.uint32(18).string(m.contentType);
  if (m.errorCode) w.uint32(24).int32(m.errorCode);
  if (m.httpCode) w.uint32(32).uint32(m.httpCode);
  return Buffer.from(w.finish());
}

/** Decodes ApiOptions {1 appid} (sent with wx.wxPayApi). */
export function decodeApiOptions(buf: Buffer): { appid?: string } {
  const out: { appid?: string } = {};
  if (!buf.length) return out;
  try {
    const r = protobuf.Reader.create(buf);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) out.appid = r.string();
      else r.skipType(tag & 7);
    }
  } catch {
    /* not protobuf: ignore */
  }
  return out;
}

function json(obj: unknown): Buffer {
  return encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(obj)), contentType: 'application/json', httpCode: 200 });
}

export class OpenApi {
  readonly outbox: OutboxMessage[] = [];
  readonly calls: OpenApiCall[] = [];

  constructor(private now: () => number) {}

  /** Returns the protobuf reply frame. `allowed` = the caller's permissions.openapi, or null when unknown. */
  async handle(apiName: string, requestData: Buffer, functionName: string | null, allowed: string[] | null): Promise<Buffer> {
    if (allowed && !allowed.includes(apiName)) {
      return encodeCommOpenApiResp({ errorCode: -604101, httpCode: 200 });
    }
    let data: Record<string, unknown> = {};
    try {
      const frame = decodeCommApiData(requestData);
      for (const p of frame.pairs) {
        const text = p.value.toString('utf8');
        try {
          data[p.key] = JSON.parse(text);
        } catch {
          data[p.key] = text;
        }
      }
    } catch (e) {
      return json({ errcode: 47001, errmsg: `data format error: ${(e as Error).message}` });
    }
    this.calls.push({ api: apiName, data, functionName, at: this.now() });
    switch (apiName) {
      case 'wxacode.getUnlimited':
      case 'wxacode.get':
      case 'wxacode.createQRCode':
        return this.qr(apiName, data);
      case 'subscribeMessage.send':
        return this.subscribe(data, functionName);
      default:
        return json({ errcode: 0, errmsg: 'ok' });
    }
  }

  private async qr(apiName: string, data: Record<string, unknown>): Promise<Buffer> {
    const page = typeof data.page === 'string' ? data.page : typeof data.path === 'string' ? data.path : '';
    let text: string;
    if (apiName === 'wxacode.getUnlimited') {
      const scene = data.scene;
      if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32) {
        return json({ errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' });
      }
      text = `lcwxacode:${page || 'pages/index/index'}?scene=${encodeURIComponent(scene)}`;
    } else {
      if (!page) return json({ errcode: 41030, errmsg: 'invalid page' });
      text = `lcwxacode:${page}`;
    }
    const width = typeof data.width === 'number' ? Math.max(280, Math.min(1280, data.width)) : 430;
    const png = await QRCode.toBuffer(text, { type: 'png', width, margin: 2, errorCorrectionLevel: 'M' });
    return encodeCommOpenApiResp({ respData: png, contentType: 'image/png', httpCode: 200 });
  }

  private subscribe(data: Record<string, unknown>, functionName: string | null): Buffer {
    const touser = data.touser;
    const templateId = data.template_id;
    if (typeof touser !== 'string' || !touser) return json({ errcode: 40003, errmsg: 'invalid openid' });
    if (typeof templateId !== 'string' || !templateId) return json({ errcode: 40037, errmsg: 'invalid template id' });
    if (!data.data || typeof data.data !== 'object') return json({ errcode: 47003, errmsg: 'argument invalid! data is empty' });
    this.outbox.push({
      touser,
      templateId,
      page: typeof data.page === 'string' ? data.page : undefined,
      data: data.data as Record<string, { value: string }>,
      miniprogramState: typeof data.miniprogram_state === 'string' ? data.miniprogram_state : undefined,
      lang: typeof data.lang === 'string' ? data.lang : undefined,
      functionName,
      at: this.now(),
    });
    return json({ errcode: 0, errmsg: 'ok' });
  }
}

/**
 * HTTP surface of the local cloud (127.0.0.1 only):
 *  - POST /admin[?env=&seqId=]          the CloudBase wire protocol (JSON or multipart), dispatched by `action`
 *  - PUT/GET /storage/<path>            upload target of storage.getUploadMetadata / temp file URLs
 *  - POST /fn/<name>                    H5 transport: invoke as a client call, identity from cookie lc_openid
 *  - GET /__dev/people, POST /__dev/signin {openid}, POST /__dev/signout, POST /__dev/clock/advance {ms} (devClock)
 *  - POST /__sandbox/pay {outTradeNo}, GET /__sandbox/trade/<outTradeNo>
 *  - POST /v3/fund-app/mch-transfer/transfer-bills, GET …/out-bill-no/<no>   商家转账 stand-in (transfer.ts)
 *  - everything else: static files of the H5 build (unknown paths fall back to index.html)
 */
import * as http from 'http';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { parseMultipart } from './multipart';
import type { LocalCloudInternals } from './index';
import { TRANSFER_PATH } from './transfer';

const ADMIN_LIMIT = 10 * 1024 * 1024;
const UPLOAD_LIMIT = 50 * 1024 * 1024;
const DEV_LIMIT = 1024 * 1024;

class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `请求体过大（上限 ${Math.round(limit / 1024)} KB）`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function sendJson(res: http.ServerResponse, status: number, obj: unknown, headers: Record<string, string | string[]> = {}) {
  const body = Buffer.from(JSON.stringify(obj === undefined ? null : obj));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...headers });
  res.end(body);
}

function parseJsonBody(buf: Buffer): any {
  if (buf.length === 0) return {};
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new HttpError(400, '请求体不是合法的 JSON');
  }
}

function cookies(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[k] = part.slice(i + 1).trim();
    }
  }
  return out;
}

const OPENID_COOKIE = 'lc_openid';
function openidCookie(openid: string): string {
  return `${OPENID_COOKIE}=${encodeURIComponent(openid)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;
}
export function freshVisitorOpenid(): string {
  return `o_h5_${randomBytes(9).toString('base64url')}`;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Parse an /admin body into params (multipart: requestData/apiOptions stay Buffers, other parts are text). */
function parseAdminBody(req: http.IncomingMessage, body: Buffer): Record<string, any> {
  const ct = String(req.headers['content-type'] || '');
  if (/multipart\/form-data/i.test(ct)) {
    const params: Record<string, any> = {};
    for (const p of parseMultipart(body, ct)) {
      params[p.name] = p.name === 'requestData' || p.name === 'apiOptions' ? p.data : p.data.toString('utf8');
    }
    return params;
  }
  const parsed = parseJsonBody(body);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'body must be a JSON object');
  return parsed;
}

export function createServer(lc: LocalCloudInternals): http.Server {
  const server = http.createServer((req, res) => {
    handle(lc, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) lc.log(`HTTP ${req.method} ${req.url} failed: ${(e as Error).stack || e}`);
      if (!res.headersSent) sendJson(res, status, { code: status === 500 ? 'SYS_ERR' : 'BAD_REQUEST', message: (e as Error).message || String(e) });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

async function handle(lc: LocalCloudInternals, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url || '/', 'http://127.0.0.1');
  const p = url.pathname;
  const method = req.method || 'GET';
  // other web pages must not drive the local cloud (CSRF): SDKs send no Origin; the H5 build is same-origin
  const origin = req.headers.origin;
  if (origin && method !== 'GET' && method !== 'HEAD') {
    let host = '';
    let hostname = '';
    try {
      ({ host, hostname } = new URL(origin));
    } catch {
      /* opaque origin */
    }
    // same origin, or a local dev server (e.g. the Taro H5 dev server proxying to us)
    const local = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
    if (host !== req.headers.host && !local) throw new HttpError(403, 'cross-origin request refused');
  }

  if (p === '/admin') {
    if (method !== 'POST') throw new HttpError(405, 'POST only');
    const body = await readBody(req, ADMIN_LIMIT);
    const params = parseAdminBody(req, body);
    const reply = await lc.handleAdmin(params);
    if (reply.kind === 'json') {
      sendJson(res, 200, reply.body);
    } else {
      res.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.body.length });
      res.end(reply.body);
    }
    return;
  }

  if (p.startsWith('/storage/')) {
    let cloudPath: string;
    try {
      cloudPath = p.slice('/storage/'.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      throw new HttpError(400, 'bad path');
    }
    if (method === 'PUT') {
      const data = await readBody(req, UPLOAD_LIMIT);
      const err = lc.storage.acceptUpload(cloudPath, url.searchParams.get('upload_token'), data, req.headers['content-type']);
      if (err) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${err}</Code><Message>upload token invalid</Message><Resource>/${cloudPath}</Resource><RequestId>local</RequestId><TraceId>local</TraceId></Error>`);
        return;
      }
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    if (method === 'POST') {
      // COS-style form upload (tcb-admin-node uploadFile): fields key, x-cos-security-token, file
      const ct = String(req.headers['content-type'] || '');
      if (!/multipart\/form-data/i.test(ct)) throw new HttpError(400, 'multipart/form-data expected');
      const parts = parseMultipart(await readBody(req, UPLOAD_LIMIT), ct);
      const field = (n: string) => parts.find((x) => x.name === n);
      const file = field('file');
      const key = field('key')?.data.toString('utf8') || cloudPath;
      const token = url.searchParams.get('upload_token') || field('x-cos-security-token')?.data.toString('utf8') || null;
      const err = file ? lc.storage.acceptUpload(key.replace(/^\/+/, ''), token, file.data, file.contentType) : 'InvalidArgument';
      if (err) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${err}</Code><Message>upload refused</Message><Resource>/${key}</Resource><RequestId>local</RequestId><TraceId>local</TraceId></Error>`);
        return;
      }
      res.writeHead(204);
      res.end();
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      const f = lc.storage.get(cloudPath);
      if (!f) throw new HttpError(404, 'file not found');
      res.writeHead(200, { 'content-type': f.contentType, 'content-length': f.data.length, 'cache-control': 'no-cache' });
      res.end(method === 'HEAD' ? undefined : f.data);
      return;
    }
    throw new HttpError(405, 'method not allowed');
  }

  if (p.startsWith('/fn/')) {
    if (method !== 'POST') throw new HttpError(405, 'POST only');
    const name = decodeURIComponent(p.slice(4));
    const event = parseJsonBody(await readBody(req, DEV_LIMIT));
    let openid = cookies(req)[OPENID_COOKIE];
    const headers: Record<string, string> = {};
    if (!openid) {
      openid = freshVisitorOpenid();
      headers['set-cookie'] = openidCookie(openid);
    }
    if (!lc.runner.exists(name)) return sendJson(res, 404, { errCode: -501000, errMsg: `cloud.callFunction:fail 云函数 ${name} 不存在` }, headers);
    const clientIp = (req.socket.remoteAddress || '127.0.0.1').replace(/^::ffff:/, '');
    const out = await lc.runner.invoke(name, lc.withUserInfo(event, openid), lc.clientIdentity(openid, clientIp, 'wx_client'));
    if (out.ok) {
      const body = Buffer.from(out.json === undefined ? 'null' : out.json);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...headers });
      res.end(body);
    } else {
      sendJson(res, 502, { errCode: -504002, errMsg: `cloud.callFunction:fail ${out.error.message}` }, headers);
    }
    return;
  }

  // 商家转账 stand-in (localcloud/transfer.ts); the function runner sets TRANSFER_API_BASE to this server
  if (p === TRANSFER_PATH || p.startsWith(`${TRANSFER_PATH}/`)) {
    const body = method === 'POST' ? parseJsonBody(await readBody(req, DEV_LIMIT)) : null;
    const reply = lc.transfers.handle(method, p, body);
    return sendJson(res, reply.status, reply.body);
  }

  if (p === '/__dev/people' && (method === 'GET' || method === 'POST')) {
    return sendJson(res, 200, await lc.people());
  }
  if (p === '/__dev/whoami' && method === 'GET') {
    return sendJson(res, 200, { openid: cookies(req)[OPENID_COOKIE] || null });
  }
  if (p === '/__dev/signin' && method === 'POST') {
    const body = parseJsonBody(await readBody(req, DEV_LIMIT));
    const openid = body && body.openid;
    if (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid)) throw new HttpError(400, 'openid 格式不正确');
    return sendJson(res, 200, { openid }, { 'set-cookie': openidCookie(openid) });
  }
  if (p === '/__dev/signout' && method === 'POST') {
    const openid = freshVisitorOpenid();
    return sendJson(res, 200, { openid }, { 'set-cookie': openidCookie(openid) });
  }
  if (p === '/__dev/clock/advance' && method === 'POST') {
    if (!lc.options.devClock) throw new HttpError(404, 'dev clock is disabled (start with devClock: true)');
    const body = parseJsonBody(await readBody(req, DEV_LIMIT));
    const ms = body && body.ms;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new HttpError(400, 'ms 必须是非负数');
    await lc.clock.advance(ms);
    return sendJson(res, 200, { now: lc.clock.now() });
  }
  if (p === '/__dev/clock' && method === 'GET') {
    return sendJson(res, 200, { now: lc.clock.now(), offset: lc.clock.offset() });
  }
  if (p === '/__sandbox/pay' && method === 'POST') {
    const body = parseJsonBody(await readBody(req, DEV_LIMIT));
    const outTradeNo = body && body.outTradeNo;
    if (typeof outTradeNo !== 'string' || !outTradeNo) throw new HttpError(400, 'outTradeNo 不能为空');
    const t = lc.pay.trade(outTradeNo);
    if (!t) throw new HttpError(404, '支付单不存在');
    // a second click on an already paid trade is not an error (nothing happens); a closed trade cannot be paid
    if (t.state === 'SUCCESS' || t.state === 'REFUND') return sendJson(res, 200, { outTradeNo, state: t.state, transactionId: t.transactionId, alreadyPaid: true });
    if (t.state !== 'NOTPAY') throw new HttpError(409, `支付单已关闭，不能支付`);
    const r = await lc.pay.pay(outTradeNo);
    return sendJson(res, 200, { outTradeNo, state: r.trade.state, transactionId: r.trade.transactionId, delivered: r.delivered, attempts: r.attempts });
  }
  if (p.startsWith('/__sandbox/trade/') && method === 'GET') {
    const t = lc.pay.trade(decodeURIComponent(p.slice('/__sandbox/trade/'.length)));
    if (!t) throw new HttpError(404, '支付单不存在');
    return sendJson(res, 200, t);
  }
  if (p.startsWith('/__dev/') || p.startsWith('/__sandbox/')) throw new HttpError(404, 'not found');

  // static H5 build
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(404, 'not found');
  const dir = lc.options.staticDir;
  if (!dir) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`localcloud ${lc.envId} running (no staticDir)\n`);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(p);
  } catch {
    throw new HttpError(400, 'bad path');
  }
  const root = path.resolve(dir);
  let file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(root + path.sep)) throw new HttpError(403, 'forbidden');
  let stat = fs.existsSync(file) ? fs.statSync(file) : null;
  if (stat && stat.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = fs.existsSync(file) ? fs.statSync(file) : null;
  }
  if (!stat || !stat.isFile()) {
    // SPA fallback, but a missing asset (has an extension) is a real 404
    if (path.extname(rel) && path.extname(rel) !== '.html') throw new HttpError(404, 'not found');
    file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) throw new HttpError(404, 'index.html not found in staticDir');
  }
  const data = fs.readFileSync(file);
  const type = STATIC_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  const headers: Record<string, string | number> = { 'content-type': type, 'content-length': data.length, 'cache-control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=60' };
  // A new visitor gets their identity with the page itself, as WeChat gives every user an openid before the
  // first call: otherwise the page's first concurrent calls (login, bind, …) would each mint a different one.
  if (file.endsWith('.html') && !cookies(req)[OPENID_COOKIE]) headers['set-cookie'] = openidCookie(freshVisitorOpenid());
  res.writeHead(200, headers);
  res.end(method === 'HEAD' ? undefined : data);
}

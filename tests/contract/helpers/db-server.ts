/**
 * Minimal CloudBase `/admin` HTTP server for contract tests: POST /admin → JSON body →
 * `db.handle(body.action, body)` → JSON (HTTP 200). The full emulator lives in localcloud/server.ts.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { Database } from '../../../localcloud/db';

export interface DbServer {
  url: string; // http://127.0.0.1:PORT/admin
  actions: string[]; // every action received, in order
  bodies: any[]; // every parsed body received, in order
  close(): Promise<void>;
}

export async function startDbServer(db: Database): Promise<DbServer> {
  const actions: string[] = [];
  const bodies: any[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let out: any;
      try {
        const path = (req.url || '').split('?')[0];
        if (req.method !== 'POST' || path !== '/admin') {
          res.writeHead(404);
          res.end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        actions.push(body.action);
        bodies.push(body);
        if (db.isDatabaseAction(body.action)) out = await db.handle(body.action, body);
        else out = { code: 'INVALID_PARAM', message: `unsupported action ${body.action}`, requestId: 'x' };
      } catch (e) {
        out = { code: 'SYS_ERR', message: String(e), requestId: 'x' };
      }
      const text = JSON.stringify(out);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/admin`,
    actions,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Point the real wx-server-sdk at `url` (research §2.2). Call before requiring wx-server-sdk. */
export function setWxServerSdkEnv(url: string, openid = 'o_test_user'): void {
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: url });
  process.env.TENCENTCLOUD_SECRETID = 'local';
  process.env.TENCENTCLOUD_SECRETKEY = 'local';
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.SCF_NAMESPACE = 'local-env';
  process.env.TCB_ENV = 'local-env';
  process.env.TENCENTCLOUD_REGION = 'ap-shanghai';
  process.env.SILENCE = 'true';
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID';
  process.env.WX_OPENID = openid;
  process.env.WX_APPID = 'wx_local_app';
}

/** Load wx-server-sdk after setting the env and init it like a deployed function does. */
export function loadWxServerSdk(url: string): any {
  setWxServerSdkEnv(url);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const cloud = require('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return cloud;
}

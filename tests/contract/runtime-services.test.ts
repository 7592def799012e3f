/** openapi stand-ins, storage and timer triggers through the real wx-server-sdk. */
import { PNG } from 'pngjs';
import type { LocalCloud } from '../../localcloud';
import { startFixtureCloud } from './fixtures/helpers';

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startFixtureCloud();
});
afterAll(async () => {
  await lc?.stop();
});

describe('openapi', () => {
  test('wxacode.getUnlimited returns a real PNG', async () => {
    const r = await lc.invoke('wxapi', { action: 'qr', scene: 'ref=AB12' }, { openid: 'o_q' });
    expect(r.errCode).toBe(0);
    expect(r.contentType).toBe('image/png');
    const buf = Buffer.from(r.base64, 'base64');
    expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const png = PNG.sync.read(buf);
    expect(png.width).toBeGreaterThanOrEqual(280);
    expect(png.height).toBe(png.width);
    // a QR code has both dark and light modules
    const px = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) px.add(png.data[i]);
    expect(px.has(0) && px.has(255)).toBe(true);
    expect(lc.openapiCalls.at(-1)).toMatchObject({ api: 'wxacode.getUnlimited', functionName: 'wxapi', data: { scene: 'ref=AB12', page: 'pages/index/index', check_path: false } });
  });

  test('getUnlimited rejects a scene over 32 characters like WeChat (errcode 40169)', async () => {
    const r = await lc.invoke('wxapi', { action: 'qr', scene: 'x'.repeat(33) });
    expect(r.errCode).toBe(40169);
  });

  test('subscribeMessage.send appends to the outbox', async () => {
    const before = lc.outbox.length;
    const r = await lc.invoke('wxapi', { action: 'send', touser: 'o_target' });
    expect(r).toEqual({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' });
    expect(lc.outbox.length).toBe(before + 1);
    expect(lc.outbox.at(-1)).toMatchObject({ touser: 'o_target', templateId: 'TPL_SHIPPED', page: 'pages/order/detail?id=1', data: { thing1: { value: '已发货' } }, miniprogramState: 'developer', functionName: 'wxapi' });
  });

  test('an api missing from config.json permissions.openapi fails with -604101', async () => {
    const before = lc.outbox.length;
    expect(await lc.invoke('noperm', {})).toEqual({ sent: false, errCode: -604101 });
    expect(lc.outbox.length).toBe(before);
  });
});

describe('storage', () => {
  test('uploadFile + getTempFileURL + downloadFile + GET, deleteFile', async () => {
    const r = await lc.invoke('files', { path: 'avatars/u1.txt', text: '你好 storage' });
    expect(r.fileID).toBe('cloud://local-env.local-bucket/avatars/u1.txt');
    expect(r.list[0]).toMatchObject({ fileID: r.fileID, status: 0 });
    expect(r.list[1]).toMatchObject({ status: -503003, tempFileURL: '' });
    expect(r.downloaded).toBe('你好 storage'); // cloud.downloadFile
    const res = await fetch(r.list[0].tempFileURL);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('你好 storage');
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);

    const d = await lc.invoke('files', { path: 'tmp/x.txt', text: 'bye', remove: true });
    expect(d.deleted).toEqual([{ fileID: d.fileID, status: 0, errMsg: 'ok' }]);
    expect((await fetch(d.list[0].tempFileURL)).status).toBe(404);
  });

  test('lc.storage.put seeds a file served at /storage/<path>; a PUT without an upload token is refused', async () => {
    const id = lc.storage.put('seed/a.png', Buffer.from([1, 2, 3]), 'image/png');
    expect(id).toBe('cloud://local-env.local-bucket/seed/a.png');
    const res = await fetch(`${lc.url}/storage/seed/a.png`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
    const put = await fetch(`${lc.url}/storage/seed/a.png`, { method: 'PUT', body: 'evil' });
    expect(put.status).toBe(403);
    expect(lc.storage.get('seed/a.png')!.data).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe('legacy tcb-admin-node (ops scripts)', () => {
  test('uploadFile (COS-style form POST), callFunction and getTempFileURL', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tcb = require('tcb-admin-node');
    const app = tcb.init({ serviceUrl: `${lc.url}/admin`, secretId: 'local', secretKey: 'local', env: lc.envId });
    const up = await app.uploadFile({ cloudPath: 'seed/p.png', fileContent: { value: Buffer.from([9, 8, 7]), options: { filename: 'p.png', contentType: 'image/png' } } });
    expect(up).toEqual({ fileID: 'cloud://local-env.local-bucket/seed/p.png' });
    expect(lc.storage.get('seed/p.png')).toEqual({ data: Buffer.from([9, 8, 7]), contentType: 'image/png' });
    const f = await app.callFunction({ name: 'whoami', data: { a: 1 } });
    expect(f.result.event).toEqual({ a: 1 });
    expect(f.result.before.OPENID).toBeUndefined();
    const t = await app.getTempFileURL({ fileList: [up.fileID] });
    expect(t.fileList[0].tempFileURL).toBe(`${lc.url}/storage/seed/p.png`);
  });
});

describe('timer triggers', () => {
  const ticks = () => lc.db.find('ticks') as any[];

  test('clock.advance fires a due trigger once, with the timer event and no OPENID', async () => {
    const n0 = ticks().length;
    // every 5 minutes: advancing 4 min from an arbitrary time may or may not cross a boundary, so align first
    const now = lc.clock.now();
    const next5 = Math.ceil((now + 1) / 300e3) * 300e3;
    await lc.clock.set(next5 - 60e3); // a minute of margin: firing other triggers takes real time
    const n1 = ticks().length;
    await lc.clock.advance(500);
    expect(ticks().length).toBe(n1); // not due yet
    await lc.clock.advance(60 * 60e3); // 12 fire times skipped: at most once per advance
    const all = ticks();
    expect(all.length).toBe(n1 + 1);
    const t = all[all.length - 1];
    expect(t.event).toMatchObject({ Type: 'Timer', TriggerName: 'everyFive', Message: '' });
    expect(t.event.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(Date.parse(t.event.Time) % 300e3).toBe(0);
    expect(t.ctx.OPENID).toBeUndefined();
    expect(t.ctx.SOURCE).toBe('wx_trigger');
    expect(t.trigger).toBe('timer');
    // the function saw emulated time
    expect(Math.abs(t.now - lc.clock.now())).toBeLessThan(5000);
    expect(n0).toBeLessThanOrEqual(n1);
  });

  test('fireTimer fires now', async () => {
    const n = ticks().length;
    await expect(lc.fireTimer('ticker')).resolves.toEqual({ ok: true });
    expect(ticks().length).toBe(n + 1);
  });
});

/** Dev-server routes used by the H5 build and browser tests (plain fetch). */
import * as path from 'path';
import type { LocalCloud } from '../../localcloud';
import { startFixtureCloud, FIXTURES } from './fixtures/helpers';

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startFixtureCloud({ staticDir: path.join(FIXTURES, 'h5'), devClock: true, payRetryDelaysMs: [50, 50] });
});
afterAll(async () => {
  await lc?.stop();
});

const post = (p: string, body: unknown, cookie?: string) =>
  fetch(`${lc.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') || '').split(';')[0];

describe('dev server', () => {
  test('POST /fn/<name>: a new visitor gets a fresh o_h5_ openid cookie that identifies later calls', async () => {
    const r1 = await post('/fn/whoami', { x: 1 });
    expect(r1.status).toBe(200);
    const setCookie = r1.headers.get('set-cookie') || '';
    expect(setCookie).toMatch(/^lc_openid=o_h5_[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const body1 = await r1.json();
    const openid = cookieOf(r1).split('=')[1];
    expect(body1.before.OPENID).toBe(openid);
    expect(body1.event).toEqual({ x: 1, userInfo: { appId: 'wx_local_appid', openId: openid } });

    const r2 = await post('/fn/whoami', {}, cookieOf(r1));
    expect(r2.headers.get('set-cookie')).toBeNull();
    expect((await r2.json()).before.OPENID).toBe(openid);

    const other = await post('/fn/whoami', {});
    expect(cookieOf(other)).not.toBe(cookieOf(r1));
  });

  test('the page itself gives a new visitor their openid, so the first concurrent calls agree on who it is', async () => {
    const page = await fetch(`${lc.url}/`);
    expect(page.status).toBe(200);
    const cookie = cookieOf(page);
    expect(cookie).toMatch(/^lc_openid=o_h5_/);
    const calls = await Promise.all([1, 2, 3].map(() => post('/fn/whoami', {}, cookie)));
    const ids = await Promise.all(calls.map(async (r) => (await r.json()).before.OPENID));
    expect(new Set(ids)).toEqual(new Set([cookie.split('=')[1]]));
    expect(calls.every((r) => r.headers.get('set-cookie') === null)).toBe(true);
    // a returning visitor keeps theirs
    expect((await fetch(`${lc.url}/`, { headers: { cookie } })).headers.get('set-cookie')).toBeNull();
  });

  test('/fn errors: unknown function 404, thrown error 502, bad JSON 400, body over 1 MB 413', async () => {
    expect((await post('/fn/nope', {})).status).toBe(404);
    const e = await post('/fn/thrower', {});
    expect(e.status).toBe(502);
    expect((await e.json()).errMsg).toMatch(/boom from thrower/);
    const bad = await post('/fn/whoami', '{nope');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/JSON/);
    const big = await post('/fn/whoami', { s: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
  });

  test('people, sign in, sign out', async () => {
    lc.db.insert('users', { _id: 'o_merchant', nickname: '店长', devLabel: '商家（店长）', roles: ['merchant'] });
    lc.db.insert('users', { _id: 'o_plain', nickname: '路人' });
    const people = await (await fetch(`${lc.url}/__dev/people`)).json();
    expect(people).toEqual([{ openid: 'o_merchant', label: '商家（店长）', nickname: '店长', roles: ['merchant'] }]);

    const s = await post('/__dev/signin', { openid: 'o_merchant' });
    expect(s.status).toBe(200);
    const c = cookieOf(s);
    expect(c).toBe('lc_openid=o_merchant');
    expect((await (await post('/fn/whoami', {}, c)).json()).before.OPENID).toBe('o_merchant');
    expect((await post('/__dev/signin', { openid: 'bad id;' })).status).toBe(400);

    const out = await post('/__dev/signout', {}, c);
    const fresh = cookieOf(out);
    expect(fresh).toMatch(/^lc_openid=o_h5_/);
    expect((await (await post('/fn/whoami', {}, fresh)).json()).before.OPENID).toBe(fresh.split('=')[1]);
  });

  test('/__sandbox/pay pays a trade created by a /fn call and delivers the callback; /__sandbox/trade shows it', async () => {
    await post('/__dev/signin', { openid: 'o_payer' });
    const c = 'lc_openid=o_payer';
    const u = await (await post('/fn/payer', { action: 'unifiedOrder', outTradeNo: 'H5T1', totalFee: 88 }, c)).json();
    expect(u.payment.package).toMatch(/^prepay_id=/);
    const t0 = await (await fetch(`${lc.url}/__sandbox/trade/H5T1`)).json();
    expect(t0).toMatchObject({ state: 'NOTPAY', openid: 'o_payer', totalFee: 88 });
    const p = await post('/__sandbox/pay', { outTradeNo: 'H5T1' });
    expect(p.status).toBe(200);
    expect(await p.json()).toMatchObject({ state: 'SUCCESS', delivered: true, attempts: 1 });
    const log = lc.db.find('paylog', { outTradeNo: 'H5T1' }) as any[];
    expect(log[0].event).toMatchObject({ outTradeNo: 'H5T1', totalFee: 88, subOpenid: 'o_payer' });
    const again = await post('/__sandbox/pay', { outTradeNo: 'H5T1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ state: 'SUCCESS', alreadyPaid: true });
    expect(lc.db.find('paylog', { outTradeNo: 'H5T1' })).toHaveLength(1);
    await lc.invoke('payer', { action: 'unifiedOrder', outTradeNo: 'H5T2', totalFee: 1 }, { openid: 'o_payer' });
    await lc.invoke('payer', { action: 'closeOrder', outTradeNo: 'H5T2' }, { openid: 'o_payer' });
    expect((await post('/__sandbox/pay', { outTradeNo: 'H5T2' })).status).toBe(409);
    expect((await post('/__sandbox/pay', { outTradeNo: 'NOPE' })).status).toBe(404);
    expect((await fetch(`${lc.url}/__sandbox/trade/NOPE`)).status).toBe(404);
  });

  test('/__dev/clock/advance moves emulated time (devClock: true)', async () => {
    const before = lc.clock.now();
    const r = await post('/__dev/clock/advance', { ms: 3600e3 });
    expect(r.status).toBe(200);
    expect(lc.clock.now() - before).toBeGreaterThanOrEqual(3600e3);
    expect((await post('/__dev/clock/advance', { ms: -1 })).status).toBe(400);
  });

  test('cross-origin writes are refused (CSRF), same-origin ones pass', async () => {
    const evil = await fetch(`${lc.url}/admin`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: JSON.stringify({ action: 'database.addCollection', collectionName: 'x' }) });
    expect(evil.status).toBe(403);
    expect((await fetch(`${lc.url}/__sandbox/pay`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    const same = await fetch(`${lc.url}/fn/whoami`, { method: 'POST', headers: { origin: lc.url }, body: '{}' });
    expect(same.status).toBe(200);
  });

  test('static files with SPA fallback', async () => {
    const index = await fetch(`${lc.url}/`);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('分销商城');
    const js = await fetch(`${lc.url}/js/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const deep = await fetch(`${lc.url}/pages/order/detail?id=1`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
    expect((await fetch(`${lc.url}/js/missing.js`)).status).toBe(404);
    expect((await fetch(`${lc.url}/..%2f..%2fpackage.json`)).status).not.toBe(200);
  });
});

test('dev clock endpoint is off unless devClock: true', async () => {
  const other = await startFixtureCloud();
  try {
    const r = await fetch(`${other.url}/__dev/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 1 }) });
    expect(r.status).toBe(404);
  } finally {
    await other.stop();
  }
});

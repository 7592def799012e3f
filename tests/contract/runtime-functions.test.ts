/** Function runner with the real wx-server-sdk inside fixture functions. */
import type { LocalCloud } from '../../localcloud';
import { startFixtureCloud } from './fixtures/helpers';

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startFixtureCloud();
});
afterAll(async () => {
  await lc?.stop();
});

describe('function runner', () => {
  test('getWXContext() and event.userInfo carry the caller openid', async () => {
    const r = await lc.invoke('whoami', { a: 1 }, { openid: 'o_alice' });
    expect(r.before).toMatchObject({ OPENID: 'o_alice', APPID: 'wx_local_appid', ENV: 'local-env', SOURCE: 'wx_client', CLIENTIP: '127.0.0.1' });
    expect(r.event).toEqual({ a: 1, userInfo: { appId: 'wx_local_appid', openId: 'o_alice' } });
    const anon = await lc.invoke('whoami', {}, {});
    expect(anon.before.OPENID).toBeUndefined();
  });

  test('event and result are JSON round-tripped (Dates become ISO strings, undefined dropped)', async () => {
    const r = await lc.invoke('whoami', { d: new Date(0), u: undefined, n: 1 });
    expect(r.event.d).toBe('1970-01-01T00:00:00.000Z');
    expect('u' in r.event).toBe(false);
  });

  test('20 concurrent invocations with different openids never mix', async () => {
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => lc.invoke('whoami', { i, delayMs: 30 + ((i * 7) % 50) }, { openid: `o_user_${i}` })),
    );
    results.forEach((r, i) => {
      expect(r.event.i).toBe(i);
      expect(r.before.OPENID).toBe(`o_user_${i}`);
      expect(r.after.OPENID).toBe(`o_user_${i}`);
    });
    // a bounded pool of instances served them
    expect(new Set(results.map((r) => r.pid)).size).toBeLessThanOrEqual(8);
  });

  test('warm instance keeps module state across invocations', async () => {
    const a = await lc.invoke('whoami', {}, { openid: 'o_w' });
    const b = await lc.invoke('whoami', {}, { openid: 'o_w' });
    // sequential calls reuse an idle instance: same thread, load time unchanged, counter grows
    expect(b.pid).toBe(a.pid);
    expect(b.loadedAt).toBe(a.loadedAt);
    expect(b.calls).toBe(a.calls + 1);
  });

  test('nested callFunction works and the callee sees the caller identity; callee errors surface', async () => {
    const r = await lc.invoke('caller', { hello: 'hi', alsoFail: true }, { openid: 'o_nest' });
    expect(r.mine.OPENID).toBe('o_nest');
    expect(r.errMsg).toBe('callFunction:ok');
    expect(r.callee.event).toEqual({ hello: 'hi' });
    expect(r.callee.before.OPENID).toBe('o_nest');
    expect(r.mine.SOURCE).toBe('wx_client');
    expect(r.callee.before.SOURCE).toBe('wx_client,scf');
    expect(r.failure.errMsg).toMatch(/boom from thrower/);
  });

  test('a thrown error becomes a callFunction failure', async () => {
    await expect(lc.invoke('thrower', {}, { openid: 'o_x' })).rejects.toMatchObject({ errCode: -504002, message: expect.stringMatching(/boom from thrower/) });
    const raw = await lc.invokeRaw('thrower', {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'FUNCTIONS_EXECUTE_FAIL' } });
  });

  test('timeout (config.json timeout: 1) kills the instance, even a busy loop, and the next call works', async () => {
    const t0 = Date.now();
    const r = await lc.invokeRaw('slow', { ms: 5000, spin: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/timed out after 1 seconds/);
    expect(Date.now() - t0).toBeLessThan(3000);
    await expect(lc.invoke('slow', { ms: 10 })).resolves.toEqual({ done: true });
  });

  test('unknown function', async () => {
    const r = await lc.invokeRaw('nope', {});
    expect(r.ok).toBe(false);
  });

  test('emulated clock: the worker sees Date.now() and new Date() moved by clock.advance', async () => {
    const before = await lc.invoke('whoami', {});
    await lc.clock.advance(3 * 24 * 3600e3);
    const after = await lc.invoke('whoami', {});
    expect(after.now - before.now).toBeGreaterThanOrEqual(3 * 24 * 3600e3);
    expect(after.now - before.now).toBeLessThan(3 * 24 * 3600e3 + 60e3);
    expect(Math.abs(after.newDate - after.now)).toBeLessThan(1000);
    expect(Math.abs(lc.clock.now() - after.now)).toBeLessThan(5000);
  });

  test('counters count every /admin action by name', async () => {
    lc.counters.reset();
    await lc.invoke('caller', { hello: 1 }, { openid: 'o_c' });
    expect(lc.counters.snapshot()).toEqual({ 'functions.invokeFunction': 1 });
    lc.counters.reset();
    expect(lc.counters.snapshot()).toEqual({});
  });
});

test('bounded pool: extra concurrent calls wait in a queue (maxInstances: 2)', async () => {
  const small = await startFixtureCloud({ maxInstances: 2 });
  try {
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => small.invoke('whoami', { i, delayMs: 300 }, { openid: `o_q${i}` })));
    rs.forEach((r, i) => expect(r.before.OPENID).toBe(`o_q${i}`));
    expect(new Set(rs.map((r) => r.pid)).size).toBeLessThanOrEqual(2);
    // 6 calls of 300 ms on 2 instances need at least 3 rounds
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  } finally {
    await small.stop();
  }
});

test('idle instances beyond one per function are reclaimed (idleInstanceMs)', async () => {
  const c = await startFixtureCloud({ idleInstanceMs: 200 });
  try {
    await Promise.all([1, 2, 3].map((i) => c.invoke('whoami', { delayMs: 200 }, { openid: `o_i${i}` })));
    expect(c.instanceCounts().whoami).toBe(3);
    await new Promise((r) => setTimeout(r, 800));
    expect(c.instanceCounts().whoami).toBe(1);
    await expect(c.invoke('whoami', {}, { openid: 'o_after' })).resolves.toMatchObject({ before: { OPENID: 'o_after' } });
  } finally {
    await c.stop();
  }
});

/** Real-time timer scheduler and durable state across restarts (dataDir). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sdkEnv } from '../../localcloud';
import { startFixtureCloud } from './fixtures/helpers';

test('timers: true fires due triggers in real time, as timer invocations without OPENID', async () => {
  const lc = await startFixtureCloud({ timers: true });
  try {
    const deadline = Date.now() + 15000;
    while ((lc.db.find('ticks2') as any[]).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const ticks = lc.db.find('ticks2') as any[];
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks[0]).toMatchObject({ trigger: 'timer', openid: null, event: { Type: 'Timer', TriggerName: 'everySecond', Message: '' } });
  } finally {
    await lc.stop();
  }
});

test('dataDir: trades, callbacks state and stored files survive a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-durable-'));
  try {
    const a = await startFixtureCloud({ dataDir: dir, payRetryDelaysMs: [20] });
    await a.invoke('payer', { action: 'unifiedOrder', outTradeNo: 'D1', totalFee: 300 }, { openid: 'o_d' });
    await a.pay('D1');
    await a.invoke('payer', { action: 'unifiedOrder', outTradeNo: 'D2', totalFee: 100 }, { openid: 'o_d' });
    a.storage.put('keep/me.txt', Buffer.from('still here'));
    await a.stop();

    const b = await startFixtureCloud({ dataDir: dir });
    try {
      expect(b.trade('D1')).toMatchObject({ state: 'SUCCESS', totalFee: 300, openid: 'o_d' });
      expect((b.db.find('paylog', { outTradeNo: 'D1' }) as any[]).length).toBe(1);
      const r = await b.pay('D2');
      expect(r.delivered).toBe(true);
      expect(await (await fetch(`${b.url}/storage/keep/me.txt`)).text()).toBe('still here');
    } finally {
      await b.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sdkEnv points the SDK at /admin in SCF mode', () => {
  const env = sdkEnv('http://127.0.0.1:1234/', 'e1');
  expect(JSON.parse(env.TCB_CONTEXT_CNFG)).toEqual({ URL: 'http://127.0.0.1:1234/admin' });
  expect(env).toMatchObject({ TENCENTCLOUD_RUNENV: 'SCF', TCB_ENV: 'e1', SCF_NAMESPACE: 'e1', SILENCE: 'true' });
});

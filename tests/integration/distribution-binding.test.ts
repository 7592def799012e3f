/**
 * Distribution: joining (auto / manual approval, unique codes, inviter), binding (code, scene, self, downline,
 * concurrency, merchant move with reason), compliance refusal of settings, merchant distributor management.
 */
import { startTestCloud, call, type LocalCloud } from '../helpers/cloud';
import { seedShop, MERCHANT } from '../helpers/fixtures';
import { CrashInjector } from '../helpers/ledger-checker';
import { bind, distSettings, ensureBuyer, mkDistributor, useDistSettings } from './distribution-helpers';

jest.setTimeout(180_000);

let lc: LocalCloud;
beforeAll(async () => {
  lc = await startTestCloud();
});
afterAll(async () => {
  await lc?.stop();
});
beforeEach(async () => {
  lc.db.clear();
  seedShop(lc);
  await useDistSettings(lc);
});

const CODE_RE = /^[A-HJ-NP-Z2-9]{6,8}$/;

test('join (auto approval): free, active at once, a unique code reserved in distributor_codes; joining again is idempotent', async () => {
  ensureBuyer(lc, 'o_j1');
  const r = await call(lc, 'distribution', 'join', {}, 'o_j1');
  expect(r.ok).toBe(true);
  expect(r.data).toEqual(expect.objectContaining({ isDistributor: true, status: 'active', level: expect.objectContaining({ id: 'normal' }) }));
  expect(r.data.code).toMatch(CODE_RE);
  expect(lc.db.get('distributor_codes', r.data.code)).toEqual(expect.objectContaining({ openid: 'o_j1' }));
  const again = await call(lc, 'distribution', 'join', {}, 'o_j1');
  expect(again.data.code).toBe(r.data.code);
  expect(lc.db.find('distributors', {})).toHaveLength(1);
  // 20 concurrent joins by different people: all codes distinct
  const people = Array.from({ length: 20 }, (_, i) => `o_many_${i}`);
  people.forEach((p) => ensureBuyer(lc, p));
  const rs = await Promise.all(people.map((p) => call(lc, 'distribution', 'join', {}, p)));
  const codes = rs.map((x) => x.data.code);
  expect(new Set(codes).size).toBe(20);
  expect(lc.db.find('distributor_codes', {})).toHaveLength(21);
});

test('join (manual approval): pending until the merchant approves; reject needs a reason; every action audited', async () => {
  await useDistSettings(lc, { approval: 'manual' });
  ensureBuyer(lc, 'o_j2');
  const r = await call(lc, 'distribution', 'join', {}, 'o_j2');
  expect(r.data.status).toBe('pending');
  // a pending distributor cannot be bound to
  expect((await bind(lc, 'o_buyer_x', r.data.code)).code).toBe('BINDING_REFUSED');
  const list = await call(lc, 'admin', 'distributors.list', { status: 'pending' }, MERCHANT);
  expect(list.data.items.map((d: { openid: string }) => d.openid)).toEqual(['o_j2']);
  expect((await call(lc, 'admin', 'distributors.approve', { openid: 'o_j2' }, 'o_j2')).code).toBe('FORBIDDEN');
  const ok = await call(lc, 'admin', 'distributors.approve', { openid: 'o_j2' }, MERCHANT);
  expect(ok.data.status).toBe('active');
  expect((await call(lc, 'admin', 'distributors.freeze', { openid: 'o_j2' }, MERCHANT)).code).toBe('INVALID_INPUT');
  const fr = await call(lc, 'admin', 'distributors.freeze', { openid: 'o_j2', reason: '违规宣传' }, MERCHANT);
  expect(fr.data).toEqual(expect.objectContaining({ status: 'frozen', frozenReason: '违规宣传' }));
  const lv = await call(lc, 'admin', 'distributors.setLevel', { openid: 'o_j2', levelId: 'gold', reason: '线下大客户' }, MERCHANT);
  expect(lv.data.levelId).toBe('gold');
  expect(lv.data.levelHistory.at(-1)).toEqual(expect.objectContaining({ from: 'normal', to: 'gold', reason: '线下大客户', by: MERCHANT }));
  expect(lc.db.find('audit_logs', { target: 'o_j2' }).map((a: { action: string }) => a.action).sort()).toEqual([
    'distributors.approve',
    'distributors.freeze',
    'distributors.setLevel',
  ]);
});

test('join with an invite code sets the inviter and the ancestor chain; the buyer binding is used when no code', async () => {
  mkDistributor(lc, 'o_A', 'AAAAAA');
  mkDistributor(lc, 'o_B', 'BBBBBB', { inviter: 'o_A' });
  ensureBuyer(lc, 'o_new');
  const r = await call(lc, 'distribution', 'join', { inviteCode: 'bbbbbb' }, 'o_new');
  expect(r.ok).toBe(true);
  expect(lc.db.get('distributors', 'o_new')).toEqual(expect.objectContaining({ inviterId: 'o_B', ancestors: ['o_B', 'o_A'] }));
  // an ancestor cannot use the code of their own downline
  const bad = await call(lc, 'distribution', 'join', { inviteCode: r.data.code }, 'o_A');
  expect(bad.ok).toBe(true); // o_A is already a distributor: join is idempotent and changes nothing
  expect(lc.db.get('distributors', 'o_A').inviterId).toBeNull();
  // no code: the current binder recruits
  await bind(lc, 'o_new2', 'AAAAAA');
  await call(lc, 'distribution', 'join', {}, 'o_new2');
  expect(lc.db.get('distributors', 'o_new2')).toEqual(expect.objectContaining({ inviterId: 'o_A', ancestors: ['o_A'] }));
  const team = await call(lc, 'distribution', 'team', {}, 'o_A');
  expect(team.data.items.map((m: { openid: string }) => m.openid).sort()).toEqual(['o_B', 'o_new2']);
});

test('bind by code and by 小程序码 scene; myBinding shows who and until when; no self-binding, no binding to own downline', async () => {
  mkDistributor(lc, 'o_A', 'AAAAAA');
  mkDistributor(lc, 'o_B', 'BBBBBB', { inviter: 'o_A' });
  ensureBuyer(lc, 'o_b1');
  const r = await call(lc, 'distribution', 'bind', { code: 'AAAAAA', source: 'share_card' }, 'o_b1');
  expect(r.data).toEqual(expect.objectContaining({ action: 'bind', reason: 'FIRST_BIND' }));
  const mine = await call(lc, 'distribution', 'myBinding', {}, 'o_b1');
  expect(mine.data.binding).toEqual(expect.objectContaining({ distributorId: 'o_A', code: 'AAAAAA', source: 'share_card' }));
  expect(mine.data.binding.expiresAt).toBe(mine.data.binding.boundAt + 30 * 86400e3);
  ensureBuyer(lc, 'o_b2');
  const s = await call(lc, 'distribution', 'bind', { scene: 'c%3DBBBBBB%26p%3Dp_tee', source: 'qrcode' }, 'o_b2');
  expect(s.data.binding).toEqual(expect.objectContaining({ distributorId: 'o_B', source: 'qrcode' }));
  // self
  const self = await call(lc, 'distribution', 'bind', { code: 'AAAAAA', source: 'code' }, 'o_A');
  expect(self).toEqual(expect.objectContaining({ ok: false, code: 'BINDING_REFUSED', details: { reason: 'SELF' } }));
  // A opening a link of their own downline B
  const down = await call(lc, 'distribution', 'bind', { code: 'BBBBBB', source: 'share_card' }, 'o_A');
  expect(down).toEqual(expect.objectContaining({ ok: false, code: 'BINDING_REFUSED', details: { reason: 'DOWNLINE' } }));
  expect(lc.db.get('bindings', 'o_A')).toBeNull();
  // unknown code
  expect((await call(lc, 'distribution', 'bind', { code: 'ZZZZZZ', source: 'code' }, 'o_b1')).code).toBe('BINDING_REFUSED');
  // first-touch: a second share does not steal the buyer
  const second = await call(lc, 'distribution', 'bind', { code: 'BBBBBB', source: 'share_card' }, 'o_b1');
  expect(second.data).toEqual(expect.objectContaining({ action: 'keep', reason: 'ALREADY_BOUND' }));
  expect(lc.db.find('binding_events', { buyer: 'o_b1' })).toHaveLength(1);
});

test('10 concurrent bind calls for one buyer (different distributors) leave exactly one binding and one event', async () => {
  const codes = Array.from({ length: 10 }, (_, i) => `K${'ABCDEFGHJK'[i]}QQQQ`);
  codes.forEach((c, i) => mkDistributor(lc, `o_d${i}`, c));
  ensureBuyer(lc, 'o_racer');
  const rs = await Promise.all(codes.map((c) => call(lc, 'distribution', 'bind', { code: c, source: 'share_card' }, 'o_racer')));
  expect(rs.every((r) => r.ok)).toBe(true);
  expect(rs.filter((r) => r.data.action === 'bind')).toHaveLength(1);
  const winner = rs.find((r) => r.data.action === 'bind')!.data.binding.distributorId;
  expect(lc.db.get('bindings', 'o_racer').distributorId).toBe(winner);
  expect(lc.db.find('binding_events', { buyer: 'o_racer' })).toEqual([expect.objectContaining({ from: null, to: winner, reason: 'FIRST_BIND' })]);
  // last-touch with concurrency: every call that rebinds is a distinct event chained from the previous one
  await useDistSettings(lc, { binding: { trigger: 'visit', model: 'last_touch', expireDays: 30, protectDays: 0, storeScanRebinds: false } });
  const rs2 = await Promise.all(codes.map((c) => call(lc, 'distribution', 'bind', { code: c, source: 'share_card' }, 'o_racer')));
  const events = lc.db.find('binding_events', { buyer: 'o_racer' }, { sort: { at: 1, _id: 1 } });
  expect(events.length).toBe(1 + rs2.filter((r) => r.ok && r.data.action === 'rebind').length);
  // the current binding is the one written by the last winning event (event.at = binding.boundAt)
  const cur = lc.db.get('bindings', 'o_racer');
  expect(events.filter((e: { at: number; to: string }) => e.at === cur.boundAt && e.to === cur.distributorId)).toHaveLength(1);
  // every rebind event starts from a binding that some earlier event created
  const tos = new Set(events.map((e: { to: string }) => e.to));
  expect(events.slice(1).every((e: { from: string }) => tos.has(e.from))).toBe(true);
});

test('a crash between the binding write and its event loses no event: the next read appends it', async () => {
  mkDistributor(lc, 'o_A', 'AAAAAA');
  ensureBuyer(lc, 'o_crashy');
  const crash = new CrashInjector(lc);
  try {
    // write 1 = the binding (with its pending event), write 2 = the event: crash before it
    crash.arm({ fn: 'distribution', atWrite: 2, mode: 'before' });
    const r = await call(lc, 'distribution', 'bind', { code: 'AAAAAA', source: 'share_card' }, 'o_crashy');
    expect(r.ok).toBe(false);
    expect(crash.fired).toHaveLength(1);
  } finally {
    crash.restore();
  }
  expect(lc.db.get('bindings', 'o_crashy')).toEqual(expect.objectContaining({ distributorId: 'o_A', eventPending: expect.objectContaining({ to: 'o_A' }) }));
  expect(lc.db.find('binding_events', { buyer: 'o_crashy' })).toHaveLength(0);
  const mine = await call(lc, 'distribution', 'myBinding', {}, 'o_crashy');
  expect(mine.data.binding).toEqual(expect.objectContaining({ distributorId: 'o_A' }));
  expect(lc.db.find('binding_events', { buyer: 'o_crashy' })).toEqual([expect.objectContaining({ from: null, to: 'o_A', reason: 'FIRST_BIND', source: 'share_card' })]);
  expect(lc.db.get('bindings', 'o_crashy').eventPending).toBeUndefined();
  // a retry of the same bind is a no-op (no second event)
  await call(lc, 'distribution', 'bind', { code: 'AAAAAA', source: 'share_card' }, 'o_crashy');
  expect(lc.db.find('binding_events', { buyer: 'o_crashy' })).toHaveLength(1);
});

test('the merchant moves a binding with a recorded reason (event source merchant, audit log)', async () => {
  mkDistributor(lc, 'o_A', 'AAAAAA');
  mkDistributor(lc, 'o_B', 'BBBBBB');
  await bind(lc, 'o_b1', 'AAAAAA');
  expect((await call(lc, 'admin', 'bindings.move', { buyer: 'o_b1', to: 'o_B' }, MERCHANT)).code).toBe('INVALID_INPUT');
  const r = await call(lc, 'admin', 'bindings.move', { buyer: 'o_b1', to: 'o_B', reason: '客户要求更换顾问' }, MERCHANT);
  expect(r.ok).toBe(true);
  expect(lc.db.get('bindings', 'o_b1').distributorId).toBe('o_B');
  const ev = lc.db.find('binding_events', { buyer: 'o_b1' }, { sort: { at: 1 } });
  expect(ev.at(-1)).toEqual(expect.objectContaining({ from: 'o_A', to: 'o_B', source: 'merchant', note: '客户要求更换顾问', by: MERCHANT }));
  expect(lc.db.find('audit_logs', { action: 'bindings.move' })).toHaveLength(1);
});

test('compliance: saving a 3-tier or head-count rule set is refused with the reason in Chinese; a valid one is stored', async () => {
  const three = { ...distSettings(), tiers: 3 };
  const r1 = await call(lc, 'admin', 'distribution.settings.save', { settings: three }, MERCHANT);
  expect(r1).toEqual(expect.objectContaining({ ok: false, code: 'COMPLIANCE_VIOLATION' }));
  expect(r1.message).toMatch(/两级/);
  const s = distSettings();
  const head = { ...s, levels: s.levels.map((l, i) => (i === 1 ? { ...l, upgrade: { ...l.upgrade!, teamSize: 10 } } : l)) };
  const r2 = await call(lc, 'admin', 'distribution.settings.save', { settings: head }, MERCHANT);
  expect(r2).toEqual(expect.objectContaining({ ok: false, code: 'COMPLIANCE_VIOLATION' }));
  expect(r2.message).toMatch(/人数/);
  expect(lc.db.get('settings', 'distribution').tiers).toBe(2); // unchanged
  const ok = await call(lc, 'admin', 'distribution.settings.save', { settings: { ...s, tiers: 1, capBp: 3000, globalRateBp: { 1: 800, 2: 0 } } }, MERCHANT);
  expect(ok.ok).toBe(true);
  const got = await call(lc, 'admin', 'distribution.settings.get', {}, MERCHANT);
  expect(got.data.settings).toEqual(expect.objectContaining({ tiers: 1, capBp: 3000 }));
  expect(lc.db.find('audit_logs', { action: 'distribution.settings.save' })).toHaveLength(1);
  expect((await call(lc, 'admin', 'distribution.settings.save', { settings: s }, 'o_buyer_1')).code).toBe('FORBIDDEN');
});

test('share: card path, Moments query and a 小程序码 PNG in storage (cached per code + product)', async () => {
  mkDistributor(lc, 'o_A', 'AAAAAA');
  const r = await call(lc, 'distribution', 'share', { productId: 'p_tee' }, 'o_A');
  expect(r.ok).toBe(true);
  expect(r.data).toEqual(expect.objectContaining({ code: 'AAAAAA', path: '/pages/product/index?id=p_tee&dc=AAAAAA', query: 'dc=AAAAAA&id=p_tee', scene: 'c=AAAAAA&p=p_tee' }));
  expect(r.data.fileID).toMatch(/^cloud:\/\//);
  // 分享赚: tier 1 on the cheapest SKU (5900) at the 普通 level rate (10%), by the same rules as real orders
  expect(r.data.expectedFen).toBe(590);
  const png = lc.storage.get('wxacode/AAAAAA-p_tee.png');
  expect(png!.data.subarray(1, 4).toString()).toBe('PNG');
  const calls = lc.openapiCalls.filter((c) => c.api === 'wxacode.getUnlimited');
  expect(calls).toHaveLength(1);
  expect(calls[0].data).toEqual(expect.objectContaining({ scene: 'c=AAAAAA&p=p_tee', page: 'pages/index/index', check_path: false }));
  const again = await call(lc, 'distribution', 'share', { productId: 'p_tee' }, 'o_A');
  expect(again.data.fileID).toBe(r.data.fileID);
  expect(lc.openapiCalls.filter((c) => c.api === 'wxacode.getUnlimited')).toHaveLength(1);
  const res = await fetch(again.data.qrcodeUrl);
  expect(res.status).toBe(200);
  expect((await call(lc, 'distribution', 'share', {}, 'o_nobody')).code).toBe('NOT_DISTRIBUTOR');
});

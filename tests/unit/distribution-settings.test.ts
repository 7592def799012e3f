import {
  DEFAULT_DISTRIBUTION_SETTINGS,
  defaultDistributionSettings,
  resolveDistributionSettings,
  validateDistributionSettings,
  validatePromotionCommission,
  type DistributionSettings,
} from '../../core/distribution';

const CTX = { returnWindowDays: 7 };
const CJK = /[\u4e00-\u9fa5]/;

type Mut = Record<string, any>;
/** The defaults with a change applied (deep copy). */
function withChange(change: (s: Mut) => void): unknown {
  const s = defaultDistributionSettings() as unknown as Mut;
  change(s);
  return s;
}

function refusal(input: unknown, ctx = CTX) {
  const r = validateDistributionSettings(input, ctx);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.message).toMatch(CJK);
  return r;
}

describe('DEFAULT_DISTRIBUTION_SETTINGS', () => {
  it('has the documented values', () => {
    const d = DEFAULT_DISTRIBUTION_SETTINGS;
    expect(d.tiers).toBe(2);
    expect(d.capBp).toBe(5000);
    expect(d.selfPurchase).toBe(false);
    expect(d.globalRateBp).toEqual({ 1: 1000, 2: 300 });
    expect(d.binding).toEqual({ trigger: 'visit', model: 'expiring', expireDays: 30, protectDays: 7, storeScanRebinds: false });
    expect(d.levels.map((l) => [l.id, l.name, l.tier1Bp, l.tier2Bp])).toEqual([
      ['normal', '普通', 1000, null],
      ['senior', '高级', 1200, 300],
      ['gold', '金牌', 1500, 500],
    ]);
    expect(d.levels[1].upgrade).toEqual({ netSalesFen: 100000, completedOrders: 5, periodDays: 90 });
    expect(d.settlement).toEqual({ cycle: 'weekly', mode: 'auto' });
    expect(d.freezeDays).toBe(7);
    expect(d.withdrawal).toEqual({ minFen: 100, dailyLimitFen: 2000000, autoApproveBelowFen: 50000 });
  });

  it('is accepted by the validator unchanged (also after a JSON round trip, as stored)', () => {
    const r = validateDistributionSettings(JSON.parse(JSON.stringify(DEFAULT_DISTRIBUTION_SETTINGS)), CTX);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data).toEqual(DEFAULT_DISTRIBUTION_SETTINGS);
  });

  it('stored doc fields _id/updatedAt are dropped, not refused', () => {
    const r = validateDistributionSettings({ ...defaultDistributionSettings(), _id: 'distribution', updatedAt: 1 }, CTX);
    expect(r.ok).toBe(true);
    if (r.ok) expect('_id' in r.data).toBe(false);
  });

  it('resolveDistributionSettings fills missing keys from the defaults', () => {
    expect(resolveDistributionSettings(null)).toEqual(DEFAULT_DISTRIBUTION_SETTINGS);
    const r = resolveDistributionSettings({ capBp: 3000, binding: { model: 'permanent' } });
    expect(r.capBp).toBe(3000);
    expect(r.binding.model).toBe('permanent');
    expect(r.binding.expireDays).toBe(30);
    expect(r.levels).toHaveLength(3);
  });
});

describe('compliance validator (DESIGN §9) refuses with a Chinese reason', () => {
  const compliance: [string, (s: Mut) => void, RegExp][] = [
    ['3 tiers', (s) => (s.tiers = 3), /最多两级/],
    ['a tier-3 global rate', (s) => (s.globalRateBp[3] = 100), /最多两级/],
    ['a tier-3 level field', (s) => (s.levels[2].tier3Bp = 100), /最多两级/],
    ['a rule for tier 3', (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p1', bp: 100, tier: 3 }), /最多两级/],
    ['cap above 100%', (s) => (s.capBp = 10001), /佣金上限/],
    ['negative cap', (s) => (s.capBp = -1), /佣金上限/],
    ['a global rate above the cap', (s) => ((s.capBp = 800), (s.levels = [{ id: 'n', name: '普通', tier1Bp: 500, tier2Bp: null, upgrade: null }])), /不得超过佣金上限/],
    ['a level rate above the cap', (s) => (s.levels[2].tier1Bp = 6000), /不得超过佣金上限/],
    ['a level tier1+tier2 above the cap', (s) => ((s.levels[2].tier1Bp = 4000), (s.levels[2].tier2Bp = 1500)), /之和不得超过佣金上限/],
    ['global tier1+tier2 above the cap', (s) => (s.globalRateBp = { 1: 4000, 2: 1500 }), /之和不得超过佣金上限/],
    ['a rule bp above the cap', (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p1', bp: 5001 }), /不得超过佣金上限/],
    [
      'an amount-tier bp above the cap',
      (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p1', bp: 100, amountTiers: [{ minBaseFen: 0, bp: 100 }, { minBaseFen: 10000, bp: 9000 }] }),
      /不得超过佣金上限/,
    ],
    ['a join fee', (s) => (s.joinFee = 9900), /不得收取费用/],
    ['a required purchase', (s) => (s.requirePurchase = true), /要求购买商品/],
    ['a paid membership', (s) => (s.membershipFee = 19900), /付费会员/],
    ['a spend threshold to join', (s) => (s.minSpendToJoin = 100000), /消费门槛/],
    ['a purchase threshold on a level', (s) => (s.levels[1].requirePurchaseFen = 100), /不得收取费用/],
    ['a head-count upgrade (recruits)', (s) => (s.levels[1].upgrade.recruits = 10), /等级升级不得以发展人数为条件/],
    ['a head-count upgrade (teamSize)', (s) => (s.levels[2].upgrade.teamSize = 30), /等级升级不得以发展人数为条件/],
    ['a head-count upgrade (invites)', (s) => (s.levels[2].upgrade.invites = 5), /等级升级不得以发展人数为条件/],
    ['a head-count upgrade (directMembers)', (s) => (s.levels[2].upgrade.directMembers = 5), /等级升级不得以发展人数为条件/],
    ['a recruit reward', (s) => (s.recruitReward = 500), /拉人头/],
    ['an invite reward', (s) => (s.inviteReward = { fen: 500 }), /拉人头/],
    ['a reward on a level', (s) => (s.levels[0].newUserBonusFen = 100), /拉人头/],
    ['a team-size condition outside upgrades', (s) => (s.minTeamSizeToEarn = 3), /发展人数或团队规模/],
    ['a team commission on downline sales beyond tier 2', (s) => (s.levels[2].teamOverrideBp = 100), /发展人数或团队规模/],
    ['a freeze shorter than the return window', (s) => (s.freezeDays = 3), /冻结期不得短于退货期/],
  ];
  it.each(compliance)('%s', (_name, change, msg) => {
    const r = refusal(withChange(change));
    expect(r.code).toBe('COMPLIANCE_VIOLATION');
    expect(r.message).toMatch(msg);
    expect((r.details as { path: string }).path).toEqual(expect.any(String));
  });

  it('the freeze must cover the shop return window given in the context', () => {
    expect(validateDistributionSettings(withChange((s) => (s.freezeDays = 7)), { returnWindowDays: 7 }).ok).toBe(true);
    expect(refusal(withChange((s) => (s.freezeDays = 7)), { returnWindowDays: 8 }).message).toMatch(/冻结期不得短于退货期/);
  });

  const malformed: [string, (s: Mut) => void, RegExp][] = [
    ['an unknown key', (s) => (s.colour = 'red'), /不支持的设置项/],
    ['a fractional rate', (s) => (s.levels[0].tier1Bp = 10.5), /整数/],
    ['a string rate', (s) => (s.globalRateBp[1] = '1000'), /整数/],
    ['a negative rate', (s) => (s.levels[0].tier1Bp = -1), /负数/],
    ['tiers 0', (s) => (s.tiers = 0), /分销层级/],
    ['a missing key', (s) => delete s.withdrawal, /缺少设置项/],
    ['no levels', (s) => (s.levels = []), /至少需要一个/],
    ['duplicate level ids', (s) => (s.levels[1].id = 'normal'), /重复/],
    ['a rule with both bp and perUnitFen', (s) => s.rules.push({ id: 'r', scope: 'sku', targetId: 's1', bp: 100, perUnitFen: 100 }), /只能设置比例或固定金额之一/],
    ['a rule with neither', (s) => s.rules.push({ id: 'r', scope: 'sku', targetId: 's1' }), /只能设置比例或固定金额之一/],
    ['an excluded rule with a rate', (s) => s.rules.push({ id: 'r', scope: 'sku', targetId: 's1', excluded: true, bp: 100 }), /不能同时设置佣金/],
    [
      'amount tiers not ascending',
      (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p', bp: 100, amountTiers: [{ minBaseFen: 500, bp: 200 }, { minBaseFen: 100, bp: 300 }] }),
      /从小到大/,
    ],
    ['amount tiers with a fixed amount', (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p', perUnitFen: 100, amountTiers: [{ minBaseFen: 0, bp: 200 }] }), /阶梯佣金只能与比例佣金/],
    ['an amount tier with a fractional bp', (s) => s.rules.push({ id: 'r', scope: 'product', targetId: 'p', bp: 100, amountTiers: [{ minBaseFen: 0, bp: 2.5 }] }), /整数/],
    ['a bad rule scope', (s) => s.rules.push({ id: 'r', scope: 'brand', targetId: 'p', bp: 100 }), /适用范围/],
    ['duplicate rules for one target', (s) => s.rules.push({ id: 'a', scope: 'product', targetId: 'p', bp: 100 }, { id: 'b', scope: 'product', targetId: 'p', bp: 200 }), /重复/],
    ['withdrawal min 0', (s) => (s.withdrawal.minFen = 0), /最低提现金额/],
    ['withdrawal fractional fen', (s) => (s.withdrawal.minFen = 99.5), /整数/],
    ['daily limit below the minimum', (s) => ((s.withdrawal.minFen = 1000), (s.withdrawal.dailyLimitFen = 500), (s.withdrawal.autoApproveBelowFen = 0)), /每日提现限额不能低于/],
    ['auto-approve above the daily limit', (s) => (s.withdrawal.autoApproveBelowFen = 3000000), /自动审核额度不能高于/],
    ['a bad settlement cycle', (s) => (s.settlement.cycle = 'hourly'), /结算周期/],
    ['a bad binding model', (s) => (s.binding.model = 'forever'), /绑定方式/],
    ['expireDays 0', (s) => (s.binding.expireDays = 0), /绑定有效天数/],
    ['not an object', () => undefined, /格式不正确/],
  ];
  it.each(malformed)('malformed: %s', (_name, change, msg) => {
    const input = _name === 'not an object' ? 'x' : withChange(change);
    const r = refusal(input);
    expect(r.code).toBe('INVALID_INPUT');
    expect(r.message).toMatch(msg);
  });

  it('accepts a rich compliant configuration and normalises it', () => {
    const input = withChange((s) => {
      s.tiers = 1;
      s.approval = 'manual';
      s.binding = { trigger: 'first_order', model: 'last_touch', expireDays: 15, protectDays: 3, storeScanRebinds: true };
      s.rules = [
        { id: 'r1', scope: 'sku', targetId: 's1', perUnitFen: 500 },
        { id: 'r2', scope: 'product', targetId: 'p1', excluded: true },
        { id: 'r3', scope: 'category', targetId: 'c1', bp: 800, amountTiers: [{ minBaseFen: 0, bp: 800 }, { minBaseFen: 100000, bp: 1000 }] },
        { id: 'r4', scope: 'category', targetId: 'c1', bp: 200, tier: 2 },
      ];
      s.settlement = { cycle: 'monthly', mode: 'manual' };
      s.freezeDays = 15;
    });
    const r = validateDistributionSettings(input, CTX);
    expect(r.ok).toBe(true);
    if (r.ok) {
      const d: DistributionSettings = r.data;
      expect(d.rules).toHaveLength(4);
      expect(d.rules[1]).toEqual({ id: 'r2', scope: 'product', targetId: 'p1', excluded: true });
      expect(d.binding.model).toBe('last_touch');
    }
  });

  it('tier-2 rates do not count against the cap when only one tier is configured', () => {
    const r = validateDistributionSettings(withChange((s) => ((s.tiers = 1), (s.levels[2].tier1Bp = 5000))), CTX);
    expect(r.ok).toBe(true);
    expect(refusal(withChange((s) => (s.levels[2].tier1Bp = 5000))).message).toMatch(/之和/);
  });
});

describe('validatePromotionCommission', () => {
  it('accepts {enabled} and a bp within the cap, refuses a bp above it and unknown keys', () => {
    expect(validatePromotionCommission({ enabled: false }, 5000)).toEqual({ ok: true, data: { enabled: false } });
    expect(validatePromotionCommission({ enabled: true, bp: 500 }, 5000)).toEqual({ ok: true, data: { enabled: true, bp: 500 } });
    const over = validatePromotionCommission({ enabled: true, bp: 6000 }, 5000);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.code).toBe('COMPLIANCE_VIOLATION');
    const reward = validatePromotionCommission({ enabled: true, inviteReward: 100 }, 5000);
    expect(!reward.ok && reward.message).toMatch(/拉人头/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

import { fc, fcParams } from './fc-setup';

describe('validator properties', () => {
  const bp = fc.integer({ min: 0, max: 10000 });
  const arb = fc.record({
    tiers: fc.constantFrom<1 | 2>(1, 2),
    capBp: bp,
    g1: bp,
    g2: bp,
    levels: fc.array(fc.record({ t1: bp, t2: fc.option(bp, { nil: null }) }), { minLength: 1, maxLength: 4 }),
    freezeDays: fc.integer({ min: 0, max: 30 }),
    window: fc.integer({ min: 0, max: 30 }),
    forbidden: fc.option(
      fc.record({
        where: fc.constantFrom('top', 'level', 'upgrade', 'binding', 'withdrawal'),
        key: fc.constantFrom('joinFee', 'requirePurchase', 'membershipFee', 'minSpendToJoin', 'recruitReward', 'inviteReward', 'teamSize', 'recruits', 'tier3Bp', 'inviteBonusFen'),
      }),
      { nil: null },
    ),
  });

  it('accepts exactly the configurations within the cap and the return window; any forbidden key is refused for compliance', () => {
    fc.assert(
      fc.property(arb, (x) => {
        const s = defaultDistributionSettings() as unknown as Mut;
        s.tiers = x.tiers;
        s.capBp = x.capBp;
        s.globalRateBp = { 1: x.g1, 2: x.g2 };
        s.levels = x.levels.map((l, i) => ({ id: `l${i}`, name: `等级${i}`, tier1Bp: l.t1, tier2Bp: l.t2, upgrade: { netSalesFen: 100, completedOrders: 1, periodDays: 30 } }));
        s.freezeDays = x.freezeDays;
        if (x.forbidden) {
          const target = { top: s, level: s.levels[0], upgrade: s.levels[0].upgrade, binding: s.binding, withdrawal: s.withdrawal }[x.forbidden.where];
          target[x.forbidden.key] = 1;
        }
        const r = validateDistributionSettings(s, { returnWindowDays: x.window });
        const within =
          [x.g1, x.g2, ...x.levels.flatMap((l) => [l.t1, l.t2 ?? 0])].every((v) => v <= x.capBp) &&
          x.g1 + (x.tiers === 2 ? x.g2 : 0) <= x.capBp &&
          x.levels.every((l) => l.t1 + (x.tiers === 2 ? (l.t2 ?? 0) : 0) <= x.capBp) &&
          x.freezeDays >= x.window;
        if (x.forbidden) {
          if (r.ok || r.code !== 'COMPLIANCE_VIOLATION' || !CJK.test(r.message)) throw new Error(`forbidden ${x.forbidden.key} accepted`);
        } else if (r.ok !== within) {
          throw new Error(`expected ${within ? 'accept' : 'refuse'}: ${r.ok ? '' : r.message}`);
        } else if (!r.ok) {
          if (r.code !== 'COMPLIANCE_VIOLATION' || !CJK.test(r.message)) throw new Error(r.message);
        } else if (JSON.stringify(validateDistributionSettings(r.data, { returnWindowDays: x.window })) !== JSON.stringify(r)) {
          throw new Error('not idempotent');
        }
      }),
      fcParams(),
    );
  });
});

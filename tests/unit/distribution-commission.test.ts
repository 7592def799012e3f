import {
  applyCap,
  computeCommission,
  defaultDistributionSettings,
  lineCapFen,
  resolveRate,
  reversalFor,
  type Binding,
  type CommissionLineInput,
  type ComputeCommissionInput,
  type DistributionSettings,
  type DistributorRef,
} from '../../core/distribution';
import { DAY_MS } from '../../core/time';
import { fc, fcParams } from './fc-setup';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const binding = (distributorId: string, over: Partial<Binding> = {}): Binding => ({
  distributorId,
  source: 'share_card',
  boundAt: NOW - DAY_MS,
  expiresAt: NOW + 29 * DAY_MS,
  protectedUntil: null,
  ...over,
});
const dist = (openid: string, levelId: string, inviterId: string | null = null, status: DistributorRef['status'] = 'active'): DistributorRef => ({
  openid,
  status,
  levelId,
  inviterId,
});
const line = (lineId: string, payable: number, over: Partial<CommissionLineInput> = {}): CommissionLineInput => ({
  lineId,
  skuId: `sku-${lineId}`,
  productId: `prod-${lineId}`,
  categoryId: 'cat-1',
  qty: 1,
  payable,
  promotionIds: [],
  ...over,
});

function input(over: Partial<ComputeCommissionInput> & { settings?: DistributionSettings } = {}): ComputeCommissionInput {
  return {
    order: { buyer: 'D', lines: [line('L1', 10000)] },
    binding: binding('C'),
    binder: dist('C', 'senior', 'B'),
    inviter: dist('B', 'gold', 'A'),
    settings: defaultDistributionSettings(),
    promotions: [],
    now: NOW,
    ...over,
  };
}

describe('computeCommission — who earns', () => {
  it('chain A→B→C→D: D buys bound to C → C earns tier 1 and B tier 2, nobody else', () => {
    const r = computeCommission(input());
    expect(r.lines.map((l) => [l.tier, l.beneficiary, l.amountFen, l.ruleSource])).toEqual([
      [1, 'C', 1200, 'level'], // senior tier1 12%
      [2, 'B', 500, 'level'], // gold tier2 5%
    ]);
    expect(r.beneficiaries).toEqual([
      { openid: 'C', tier: 1, levelId: 'senior' },
      { openid: 'B', tier: 2, levelId: 'gold' },
    ]);
    expect(r.lines.some((l) => l.beneficiary === 'A' || l.beneficiary === 'D')).toBe(false);
    expect(r.totalFen).toBe(1700);
    expect(r.reasons).toEqual([]);
  });

  it('no binding / expired binding → nothing, with the reason', () => {
    const none = computeCommission(input({ binding: null, binder: null, inviter: null }));
    expect(none.lines).toEqual([]);
    expect(none.reasons.map((x) => x.code)).toEqual(['NO_BINDING']);
    const expired = computeCommission(input({ binding: binding('C', { expiresAt: NOW }) }));
    expect(expired.lines).toEqual([]);
    expect(expired.reasons[0]).toEqual({ code: 'BINDING_EXPIRED', message: expect.stringMatching(/过期/) });
  });

  it('an inactive binder earns nothing (and neither does the inviter)', () => {
    for (const status of ['frozen', 'pending', 'rejected'] as const) {
      const r = computeCommission(input({ binder: dist('C', 'senior', 'B', status) }));
      expect(r.lines).toEqual([]);
      expect(r.reasons.map((x) => x.code)).toEqual(['DISTRIBUTOR_INACTIVE']);
    }
  });

  it('tier 2 needs two tiers, an active inviter and a level granting 团队佣金', () => {
    const s1 = defaultDistributionSettings();
    s1.tiers = 1;
    expect(computeCommission(input({ settings: s1 })).lines.map((l) => l.tier)).toEqual([1]);

    const frozen = computeCommission(input({ inviter: dist('B', 'gold', 'A', 'frozen') }));
    expect(frozen.lines.map((l) => l.tier)).toEqual([1]);
    expect(frozen.reasons).toEqual([expect.objectContaining({ code: 'DISTRIBUTOR_INACTIVE', tier: 2 })]);

    const normal = computeCommission(input({ inviter: dist('B', 'normal', 'A') }));
    expect(normal.lines.map((l) => l.tier)).toEqual([1]);
    expect(normal.reasons.map((x) => x.code)).toEqual(['TIER2_NOT_GRANTED']);

    // an inviter doc that is not the binder's inviter is ignored
    const wrong = computeCommission(input({ inviter: dist('X', 'gold') }));
    expect(wrong.lines.map((l) => l.beneficiary)).toEqual(['C']);
  });

  it('self-purchase is off by default: a distributor buying through their own binding or as a distributor earns nothing', () => {
    const viaBinding = computeCommission(input({ order: { buyer: 'C', lines: [line('L1', 10000)] } }));
    expect(viaBinding.lines).toEqual([]);
    expect(viaBinding.reasons.map((x) => x.code)).toEqual(['SELF_PURCHASE_OFF']);
    // buyer C is a distributor bound to someone else (E): still a self-purchase, E does not earn either
    const asDistributor = computeCommission(
      input({ order: { buyer: 'C', lines: [line('L1', 10000)] }, binding: binding('E'), binder: dist('E', 'gold'), inviter: null, buyerDistributor: dist('C', 'senior', 'B') }),
    );
    expect(asDistributor.lines).toEqual([]);
    expect(asDistributor.reasons.map((x) => x.code)).toEqual(['SELF_PURCHASE_OFF']);
  });

  it('self-purchase on: the buyer earns tier 1 and their inviter tier 2', () => {
    const s = defaultDistributionSettings();
    s.selfPurchase = true;
    const r = computeCommission(
      input({ settings: s, order: { buyer: 'C', lines: [line('L1', 10000)] }, binding: null, binder: null, inviter: null, buyerDistributor: dist('C', 'senior', 'B'), buyerInviter: dist('B', 'gold') }),
    );
    expect(r.lines.map((l) => [l.tier, l.beneficiary, l.amountFen])).toEqual([
      [1, 'C', 1200],
      [2, 'B', 500],
    ]);
  });

  it('the buyer never earns tier 2 on their own purchase unless self-purchase is on', () => {
    // B recruited C; B (not passed as a distributor) buys through C's link
    const r = computeCommission(input({ order: { buyer: 'B', lines: [line('L1', 10000)] } }));
    expect(r.lines.map((l) => [l.tier, l.beneficiary])).toEqual([[1, 'C']]);
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'SELF_PURCHASE_OFF', tier: 2 })]);
  });

  it('distribution switched off → nothing', () => {
    const s = defaultDistributionSettings();
    s.enabled = false;
    expect(computeCommission(input({ settings: s })).reasons.map((x) => x.code)).toEqual(['DISTRIBUTION_DISABLED']);
  });
});

describe('computeCommission — rates and precedence', () => {
  const settingsWith = (rules: DistributionSettings['rules']) => {
    const s = defaultDistributionSettings();
    s.rules = rules;
    return s;
  };

  it('SKU rule → product rule → promotion override → category rule → level → global', () => {
    const l = line('L1', 10000, { skuId: 's1', productId: 'p1', categoryId: 'c1', promotionIds: ['promo'] });
    const promotions = [{ id: 'promo', commission: { enabled: true, bp: 700 } }];
    const all = settingsWith([
      { id: 'c', scope: 'category', targetId: 'c1', bp: 900 },
      { id: 'p', scope: 'product', targetId: 'p1', bp: 300 },
      { id: 's', scope: 'sku', targetId: 's1', bp: 200 },
    ]);
    const at = (s: DistributionSettings, levelId: string | null = 'senior') =>
      resolveRate({ line: l, tier: 1, levelId, settings: s, promotions, orderBaseFen: 10000 });
    expect(at(all)).toEqual({ excluded: false, source: 'sku', rate: { type: 'bp', bp: 200 } });
    expect(at(settingsWith(all.rules.slice(0, 2)))).toMatchObject({ source: 'product', rate: { bp: 300 } });
    expect(at(settingsWith(all.rules.slice(0, 1)))).toMatchObject({ source: 'promotion', rate: { bp: 700 } });
    expect(resolveRate({ line: l, tier: 1, levelId: 'senior', settings: settingsWith(all.rules.slice(0, 1)), promotions: [], orderBaseFen: 10000 })).toMatchObject({
      source: 'category',
      rate: { bp: 900 },
    });
    expect(resolveRate({ line: l, tier: 1, levelId: 'senior', settings: settingsWith([]), promotions: [], orderBaseFen: 10000 })).toMatchObject({
      source: 'level',
      rate: { bp: 1200 },
    });
    expect(resolveRate({ line: l, tier: 1, levelId: 'gone', settings: settingsWith([]), promotions: [], orderBaseFen: 10000 })).toMatchObject({
      source: 'global',
      rate: { bp: 1000 },
    });
  });

  it('a rate rule without tier applies to tier 1 only; a tier-2 rule sets tier 2', () => {
    const s = settingsWith([
      { id: 'p', scope: 'product', targetId: 'prod-L1', bp: 2000 },
      { id: 'p2', scope: 'product', targetId: 'prod-L1', bp: 100, tier: 2 },
    ]);
    const r = computeCommission(input({ settings: s }));
    expect(r.lines.map((l) => [l.tier, l.amountFen, l.ruleSource])).toEqual([
      [1, 2000, 'product'],
      [2, 100, 'product'],
    ]);
    const onlyT1 = computeCommission(input({ settings: settingsWith([{ id: 'p', scope: 'product', targetId: 'prod-L1', bp: 2000 }]) }));
    expect(onlyT1.lines.map((l) => [l.tier, l.amountFen, l.ruleSource])).toEqual([
      [1, 2000, 'product'],
      [2, 500, 'level'],
    ]);
  });

  it('an excluded product earns nothing on either tier; other lines still earn', () => {
    const s = settingsWith([{ id: 'x', scope: 'product', targetId: 'prod-L1', excluded: true }]);
    const r = computeCommission(input({ settings: s, order: { buyer: 'D', lines: [line('L1', 10000), line('L2', 5000)] } }));
    expect(r.lines.map((l) => [l.lineId, l.tier, l.amountFen])).toEqual([
      ['L2', 1, 600],
      ['L2', 2, 250],
    ]);
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'PRODUCT_EXCLUDED', lineId: 'L1' })]);
  });

  it('a promotion with commission disabled excludes its lines (reason PROMOTION_EXCLUDED); a SKU rule still wins over it', () => {
    const promotions = [{ id: 'flash', commission: { enabled: false } }];
    const r = computeCommission(input({ promotions, order: { buyer: 'D', lines: [line('L1', 10000, { promotionIds: ['flash'] })] } }));
    expect(r.lines).toEqual([]);
    expect(r.reasons.map((x) => x.code)).toEqual(['PROMOTION_EXCLUDED']);
    const s = settingsWith([{ id: 's', scope: 'sku', targetId: 'sku-L1', bp: 100 }]);
    const r2 = computeCommission(input({ settings: s, promotions, order: { buyer: 'D', lines: [line('L1', 10000, { promotionIds: ['flash'] })] } }));
    expect(r2.lines.map((l) => [l.tier, l.amountFen])).toEqual([[1, 100]]);
  });

  it('fixed amounts are perUnitFen × qty, capped at the base (and then at the line cap)', () => {
    const s = settingsWith([{ id: 'f', scope: 'sku', targetId: 'sku-L1', perUnitFen: 300 }]);
    s.tiers = 1;
    const r = computeCommission(input({ settings: s, order: { buyer: 'D', lines: [line('L1', 10000, { qty: 4 })] } }));
    expect(r.lines[0]).toMatchObject({ amountFen: 1200, rate: { type: 'fixed', perUnitFen: 300 }, qty: 4 });
    s.capBp = 10000;
    const capped = computeCommission(input({ settings: s, order: { buyer: 'D', lines: [line('L1', 1000, { qty: 4 })] } }));
    expect(capped.lines[0].amountFen).toBe(1000); // 1200 > base 1000
    s.capBp = 5000;
    const cap50 = computeCommission(input({ settings: s, order: { buyer: 'D', lines: [line('L1', 1000, { qty: 4 })] } }));
    expect(cap50.lines[0].amountFen).toBe(500);
    expect(cap50.reasons.map((x) => x.code)).toEqual(['CAPPED']);
  });

  it('amount tiers are keyed on the order commission base (Σ line bases)', () => {
    const s = settingsWith([
      { id: 't', scope: 'category', targetId: 'cat-1', bp: 500, amountTiers: [{ minBaseFen: 10000, bp: 800 }, { minBaseFen: 50000, bp: 1000 }] },
    ]);
    s.tiers = 1;
    const rate = (lines: CommissionLineInput[]) => computeCommission(input({ settings: s, order: { buyer: 'D', lines } })).lines.map((l) => (l.rate as { bp: number }).bp);
    expect(rate([line('L1', 9999)])).toEqual([500]);
    expect(rate([line('L1', 6000), line('L2', 4000)])).toEqual([800, 800]); // order base 10000
    expect(rate([line('L1', 49990), line('L2', 10)])).toEqual([1000, 1000]); // order base 50000
  });

  it('the cap cuts tier 2 first, then tier 1', () => {
    expect(applyCap(3000, 2500, 5000)).toEqual({ t1: 3000, t2: 2000, capped: true });
    expect(applyCap(6000, 2500, 5000)).toEqual({ t1: 5000, t2: 0, capped: true });
    expect(applyCap(100, 200, 5000)).toEqual({ t1: 100, t2: 200, capped: false });
    const s = settingsWith([
      { id: 'a', scope: 'product', targetId: 'prod-L1', bp: 4000 },
      { id: 'b', scope: 'product', targetId: 'prod-L1', bp: 2000, tier: 2 },
    ]);
    const r = computeCommission(input({ settings: s }));
    expect(r.lines.map((l) => [l.tier, l.amountFen])).toEqual([
      [1, 4000],
      [2, 1000],
    ]);
    expect(r.reasons.map((x) => x.code)).toEqual(['CAPPED']);
  });

  it('floors every amount: a 1-fen line at 10% earns nothing and yields no entry', () => {
    const r = computeCommission(input({ order: { buyer: 'D', lines: [line('L1', 1), line('L2', 0), line('L3', 999)] } }));
    expect(r.lines.map((l) => [l.lineId, l.tier, l.amountFen])).toEqual([
      ['L3', 1, 119],
      ['L3', 2, 49],
    ]);
    expect(lineCapFen(999, 5000)).toBe(499);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const IDS = ['u1', 'u2', 'u3', 'u4'];
const statusArb = fc.constantFrom<DistributorRef['status']>('active', 'active', 'active', 'frozen', 'pending');
const bpArb = fc.integer({ min: 0, max: 12000 }); // deliberately beyond the validator: the cap must still hold
const levelArb = fc.record({ tier1Bp: bpArb, tier2Bp: fc.option(bpArb, { nil: null }) });

const settingsArb = fc
  .record({
    tiers: fc.constantFrom<1 | 2>(1, 2),
    capBp: fc.integer({ min: 0, max: 10000 }),
    selfPurchase: fc.boolean(),
    g1: bpArb,
    g2: bpArb,
    levels: fc.array(levelArb, { minLength: 1, maxLength: 3 }),
    rules: fc.array(
      fc.record({
        scope: fc.constantFrom<'sku' | 'product' | 'category'>('sku', 'product', 'category'),
        target: fc.integer({ min: 0, max: 2 }),
        kind: fc.constantFrom('bp', 'fixed', 'excluded', 'tiers'),
        bp: bpArb,
        perUnitFen: fc.integer({ min: 0, max: 100000 }),
        tier: fc.constantFrom<1 | 2 | undefined>(undefined, 1, 2),
        t1: fc.integer({ min: 0, max: 200000 }),
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ tiers, capBp, selfPurchase, g1, g2, levels, rules }): DistributionSettings => {
    const s = defaultDistributionSettings();
    s.tiers = tiers;
    s.capBp = capBp;
    s.selfPurchase = selfPurchase;
    s.globalRateBp = { 1: g1, 2: g2 };
    s.levels = levels.map((l, i) => ({ id: `lv${i}`, name: `L${i}`, tier1Bp: l.tier1Bp, tier2Bp: l.tier2Bp, upgrade: null }));
    s.rules = rules.map((r, i) => {
      const base = { id: `r${i}`, scope: r.scope, targetId: `${r.scope}${r.target}`, ...(r.tier ? { tier: r.tier } : {}) };
      if (r.kind === 'excluded') return { ...base, excluded: true };
      if (r.kind === 'fixed') return { ...base, perUnitFen: r.perUnitFen };
      if (r.kind === 'tiers') return { ...base, bp: r.bp, amountTiers: [{ minBaseFen: r.t1, bp: (r.bp * 7) % 12001 }] };
      return { ...base, bp: r.bp };
    });
    return s;
  });

const distArb = fc.record({
  openid: fc.constantFrom(...IDS),
  status: statusArb,
  levelId: fc.constantFrom('lv0', 'lv1', 'lv2', 'gone'),
  inviterId: fc.option(fc.constantFrom(...IDS), { nil: null }),
});

const lineArb = fc.record({
  sku: fc.integer({ min: 0, max: 2 }),
  product: fc.integer({ min: 0, max: 2 }),
  category: fc.integer({ min: 0, max: 2 }),
  qty: fc.integer({ min: 1, max: 50 }),
  payable: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10_000_000 })),
  promos: fc.subarray(['pa', 'pb', 'pc']),
});

const inputArb = fc
  .record({
    settings: settingsArb,
    buyer: fc.constantFrom(...IDS),
    binder: fc.option(distArb, { nil: null }),
    inviter: fc.option(distArb, { nil: null }),
    buyerDistributor: fc.option(distArb, { nil: null }),
    bindingState: fc.constantFrom('none', 'active', 'permanent', 'expired'),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
    promoA: fc.boolean(),
    promoBp: bpArb,
  })
  .map((x): ComputeCommissionInput => {
    const b = x.binder;
    const bind: Binding | null =
      x.bindingState === 'none' || !b
        ? null
        : binding(b.openid, { expiresAt: x.bindingState === 'permanent' ? null : x.bindingState === 'active' ? NOW + 1 : NOW });
    return {
      order: {
        buyer: x.buyer,
        lines: x.lines.map((l, i) => ({
          lineId: `L${i + 1}`,
          skuId: `sku${l.sku}`,
          productId: `product${l.product}`,
          categoryId: `category${l.category}`,
          qty: l.qty,
          payable: l.payable,
          promotionIds: l.promos,
        })),
      },
      binding: bind,
      binder: b,
      inviter: x.inviter,
      buyerDistributor: x.buyerDistributor ? { ...x.buyerDistributor, openid: x.buyer } : null,
      buyerInviter: x.inviter,
      settings: x.settings,
      promotions: [
        { id: 'pa', commission: { enabled: x.promoA } },
        { id: 'pb', commission: { enabled: true, bp: x.promoBp } },
        { id: 'pc' },
      ],
      now: NOW,
    };
  });

/** A cheap assertion for hot property loops (jest's expect is slow at 10,000 runs). */
function must(cond: boolean, what: string): void {
  if (!cond) throw new Error(`violated: ${what}`);
}

describe('computeCommission — properties', () => {
  it('amounts are integers ≥ 1, Σ per line ≤ floor(base·capBp/10000) ≤ base, ≤ 2 beneficiaries, never the buyer unless self-purchase', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const r = computeCommission(inp);
        const { settings } = inp;
        const perLine = new Map<string, typeof r.lines>();
        for (const l of r.lines) {
          must(Number.isSafeInteger(l.amountFen) && l.amountFen >= 1 && !Object.is(l.amountFen, -0), 'amount is an integer ≥ 1');
          must(Number.isSafeInteger(l.baseFen), 'base is an integer');
          if (!settings.selfPurchase) must(l.beneficiary !== inp.order.buyer, 'the buyer never earns without self-purchase');
          if (settings.tiers === 1) must(l.tier === 1, 'one tier configured → tier 1 only');
          perLine.set(l.lineId, [...(perLine.get(l.lineId) ?? []), l]);
        }
        for (const src of inp.order.lines) {
          const ls = perLine.get(src.lineId) ?? [];
          must(ls.length <= 2, '≤ 2 entries per line');
          must(new Set(ls.map((l) => l.tier)).size === ls.length, 'one entry per tier');
          must(new Set(ls.map((l) => l.beneficiary)).size === ls.length, 'distinct beneficiaries per line');
          const sum = ls.reduce((a, l) => a + l.amountFen, 0);
          const cap = Math.floor((src.payable * settings.capBp) / 10000); // exact for these magnitudes
          must(sum <= cap, `Σ ${sum} ≤ cap ${cap}`);
          must(cap <= src.payable, 'cap ≤ base');
          const t1 = ls.find((l) => l.tier === 1);
          const t2 = ls.find((l) => l.tier === 2);
          if (t2) {
            // tier 2 goes to the tier-1 earner's own inviter, and only when that inviter is active
            const bd = inp.buyerDistributor;
            const selfPath = !!bd && (bd.status === 'active' || bd.status === 'frozen');
            const earner = selfPath ? bd : inp.binder;
            if (t1) must(t1.beneficiary === earner?.openid, 'tier 1 is the earner');
            must(t2.beneficiary === earner?.inviterId, 'tier 2 is the earner\'s inviter');
            must(!!inp.inviter && inp.inviter.openid === t2.beneficiary && inp.inviter.status === 'active', 'tier 2 inviter active');
          }
        }
        const who = new Set(r.lines.map((l) => l.beneficiary));
        must(who.size <= 2, '≤ 2 beneficiaries per order');
        for (const b of r.beneficiaries) must(who.has(b.openid), 'beneficiaries earned something');
        must(r.totalFen === r.lines.reduce((a, l) => a + l.amountFen, 0), 'total = Σ');
        if (!inp.binding && !settings.selfPurchase) must(r.lines.length === 0, 'no binding → nothing');
        if (!settings.enabled) must(r.lines.length === 0, 'disabled → nothing');
        // serialisable as-is: no float, NaN or -0 in the amounts
        for (const l of r.lines) must(JSON.stringify(l.amountFen) === String(l.amountFen), 'JSON-safe amount');
      }),
      fcParams(),
    );
  });
});

describe('reversalFor — proportional reversals', () => {
  it('examples: 3 units, 100 fen → 33, 33, 34; a full refund at once reverses exactly', () => {
    const e = { amountFen: 100, lineQty: 3 };
    expect(reversalFor(e, { refundedQtyBefore: 0, qty: 1 })).toBe(-33);
    expect(reversalFor(e, { refundedQtyBefore: 1, qty: 1 })).toBe(-33);
    expect(reversalFor(e, { refundedQtyBefore: 2, qty: 1 })).toBe(-34);
    expect(reversalFor(e, { refundedQtyBefore: 0, qty: 3 })).toBe(-100);
    expect(Object.is(reversalFor({ amountFen: 1, lineQty: 3 }, { refundedQtyBefore: 0, qty: 1 }), 0)).toBe(true);
    expect(() => reversalFor(e, { refundedQtyBefore: 2, qty: 2 })).toThrow();
  });

  it('any sequence of partial refunds adds up exactly to −amount on a full refund and never exceeds it', () => {
    const arb = fc
      .record({ amount: fc.integer({ min: 0, max: 1_000_000_000 }), qty: fc.integer({ min: 1, max: 100 }), cuts: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 30 }) })
      .map(({ amount, qty, cuts }) => {
        // split qty into positive steps
        const steps: number[] = [];
        let left = qty;
        for (const c of cuts) {
          if (left === 0) break;
          const s = Math.min(left, c);
          steps.push(s);
          left -= s;
        }
        if (left > 0) steps.push(left);
        return { amount, qty, steps };
      });
    fc.assert(
      fc.property(arb, ({ amount, qty, steps }) => {
        let before = 0;
        let sum = 0;
        for (const s of steps) {
          const r = reversalFor({ amountFen: amount, lineQty: qty }, { refundedQtyBefore: before, qty: s });
          must(Number.isSafeInteger(r) && r <= 0, 'a reversal is an integer ≤ 0');
          sum += r;
          before += s;
          must(-sum <= amount, 'never more than the original');
          if (before < qty) must(-sum === Math.floor((amount * before) / qty), 'running sum = floor(amount·k/n)');
        }
        must(sum + amount === 0, 'a full refund reverses exactly');
      }),
      fcParams(),
    );
  });
});

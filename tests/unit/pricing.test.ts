import {
  activePromotions,
  DEFAULT_SETTINGS,
  priceCart,
  productPromotionBadge,
  type CartLine,
  type PricingSku,
  type Promotion,
  type Quote,
  type ShopSettings,
} from '../../core/pricing';
import type { Result } from '../../core/errors';
import { fc, fcParams } from './fc-setup';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

function sku(skuId: string, price: number, extra: Partial<PricingSku> = {}): PricingSku {
  return {
    skuId,
    productId: `p_${skuId}`,
    categoryId: 'c1',
    title: `商品${skuId}`,
    specText: '默认',
    image: `/img/${skuId}.png`,
    price,
    stock: 100,
    onShelf: true,
    ...extra,
  };
}

function promo(p: Partial<Promotion> & Pick<Promotion, 'id' | 'type'>): Promotion {
  return { title: p.id, enabled: true, startAt: NOW - HOUR, endAt: NOW + HOUR, ...p };
}

const noShip: ShopSettings = { ...DEFAULT_SETTINGS, shippingFen: 0, freeShippingOverFen: 0 };

function quote(r: Result<Quote>): Quote {
  if (!r.ok) throw new Error(`expected a quote, got ${r.code} ${r.message}`);
  return r.data;
}

describe('priceCart — examples', () => {
  const skus = { a: sku('a', 1999), b: sku('b', 5000), c: sku('c', 1) };

  it('no promotions: payable = goods + shipping, lines numbered L1, L2 in cart order', () => {
    const q = quote(priceCart([{ skuId: 'b', qty: 1 }, { skuId: 'a', qty: 2 }], skus, [], DEFAULT_SETTINGS, NOW));
    expect(q.lines.map((l) => [l.lineId, l.skuId, l.amount])).toEqual([
      ['L1', 'b', 5000],
      ['L2', 'a', 3998],
    ]);
    expect(q).toMatchObject({ goodsFen: 8998, discountFen: 0, shippingFen: 1000, payableFen: 9998, promotions: [] });
  });

  it('限时折扣 by percent floors the discount (rounds the price up): 19.99 at 15% off → 17.00', () => {
    const p = promo({ id: 'd15', type: 'discount', percentOffBp: 1500 });
    const q = quote(priceCart([{ skuId: 'a', qty: 2 }], skus, [p], noShip, NOW));
    // discount per unit floor(1999 × 0.15) = floor(299.85) = 299
    expect(q.lines[0]).toMatchObject({ listUnitPrice: 1999, unitPrice: 1700, amount: 3400, promotionIds: ['d15'] });
    expect(q.promotions).toEqual([{ id: 'd15', title: 'd15', type: 'discount', savedFen: 598 }]);
  });

  it('a 1-fen item at 10% off stays 1 fen (the discount floors to 0; no promotion shown)', () => {
    const p = promo({ id: 'd10', type: 'discount', percentOffBp: 1000 });
    const q = quote(priceCart([{ skuId: 'c', qty: 1 }], skus, [p], noShip, NOW));
    expect(q.lines[0]).toMatchObject({ unitPrice: 1, promotionIds: [] });
    expect(q.promotions).toEqual([]);
  });

  it('per-SKU promotional price; the lowest of several active discounts wins; a higher promo price is ignored', () => {
    const p1 = promo({ id: 'x1', type: 'discount', skuPrices: { a: 1500, b: 9000 } });
    const p2 = promo({ id: 'x2', type: 'discount', percentOffBp: 2000 }); // a → 1999-399=1600, b → 4000
    const q = quote(priceCart([{ skuId: 'a', qty: 1 }, { skuId: 'b', qty: 1 }], skus, [p1, p2], noShip, NOW));
    expect(q.lines.map((l) => [l.unitPrice, l.promotionIds])).toEqual([
      [1500, ['x1']],
      [4000, ['x2']],
    ]);
  });

  it('promotion windows are [startAt, endAt); disabled promotions never apply', () => {
    const ps = [
      promo({ id: 'future', type: 'discount', percentOffBp: 5000, startAt: NOW + 1 }),
      promo({ id: 'ended', type: 'discount', percentOffBp: 5000, endAt: NOW }),
      promo({ id: 'off', type: 'discount', percentOffBp: 5000, enabled: false }),
      promo({ id: 'now', type: 'discount', percentOffBp: 100, startAt: NOW }),
    ];
    expect(activePromotions(ps, NOW).map((p) => p.id)).toEqual(['now']);
    const q = quote(priceCart([{ skuId: 'b', qty: 1 }], skus, ps, noShip, NOW));
    expect(q.lines[0].unitPrice).toBe(4950);
  });

  it('满减: the best reachable tier applies, split over eligible lines by largest remainder', () => {
    const fr = promo({
      id: 'fr',
      type: 'full_reduction',
      tiers: [
        { thresholdFen: 9900, reduceFen: 1000 },
        { thresholdFen: 19900, reduceFen: 3000 },
      ],
    });
    const three = { a: sku('a', 10000), b: sku('b', 10000), c: sku('c', 10000) };
    const q = quote(
      priceCart([{ skuId: 'a', qty: 1 }, { skuId: 'b', qty: 1 }, { skuId: 'c', qty: 1 }], three, [{ ...fr, tiers: [{ thresholdFen: 100, reduceFen: 299 }] }], noShip, NOW),
    );
    expect(q.lines.map((l) => l.discount)).toEqual([100, 100, 99]);
    expect(q.lines.map((l) => l.payable)).toEqual([9900, 9900, 9901]);
    expect(q).toMatchObject({ goodsFen: 30000, discountFen: 299, payableFen: 29701 });

    const q2 = quote(priceCart([{ skuId: 'a', qty: 2 }], three, [fr], noShip, NOW));
    expect(q2).toMatchObject({ goodsFen: 20000, discountFen: 3000, payableFen: 17000 });
    expect(q2.lines[0].promotionIds).toEqual(['fr']);
    expect(q2.promotions).toEqual([{ id: 'fr', title: 'fr', type: 'full_reduction', savedFen: 3000 }]);
  });

  it('满减 only counts its products, after the limited-time discount, and only the best 满减 applies', () => {
    const s = { a: sku('a', 10000), b: sku('b', 10000) };
    const d = promo({ id: 'd', type: 'discount', percentOffBp: 5000, productIds: ['p_a'] }); // a → 5000
    const frA = promo({ id: 'frA', type: 'full_reduction', productIds: ['p_a'], tiers: [{ thresholdFen: 6000, reduceFen: 2000 }] });
    const frAll = promo({ id: 'frAll', type: 'full_reduction', tiers: [{ thresholdFen: 15000, reduceFen: 500 }] });
    const q = quote(priceCart([{ skuId: 'a', qty: 1 }, { skuId: 'b', qty: 1 }], s, [d, frA, frAll], noShip, NOW));
    // frA: eligible 5000 < 6000 → nothing; frAll: 15000 ≥ 15000 → 500 over [5000, 10000]
    expect(q.lines.map((l) => l.discount)).toEqual([167, 333]);
    expect(q.lines[0].promotionIds).toEqual(['d', 'frAll']);
    expect(q.discountFen).toBe(500);
  });

  it('a reduction larger than the eligible goods is capped at the goods (payable never negative)', () => {
    const fr = promo({ id: 'big', type: 'full_reduction', tiers: [{ thresholdFen: 0, reduceFen: 999999 }] });
    const q = quote(priceCart([{ skuId: 'a', qty: 1 }], skus, [fr], noShip, NOW));
    expect(q).toMatchObject({ goodsFen: 1999, discountFen: 1999, payableFen: 0 });
  });

  it('shipping is free from freeShippingOverFen on goods payable; a threshold of 0 means never free', () => {
    const s = { x: sku('x', 9899), y: sku('y', 9900) };
    const st = { ...DEFAULT_SETTINGS, shippingFen: 800, freeShippingOverFen: 9900 };
    expect(quote(priceCart([{ skuId: 'x', qty: 1 }], s, [], st, NOW)).shippingFen).toBe(800);
    expect(quote(priceCart([{ skuId: 'y', qty: 1 }], s, [], st, NOW)).shippingFen).toBe(0);
    // the threshold is on what is paid for goods after 满减
    const fr = promo({ id: 'fr', type: 'full_reduction', tiers: [{ thresholdFen: 9900, reduceFen: 1 }] });
    expect(quote(priceCart([{ skuId: 'y', qty: 1 }], s, [fr], st, NOW))).toMatchObject({ shippingFen: 800, payableFen: 9899 + 800 });
    expect(quote(priceCart([{ skuId: 'y', qty: 9 }], s, [], { ...st, freeShippingOverFen: 0 }, NOW)).shippingFen).toBe(800);
  });

  it('merges duplicate SKUs into one line', () => {
    const q = quote(priceCart([{ skuId: 'a', qty: 2 }, { skuId: 'b', qty: 1 }, { skuId: 'a', qty: 3 }], skus, [], noShip, NOW));
    expect(q.lines.map((l) => [l.lineId, l.skuId, l.qty])).toEqual([
      ['L1', 'a', 5],
      ['L2', 'b', 1],
    ]);
  });
});

describe('priceCart — refusals', () => {
  const skus = {
    a: sku('a', 1999, { stock: 3 }),
    b: sku('b', 5000, { stock: 0 }),
    off: sku('off', 100, { onShelf: false }),
  };
  const fails = (lines: unknown, opts?: { checkStock?: boolean }) => {
    const r = priceCart(lines as CartLine[], skus, [], DEFAULT_SETTINGS, NOW, opts);
    if (r.ok) throw new Error('expected a refusal');
    return r;
  };

  it.each<[string, unknown]>([
    ['empty cart', []],
    ['not an array', null],
    ['qty 0', [{ skuId: 'a', qty: 0 }]],
    ['negative qty', [{ skuId: 'a', qty: -1 }]],
    ['fractional qty', [{ skuId: 'a', qty: 1.5 }]],
    ['string qty', [{ skuId: 'a', qty: '1' }]],
    ['qty above 999', [{ skuId: 'a', qty: 1000 }]],
    ['merged qty above 999', [{ skuId: 'a', qty: 500 }, { skuId: 'a', qty: 500 }]],
    ['missing skuId', [{ qty: 1 }]],
  ])('%s → INVALID_INPUT with a Chinese message', (_name, lines) => {
    const r = fails(lines);
    expect(r.code).toBe('INVALID_INPUT');
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('unknown SKU → UNKNOWN_SKU listing the ids (also for inherited property names)', () => {
    expect(fails([{ skuId: 'zzz', qty: 1 }, { skuId: 'a', qty: 1 }])).toMatchObject({ code: 'UNKNOWN_SKU', details: { skuIds: ['zzz'] } });
    expect(fails([{ skuId: 'constructor', qty: 1 }]).code).toBe('UNKNOWN_SKU');
  });

  it('off-shelf SKU → OFF_SHELF naming the goods', () => {
    const r = fails([{ skuId: 'off', qty: 1 }]);
    expect(r).toMatchObject({ code: 'OFF_SHELF', details: { skuIds: ['off'] } });
    expect(r.message).toContain('商品off');
  });

  it('stock below quantity → OUT_OF_STOCK with the shortfalls; skipped with checkStock:false', () => {
    const r = fails([{ skuId: 'a', qty: 4 }, { skuId: 'b', qty: 1 }]);
    expect(r.code).toBe('OUT_OF_STOCK');
    expect(r.details).toEqual({
      shortfalls: [
        { skuId: 'a', title: '商品a', requested: 4, available: 3 },
        { skuId: 'b', title: '商品b', requested: 1, available: 0 },
      ],
    });
    expect(priceCart([{ skuId: 'a', qty: 4 }], skus, [], DEFAULT_SETTINGS, NOW, { checkStock: false }).ok).toBe(true);
  });
});

describe('productPromotionBadge', () => {
  it('shows the best discount with min prices and the 满减 tier texts', () => {
    const ps = [
      promo({ id: 'd', type: 'discount', title: '限时8折', percentOffBp: 2000, productIds: ['p1'] }),
      promo({ id: 'fr', type: 'full_reduction', title: '满减', tiers: [{ thresholdFen: 19900, reduceFen: 3000 }, { thresholdFen: 9900, reduceFen: 1000 }] }),
      promo({ id: 'other', type: 'discount', percentOffBp: 9000, productIds: ['p2'] }),
    ];
    const b = productPromotionBadge(ps, 'p1', { s1: 1999, s2: 2999 }, NOW);
    expect(b.discount).toMatchObject({ promotionId: 'd', minPrice: 1600, originalMinPrice: 1999, skuPrices: { s1: 1600, s2: 2400 } });
    expect(b.fullReductions).toEqual([{ promotionId: 'fr', title: '满减', endAt: NOW + HOUR, texts: ['满99减10', '满199减30'] }]);
    expect(productPromotionBadge(ps, 'p3', { s: 100 }, NOW).discount).toBeNull();
    expect(productPromotionBadge(ps, 'p1', { s1: 1999 }, NOW + 2 * HOUR)).toEqual({ discount: null, fullReductions: [] });
  });
});

describe('priceCart — properties', () => {
  const skuIds = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const productOf = (id: string) => `p${Number(id.slice(1)) % 3}`; // 3 products over 6 SKUs

  const skusArb = fc.tuple(...skuIds.map(() => fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 5_000_000 })))).map((prices) => {
    const out: Record<string, PricingSku> = {};
    skuIds.forEach((id, i) => (out[id] = sku(id, prices[i], { productId: productOf(id), stock: 10_000 })));
    return out;
  });
  const windowArb = fc.record({
    enabled: fc.boolean(),
    startAt: fc.integer({ min: NOW - 2 * HOUR, max: NOW + HOUR }),
    endAt: fc.integer({ min: NOW - HOUR, max: NOW + 2 * HOUR }),
  });
  const productIdsArb = fc.option(fc.subarray(['p0', 'p1', 'p2']), { nil: undefined });
  const discountArb = fc.record({
    w: windowArb,
    percentOffBp: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
    skuPrices: fc.option(fc.dictionary(fc.constantFrom(...skuIds), fc.integer({ min: 0, max: 5_000_000 })), { nil: undefined }),
    productIds: productIdsArb,
  });
  const frArb = fc.record({
    w: windowArb,
    tiers: fc.array(fc.record({ thresholdFen: fc.integer({ min: 0, max: 20_000_000 }), reduceFen: fc.integer({ min: 0, max: 5_000_000 }) }), { maxLength: 4 }),
    productIds: productIdsArb,
  });
  const promosArb = fc
    .tuple(fc.array(discountArb, { maxLength: 3 }), fc.array(frArb, { maxLength: 3 }))
    .map(([ds, frs]) => [
      ...ds.map((d, i): Promotion => ({ id: `d${i}`, type: 'discount', title: `折扣${i}`, ...d.w, percentOffBp: d.percentOffBp, skuPrices: d.skuPrices, productIds: d.productIds })),
      ...frs.map((f, i): Promotion => ({ id: `f${i}`, type: 'full_reduction', title: `满减${i}`, ...f.w, tiers: f.tiers, productIds: f.productIds })),
    ]);
  const settingsArb = fc.record({
    shippingFen: fc.integer({ min: 0, max: 2000 }),
    freeShippingOverFen: fc.integer({ min: 0, max: 20_000_000 }),
    unpaidCloseMinutes: fc.constant(30),
    autoConfirmDays: fc.constant(10),
    returnWindowDays: fc.constant(7),
  });
  const cartArb = fc.array(fc.record({ skuId: fc.constantFrom(...skuIds), qty: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 8 });

  function allIntegers(x: unknown): boolean {
    if (typeof x === 'number') return Number.isSafeInteger(x) && !Object.is(x, -0);
    if (Array.isArray(x)) return x.every(allIntegers);
    if (x && typeof x === 'object') return Object.values(x).every(allIntegers);
    return true;
  }

  it('property: totals reconcile exactly, every amount is a non-negative integer, discounts never raise prices', () => {
    fc.assert(
      fc.property(cartArb, skusArb, promosArb, settingsArb, (cart, skus, promos, settings) => {
        const r = priceCart(cart, skus, promos, settings, NOW);
        if (!r.ok) return false;
        const q = r.data;
        const sum = (f: (l: Quote['lines'][number]) => number) => q.lines.reduce((s, l) => s + f(l), 0);
        if (!allIntegers(q)) return false;
        if (sum((l) => l.payable) + q.shippingFen !== q.payableFen) return false;
        if (sum((l) => l.discount) !== q.discountFen) return false;
        if (sum((l) => l.amount) !== q.goodsFen) return false;
        if (q.goodsFen - q.discountFen + q.shippingFen !== q.payableFen) return false;
        for (const l of q.lines) {
          if (l.amount !== l.unitPrice * l.qty || l.payable !== l.amount - l.discount) return false;
          if (l.unitPrice < 0 || l.unitPrice > l.listUnitPrice || l.listUnitPrice !== skus[l.skuId].price) return false;
          if (l.discount < 0 || l.payable < 0) return false;
        }
        // merged quantities
        const want = new Map<string, number>();
        cart.forEach((c) => want.set(c.skuId, (want.get(c.skuId) ?? 0) + c.qty));
        if (q.lines.length !== want.size || q.lines.some((l) => want.get(l.skuId) !== l.qty)) return false;
        // shipping rule
        const free = settings.freeShippingOverFen > 0 && q.goodsFen - q.discountFen >= settings.freeShippingOverFen;
        if (q.shippingFen !== (free ? 0 : settings.shippingFen)) return false;
        return true;
      }),
      fcParams(),
    );
  });

  it('property: the unit price is the lowest active discount price (percent off floors the discount), never lower', () => {
    fc.assert(
      fc.property(cartArb, skusArb, promosArb, (cart, skus, promos) => {
        const q = priceCart(cart, skus, promos, noShip, NOW);
        if (!q.ok) return false;
        const active = promos.filter((p) => p.enabled && p.startAt <= NOW && NOW < p.endAt && p.type === 'discount');
        return q.data.lines.every((l) => {
          const price = skus[l.skuId].price;
          let best = price;
          for (const p of active) {
            let cand: number | null = null;
            if (p.skuPrices && l.skuId in p.skuPrices) cand = p.skuPrices[l.skuId];
            else if (p.percentOffBp && (!p.productIds || p.productIds.length === 0 || p.productIds.includes(l.productId))) {
              // floor on the discount (products stay below 2^53 here, so plain arithmetic is exact)
              cand = price - Math.floor((price * p.percentOffBp) / 10000);
            }
            if (cand !== null && cand < best) best = cand;
          }
          return l.unitPrice === best;
        });
      }),
      fcParams(),
    );
  });

  it('property: the order discount equals the single best 满减 over its eligible goods, allocated only to eligible lines', () => {
    fc.assert(
      fc.property(cartArb, skusArb, promosArb, (cart, skus, promos) => {
        const r = priceCart(cart, skus, promos, noShip, NOW);
        if (!r.ok) return false;
        const q = r.data;
        const active = promos.filter((p) => p.enabled && p.startAt <= NOW && NOW < p.endAt && p.type === 'full_reduction');
        let best = 0;
        let bestScope: string[] | undefined;
        for (const p of active) {
          const elig = q.lines.filter((l) => !p.productIds || p.productIds.length === 0 || p.productIds.includes(l.productId));
          const eligFen = elig.reduce((s, l) => s + l.amount, 0);
          const tiers = (p.tiers ?? []).filter((t) => t.reduceFen > 0 && t.thresholdFen <= eligFen);
          const red = tiers.length ? Math.min(Math.max(...tiers.map((t) => t.reduceFen)), eligFen) : 0;
          if (red > best) {
            best = red;
            bestScope = p.productIds;
          }
        }
        if (q.discountFen !== best) return false;
        return q.lines.every(
          (l) => l.discount === 0 || !bestScope || bestScope.length === 0 || bestScope.includes(l.productId),
        );
      }),
      fcParams(),
    );
  });

  it('property: deterministic — the same snapshot and clock give the same quote', () => {
    fc.assert(
      fc.property(cartArb, skusArb, promosArb, settingsArb, (cart, skus, promos, settings) => {
        return JSON.stringify(priceCart(cart, skus, promos, settings, NOW)) === JSON.stringify(priceCart(cart, skus, promos, settings, NOW));
      }),
      fcParams(),
    );
  });
});

describe('productPromotionBadge agrees with priceCart', () => {
  it('property: the badge\'s lowest price is the lowest unit price the cart charges; no SKU is charged more than shown', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({
            percentOffBp: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
            skuPrice: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
            enabled: fc.boolean(),
            mine: fc.boolean(),
          }),
          { maxLength: 3 },
        ),
        (prices, specs) => {
          const skus: Record<string, PricingSku> = {};
          const skuPrices: Record<string, number> = {};
          prices.forEach((p, i) => {
            skus[`k${i}`] = sku(`k${i}`, p, { productId: 'P' });
            skuPrices[`k${i}`] = p;
          });
          const promos = specs.map((s, i) =>
            promo({
              id: `d${i}`,
              type: 'discount',
              enabled: s.enabled,
              percentOffBp: s.percentOffBp,
              skuPrices: s.skuPrice === undefined ? undefined : { k0: s.skuPrice },
              productIds: s.mine ? ['P'] : ['Q'],
            }),
          );
          const badge = productPromotionBadge(promos, 'P', skuPrices, NOW);
          const q = priceCart(prices.map((_, i) => ({ skuId: `k${i}`, qty: 1 })), skus, promos, noShip, NOW);
          if (!q.ok) return false;
          const charged = Math.min(...q.data.lines.map((l) => l.unitPrice));
          if (!badge.discount) return q.data.lines.every((l) => l.unitPrice === l.listUnitPrice);
          // the badge shows one promotion (the one with the lowest price); the cart may mix promotions per SKU,
          // so per SKU the cart is never dearer, and the lowest price shown is the lowest price charged
          return badge.discount.minPrice === charged && Object.entries(badge.discount.skuPrices).every(([id, p]) => p >= q.data.lines.find((l) => l.skuId === id)!.unitPrice);
        },
      ),
      fcParams(),
    );
  });
});

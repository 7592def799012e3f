/**
 * Pricing of a cart snapshot at a given clock: 限时折扣 (limited-time price), 满减 (spend-X-save-Y) and
 * shipping. Everything is integer fen; the server's quote is the one charged, the client shows a preview.
 *
 * Rules (one each):
 * - 限时折扣: a per-SKU price (`skuPrices`) or a percentage off (`percentOffBp`) on the promotion's products.
 *   Percent off floors the *discount* (discount = floor(price·bp/10000)), i.e. the discounted price is rounded
 *   up: the shop never charges less than the configured discount implies. A discount never raises a price.
 *   When several active discounts cover a SKU, the lowest unit price wins (ties: smaller promotion id).
 * - 满减: for each active full-reduction promotion, eligible goods = lines of its products (absent/empty
 *   `productIds` = all) after 限时折扣; the best tier with thresholdFen ≤ eligible amount applies, capped at the
 *   eligible amount. Only the single best 满减 promotion applies (no stacking of 满减; it does stack with
 *   限时折扣). It is split over the eligible lines by largest remainder, weighted by line amount.
 * - Shipping: `shippingFen`, free when goods payable (goods − discount) ≥ `freeShippingOverFen`;
 *   `freeShippingOverFen ≤ 0` turns the free-shipping threshold off (set `shippingFen: 0` for always free).
 * - payable = goods − discount + shipping, and Σ line payable + shipping = payable exactly.
 */
import { fail, ok, type Result } from './errors';
import { allocate, assertFen, formatFen, mulBp, mulQty, sumFen, type Fen } from './money';

export interface PricingSku {
  skuId: string;
  productId: string;
  categoryId: string;
  title: string;
  specText: string;
  image: string;
  /** the SKU's selling price before any promotion */
  price: Fen;
  /** optional struck-through list price (划线价), display only */
  listPrice?: Fen;
  stock: number;
  onShelf: boolean;
}

export type PromotionType = 'discount' | 'full_reduction';

export interface FullReductionTier {
  thresholdFen: Fen;
  reduceFen: Fen;
}

export interface Promotion {
  id: string;
  type: PromotionType;
  title: string;
  enabled: boolean;
  /** inclusive, epoch ms */
  startAt: number;
  /** exclusive, epoch ms */
  endAt: number;
  /** discount: explicit promotional price per SKU id */
  skuPrices?: Record<string, Fen>;
  /** discount: percent off in basis points, e.g. 1500 = 15% off (八五折) */
  percentOffBp?: number;
  /** products in scope; absent or empty = all products */
  productIds?: string[];
  /** full_reduction: spend-X-save-Y tiers */
  tiers?: FullReductionTier[];
}

export interface ShopSettings {
  shippingFen: Fen;
  /** free shipping when goods payable ≥ this; ≤ 0 = no free-shipping threshold */
  freeShippingOverFen: Fen;
  unpaidCloseMinutes: number;
  autoConfirmDays: number;
  returnWindowDays: number;
}

export const DEFAULT_SETTINGS: Readonly<ShopSettings> = {
  shippingFen: 1000,
  freeShippingOverFen: 9900,
  unpaidCloseMinutes: 30,
  autoConfirmDays: 10,
  returnWindowDays: 7,
};

export interface CartLine {
  skuId: string;
  qty: number;
}

export interface QuoteLine {
  /** 'L1', 'L2', … in first-appearance order of the (merged) cart lines */
  lineId: string;
  skuId: string;
  productId: string;
  categoryId: string;
  title: string;
  specText: string;
  image: string;
  qty: number;
  /** SKU price before the limited-time discount */
  listUnitPrice: Fen;
  /** after the limited-time discount */
  unitPrice: Fen;
  /** unitPrice × qty */
  amount: Fen;
  /** this line's share of the order-level discount (满减) */
  discount: Fen;
  /** amount − discount */
  payable: Fen;
  /** promotions that changed this line (限时折扣 and/or 满减) */
  promotionIds: string[];
}

export interface QuotePromotion {
  id: string;
  title: string;
  type: PromotionType;
  savedFen: Fen;
}

export interface Quote {
  lines: QuoteLine[];
  /** Σ line amount (after limited-time discounts) */
  goodsFen: Fen;
  /** Σ line discount (满减) */
  discountFen: Fen;
  shippingFen: Fen;
  /** goods − discount + shipping */
  payableFen: Fen;
  promotions: QuotePromotion[];
}

export const MAX_LINE_QTY = 999;
export const MAX_CART_LINES = 100;

export interface PriceCartOptions {
  /** Refuse lines whose stock is below the quantity (OUT_OF_STOCK with shortfalls). Default true. */
  checkStock?: boolean;
}

/** Promotions that are enabled and whose window [startAt, endAt) contains `now`. */
export function activePromotions(promos: readonly Promotion[], now: number): Promotion[] {
  return promos.filter((p) => p.enabled && p.startAt <= now && now < p.endAt);
}

function inScope(p: Promotion, productId: string): boolean {
  return !p.productIds || p.productIds.length === 0 || p.productIds.includes(productId);
}

/**
 * The unit price a discount promotion sets for a SKU, or null when it does not cover the SKU.
 * Explicit `skuPrices` win over `percentOffBp`. The result is never above `price`.
 */
export function discountedUnitPrice(p: Promotion, skuId: string, productId: string, price: Fen): Fen | null {
  if (p.type !== 'discount') return null;
  if (p.skuPrices && Object.prototype.hasOwnProperty.call(p.skuPrices, skuId)) {
    const sp = p.skuPrices[skuId];
    if (!Number.isSafeInteger(sp) || sp < 0) return null;
    return Math.min(sp, price);
  }
  const bp = p.percentOffBp;
  if (typeof bp === 'number' && Number.isSafeInteger(bp) && bp > 0 && bp <= 10000 && inScope(p, productId)) {
    return price - mulBp(price, bp);
  }
  return null;
}

/** The best (lowest-price) active discount for a SKU, if it lowers the price. */
function bestDiscount(active: readonly Promotion[], sku: PricingSku): { promo: Promotion; unitPrice: Fen } | null {
  let best: { promo: Promotion; unitPrice: Fen } | null = null;
  for (const p of active) {
    const up = discountedUnitPrice(p, sku.skuId, sku.productId, sku.price);
    if (up === null || up >= sku.price) continue;
    if (!best || up < best.unitPrice || (up === best.unitPrice && p.id < best.promo.id)) best = { promo: p, unitPrice: up };
  }
  return best;
}

/** The reduction a full-reduction promotion gives on `eligibleFen` (best tier, capped at eligibleFen). */
export function fullReductionFor(p: Promotion, eligibleFen: Fen): { tier: FullReductionTier | null; reduceFen: Fen } {
  let tier: FullReductionTier | null = null;
  for (const t of p.tiers ?? []) {
    if (!Number.isSafeInteger(t.thresholdFen) || !Number.isSafeInteger(t.reduceFen) || t.reduceFen <= 0) continue;
    if (t.thresholdFen <= eligibleFen && (!tier || t.reduceFen > tier.reduceFen)) tier = t;
  }
  return { tier, reduceFen: tier ? Math.min(tier.reduceFen, eligibleFen) : 0 };
}

/** '满99减10' */
export function tierText(t: FullReductionTier): string {
  return `满${formatFen(t.thresholdFen, { trimZeros: true })}减${formatFen(t.reduceFen, { trimZeros: true })}`;
}

/** Validates and merges cart lines (duplicate skuIds summed, first-appearance order). */
export function normalizeCartLines(lines: unknown): Result<CartLine[]> {
  if (!Array.isArray(lines) || lines.length === 0) return fail('INVALID_INPUT', '请选择要购买的商品', { field: 'lines' });
  const merged = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Partial<CartLine> | null;
    if (!l || typeof l !== 'object' || typeof l.skuId !== 'string' || l.skuId.length === 0) {
      return fail('INVALID_INPUT', '商品规格参数有误', { field: `lines[${i}].skuId` });
    }
    const q = l.qty;
    if (typeof q !== 'number' || !Number.isSafeInteger(q) || q <= 0) {
      return fail('INVALID_INPUT', '购买数量必须为正整数', { field: `lines[${i}].qty` });
    }
    merged.set(l.skuId, (merged.get(l.skuId) ?? 0) + q);
  }
  if (merged.size > MAX_CART_LINES) return fail('INVALID_INPUT', `一次最多购买${MAX_CART_LINES}种商品`, { field: 'lines' });
  const out: CartLine[] = [];
  for (const [skuId, qty] of merged) {
    if (qty > MAX_LINE_QTY) return fail('INVALID_INPUT', `单个商品最多购买${MAX_LINE_QTY}件`, { field: 'qty', skuId });
    out.push({ skuId, qty });
  }
  return ok(out);
}

/**
 * Prices a cart. Failures: INVALID_INPUT (empty cart, qty not a positive integer, > 999 per SKU after merging
 * duplicates), UNKNOWN_SKU {skuIds}, OFF_SHELF {skuIds}, OUT_OF_STOCK {shortfalls: [{skuId, title, requested,
 * available}]} (when `checkStock`, the default). Deterministic for a given input and `now`.
 */
export function priceCart(
  lines: CartLine[],
  skus: Record<string, PricingSku>,
  promotions: Promotion[],
  settings: ShopSettings,
  now: number,
  opts: PriceCartOptions = {},
): Result<Quote> {
  const norm = normalizeCartLines(lines);
  if (!norm.ok) return norm;
  const cart = norm.data;
  const has = (id: string) => Object.prototype.hasOwnProperty.call(skus, id) && skus[id] != null;

  const unknown = cart.filter((l) => !has(l.skuId)).map((l) => l.skuId);
  if (unknown.length) return fail('UNKNOWN_SKU', undefined, { skuIds: unknown });
  const off = cart.filter((l) => !skus[l.skuId].onShelf);
  if (off.length) {
    const names = off.map((l) => skus[l.skuId].title).join('、');
    return fail('OFF_SHELF', `商品已下架：${names}`, { skuIds: off.map((l) => l.skuId) });
  }
  if (opts.checkStock !== false) {
    const shortfalls = cart
      .filter((l) => !(skus[l.skuId].stock >= l.qty))
      .map((l) => ({ skuId: l.skuId, title: skus[l.skuId].title, requested: l.qty, available: Math.max(0, skus[l.skuId].stock | 0) }));
    if (shortfalls.length) {
      const names = shortfalls.map((s) => `${s.title}（剩余${s.available}件）`).join('、');
      return fail('OUT_OF_STOCK', `库存不足：${names}`, { shortfalls });
    }
  }
  assertFen(settings.shippingFen, 'settings.shippingFen');
  assertFen(settings.freeShippingOverFen, 'settings.freeShippingOverFen');

  const active = activePromotions(promotions, now);
  const saved = new Map<string, Fen>();

  const qlines: QuoteLine[] = cart.map((l, i) => {
    const sku = skus[l.skuId];
    assertFen(sku.price, `price of ${sku.skuId}`);
    if (sku.price < 0) throw new RangeError(`negative price for ${sku.skuId}`);
    const best = bestDiscount(active, sku);
    const unitPrice = best ? best.unitPrice : sku.price;
    const promotionIds: string[] = [];
    if (best) {
      promotionIds.push(best.promo.id);
      saved.set(best.promo.id, (saved.get(best.promo.id) ?? 0) + mulQty(sku.price - unitPrice, l.qty));
    }
    const amount = mulQty(unitPrice, l.qty);
    return {
      lineId: `L${i + 1}`,
      skuId: sku.skuId,
      productId: sku.productId,
      categoryId: sku.categoryId,
      title: sku.title,
      specText: sku.specText,
      image: sku.image,
      qty: l.qty,
      listUnitPrice: sku.price,
      unitPrice,
      amount,
      discount: 0,
      payable: amount,
      promotionIds,
    };
  });

  // 满减: the single best active full-reduction promotion.
  let bestFr: { promo: Promotion; reduceFen: Fen; eligible: number[] } | null = null;
  for (const p of active) {
    if (p.type !== 'full_reduction') continue;
    const eligible = qlines.map((l, i) => (inScope(p, l.productId) ? i : -1)).filter((i) => i >= 0);
    const eligibleFen = sumFen(eligible.map((i) => qlines[i].amount));
    const { reduceFen } = fullReductionFor(p, eligibleFen);
    if (reduceFen <= 0) continue;
    if (!bestFr || reduceFen > bestFr.reduceFen || (reduceFen === bestFr.reduceFen && p.id < bestFr.promo.id)) {
      bestFr = { promo: p, reduceFen, eligible };
    }
  }
  if (bestFr) {
    const parts = allocate(bestFr.reduceFen, bestFr.eligible.map((i) => qlines[i].amount));
    bestFr.eligible.forEach((li, k) => {
      const line = qlines[li];
      line.discount = parts[k];
      line.payable = line.amount - parts[k];
      if (parts[k] > 0) line.promotionIds.push(bestFr!.promo.id);
    });
    saved.set(bestFr.promo.id, bestFr.reduceFen);
  }

  const goodsFen = sumFen(qlines.map((l) => l.amount));
  const discountFen = sumFen(qlines.map((l) => l.discount));
  const goodsPayable = goodsFen - discountFen;
  const shippingFen =
    settings.freeShippingOverFen > 0 && goodsPayable >= settings.freeShippingOverFen ? 0 : Math.max(0, settings.shippingFen);
  const payableFen = sumFen([goodsPayable, shippingFen]);

  const promos: QuotePromotion[] = [];
  for (const p of active) {
    const s = saved.get(p.id);
    if (s !== undefined && s > 0) promos.push({ id: p.id, title: p.title, type: p.type, savedFen: s });
  }
  return ok({ lines: qlines, goodsFen, discountFen, shippingFen, payableFen, promotions: promos });
}

export interface ProductPromotionBadge {
  /** the best active limited-time discount on this product, if any */
  discount: {
    promotionId: string;
    title: string;
    endAt: number;
    /** lowest promotional price over the product's SKUs */
    minPrice: Fen;
    /** lowest regular price over the product's SKUs */
    originalMinPrice: Fen;
    /** promotional price per SKU (only SKUs the promotion lowers) */
    skuPrices: Record<string, Fen>;
  } | null;
  /** active 满减 promotions covering the product, with their tier texts ('满99减10') */
  fullReductions: { promotionId: string; title: string; endAt: number; texts: string[] }[];
}

/**
 * Promotion display data for a product page or a feed card. `skuPrices` maps the product's SKU ids to their
 * regular prices. Uses the same price rule as `priceCart`.
 */
export function productPromotionBadge(
  promos: readonly Promotion[],
  productId: string,
  skuPrices: Record<string, Fen>,
  now: number,
): ProductPromotionBadge {
  const active = activePromotions(promos, now);
  const skuIds = Object.keys(skuPrices);
  const originalMinPrice = skuIds.length ? Math.min(...skuIds.map((id) => skuPrices[id])) : 0;
  let discount: ProductPromotionBadge['discount'] = null;
  for (const p of active) {
    if (p.type !== 'discount') continue;
    const prices: Record<string, Fen> = {};
    for (const id of skuIds) {
      const up = discountedUnitPrice(p, id, productId, skuPrices[id]);
      if (up !== null && up < skuPrices[id]) prices[id] = up;
    }
    const ids = Object.keys(prices);
    if (!ids.length) continue;
    const minPrice = Math.min(...skuIds.map((id) => prices[id] ?? skuPrices[id]));
    if (!discount || minPrice < discount.minPrice || (minPrice === discount.minPrice && p.id < discount.promotionId)) {
      discount = { promotionId: p.id, title: p.title, endAt: p.endAt, minPrice, originalMinPrice, skuPrices: prices };
    }
  }
  const fullReductions = active
    .filter((p) => p.type === 'full_reduction' && inScope(p, productId) && (p.tiers ?? []).length > 0)
    .map((p) => ({
      promotionId: p.id,
      title: p.title,
      endAt: p.endAt,
      texts: [...(p.tiers ?? [])].sort((a, b) => a.thresholdFen - b.thresholdFen).map(tierText),
    }));
  return { discount, fullReductions };
}

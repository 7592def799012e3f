/**
 * Shop settings and enabled promotions, cached per warm instance for 30 s. The cache keeps
 * order creation at one read for the SKUs plus writes; a settings change reaches every instance within 30 s.
 */
import { DEFAULT_SETTINGS, type Promotion, type ShopSettings } from '../core/pricing';
import { db, cmd } from './cloud';

export type { ShopSettings };

export interface PromotionDoc extends Omit<Promotion, 'id'> {
  _id: string;
}

export function toPromotion(d: PromotionDoc): Promotion {
  const { _id, ...rest } = d;
  return { ...rest, id: _id };
}

const TTL_MS = 30_000;
/** Home-page decoration kept on the settings doc (additive fields written by the seed / admin). */
export interface ShopDisplay {
  shopName: string;
  banners: { id?: string; image: string; title?: string; productId?: string; categoryId?: string; promotionId?: string }[];
}

let cached: { at: number; settings: ShopSettings; promotions: Promotion[]; display: ShopDisplay } | null = null;

/** Settings + enabled promotions (time filtering is the caller's/core's job). */
export async function loadShop(now: number): Promise<{ settings: ShopSettings; promotions: Promotion[]; display: ShopDisplay }> {
  if (cached && now - cached.at >= 0 && now - cached.at < TTL_MS) return cached;
  const _ = cmd();
  const [s, p] = await Promise.all([
    db().collection('settings').doc('shop').get(),
    db().collection('promotions').where({ enabled: true, endAt: _.gt(now) }).limit(100).get(),
  ]);
  const stored = (s.data as (Partial<ShopSettings> & Partial<ShopDisplay> & { _id?: string }) | null) ?? {};
  const settings: ShopSettings = {
    shippingFen: stored.shippingFen ?? DEFAULT_SETTINGS.shippingFen,
    freeShippingOverFen: stored.freeShippingOverFen ?? DEFAULT_SETTINGS.freeShippingOverFen,
    unpaidCloseMinutes: stored.unpaidCloseMinutes ?? DEFAULT_SETTINGS.unpaidCloseMinutes,
    autoConfirmDays: stored.autoConfirmDays ?? DEFAULT_SETTINGS.autoConfirmDays,
    returnWindowDays: stored.returnWindowDays ?? DEFAULT_SETTINGS.returnWindowDays,
  };
  const display: ShopDisplay = { shopName: stored.shopName ?? '', banners: Array.isArray(stored.banners) ? stored.banners : [] };
  cached = { at: now, settings, promotions: ((p.data as PromotionDoc[]) ?? []).map(toPromotion), display };
  return cached;
}

/** Forget the cache (tests / after an admin change in the same instance). */
export function invalidateShopCache(): void {
  cached = null;
}

/** SKU documents: the source of truth for price and stock. */
import type { PricingSku } from '../core/pricing';
import { db, cmd } from './cloud';

export interface SkuDoc {
  _id: string;
  productId: string;
  categoryId: string;
  title: string;
  image: string;
  specValues: string[];
  specText: string;
  price: number;
  listPrice?: number;
  stock: number;
  sold: number;
  onShelf: boolean;
  holds: string[];
}

export function toPricingSku(d: SkuDoc): PricingSku {
  return {
    skuId: d._id,
    productId: d.productId,
    categoryId: d.categoryId,
    title: d.title,
    specText: d.specText ?? '',
    image: d.image ?? '',
    price: d.price,
    listPrice: d.listPrice,
    stock: d.stock,
    onShelf: d.onShelf === true,
  };
}

/** Reads the given SKUs in one request (ids are deduplicated; at most 100 distinct). */
export async function readSkus(ids: readonly string[]): Promise<Record<string, PricingSku>> {
  const unique = [...new Set(ids)];
  const _ = cmd();
  const res = await db()
    .collection('skus')
    .where({ _id: _.in(unique) })
    .limit(Math.max(1, Math.min(unique.length, 1000)))
    .get();
  const out: Record<string, PricingSku> = {};
  for (const d of (res.data as SkuDoc[]) ?? []) out[d._id] = toPricingSku(d);
  return out;
}

/** catalog: home page, categories, product lists and the product page (prices and stock from `skus`). */
import { z } from '../../../server/zod';
import { fail, ok } from '../../../core/errors';
import { activePromotions, productPromotionBadge, type Promotion } from '../../../core/pricing';
import { action, defineHandler, zs } from '../../../server/handler';
import { db, cmd } from '../../../server/cloud';
import { loadShop } from '../../../server/settings';
import type { SkuDoc } from '../../../server/skus';

interface ProductDoc {
  _id: string;
  title: string;
  subtitle?: string;
  categoryId: string;
  images: string[];
  detailImages?: string[];
  status: 'draft' | 'on_shelf' | 'off_shelf';
  specs?: { name: string; values: string[] }[];
  skus?: { _id: string; specValues: string[]; price: number; listPrice?: number }[];
  minPrice: number;
  sold?: number;
  sort?: number;
  createdAt?: number;
}

interface CategoryDoc {
  _id: string;
  name: string;
  parentId: string | null;
  sort: number;
  icon?: string;
}

const SORTS = ['default', 'sales', 'price_asc', 'price_desc', 'new'] as const;

function card(p: ProductDoc, promotions: Promotion[], now: number) {
  const listPrices = (p.skus ?? []).map((s) => s.listPrice).filter((x): x is number => typeof x === 'number');
  // Limited-time price from the display snapshot of SKU prices (the product page and the quote use live SKUs).
  const snapshot: Record<string, number> = {};
  for (const s of p.skus ?? []) if (typeof s.price === 'number') snapshot[s._id] = s.price;
  const badge = Object.keys(snapshot).length ? productPromotionBadge(promotions, p._id, snapshot, now) : null;
  return {
    promoPrice: badge?.discount ? badge.discount.minPrice : undefined,
    _id: p._id,
    title: p.title,
    subtitle: p.subtitle ?? '',
    image: p.images?.[0] ?? '',
    minPrice: p.minPrice,
    listPrice: listPrices.length ? Math.max(...listPrices) : undefined,
    sold: p.sold ?? 0,
    categoryId: p.categoryId,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function allCategories(): Promise<CategoryDoc[]> {
  const res = await db().collection('categories').orderBy('sort', 'asc').limit(1000).get();
  return (res.data as CategoryDoc[]) ?? [];
}

async function listProducts(
  input: { categoryId?: string; keyword?: string; page?: number; pageSize?: number; sort?: (typeof SORTS)[number] },
  now: number,
) {
  const { promotions } = await loadShop(now);
  const _ = cmd();
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 10;
  const where: Record<string, unknown> = { status: 'on_shelf' };
  if (input.categoryId) {
    const cats = await allCategories();
    const ids = [input.categoryId, ...cats.filter((c) => c.parentId === input.categoryId).map((c) => c._id)];
    where.categoryId = _.in(ids);
  }
  if (input.keyword) where.title = db().RegExp({ regexp: escapeRegExp(input.keyword), options: 'i' });
  let q = db().collection('products').where(where);
  switch (input.sort ?? 'default') {
    case 'sales':
      q = q.orderBy('sold', 'desc');
      break;
    case 'price_asc':
      q = q.orderBy('minPrice', 'asc');
      break;
    case 'price_desc':
      q = q.orderBy('minPrice', 'desc');
      break;
    case 'new':
      q = q.orderBy('createdAt', 'desc');
      break;
    default:
      q = q.orderBy('sort', 'asc');
  }
  const res = await q.orderBy('_id', 'asc').skip((page - 1) * pageSize).limit(pageSize + 1).get();
  const rows = (res.data as ProductDoc[]) ?? [];
  return { items: rows.slice(0, pageSize).map((p) => card(p, promotions, now)), hasMore: rows.length > pageSize, page };
}

const productsInput = z.object({
  categoryId: zs.id('分类').optional(),
  keyword: zs.text('搜索词', 30).optional(),
  page: zs.page(),
  pageSize: z.number({ error: '每页数量必须是正整数' }).int({ error: '每页数量必须是正整数' }).min(1, { error: '每页数量必须是正整数' }).max(50, { error: '每页数量不能超过50' }).optional(),
  sort: z.enum(SORTS, { error: '排序方式不正确' }).optional(),
});

export const main = defineHandler({
  actions: {
    home: action({
      input: z.object({}),
      run: async (_i, ctx) => {
        const [categories, feed, shop] = await Promise.all([allCategories(), listProducts({ page: 1, pageSize: 10 }, ctx.now), loadShop(ctx.now)]);
        const banners = shop.display.banners.length
          ? shop.display.banners
          : feed.items.slice(0, 3).map((p) => ({ image: p.image, productId: p._id, title: p.title }));
        const promotions = activePromotions(shop.promotions, ctx.now).map((p) => ({ id: p.id, type: p.type, title: p.title, endAt: p.endAt }));
        return ok({ shopName: shop.display.shopName, banners, categories, promotions, feed: { items: feed.items, hasMore: feed.hasMore } });
      },
    }),

    categories: action({
      input: z.object({}),
      run: async () => ok(await allCategories()),
    }),

    products: action({
      input: productsInput,
      run: async (input, ctx) => ok(await listProducts(input, ctx.now)),
    }),

    product: action({
      input: z.object({ id: zs.id('商品编号') }),
      run: async (input, ctx) => {
        const p = (await db().collection('products').doc(input.id).get()).data as ProductDoc | null;
        if (!p || p.status === 'draft') return fail('NOT_FOUND', '商品不存在或已下架');
        const [skuRes, shop] = await Promise.all([
          db().collection('skus').where({ productId: input.id }).limit(200).get(),
          loadShop(ctx.now),
        ]);
        const skus = ((skuRes.data as SkuDoc[]) ?? [])
          .sort((a, b) => (a._id < b._id ? -1 : 1))
          .map((s) => ({
            _id: s._id,
            specValues: s.specValues,
            specText: s.specText,
            image: s.image,
            price: s.price,
            listPrice: s.listPrice,
            stock: Math.max(0, s.stock),
            onShelf: s.onShelf,
          }));
        const prices: Record<string, number> = {};
        for (const s of skus) prices[s._id] = s.price;
        const badge = productPromotionBadge(shop.promotions, p._id, prices, ctx.now);
        return ok({ ...p, skus, promotions: badge, onShelf: p.status === 'on_shelf' });
      },
    }),
  },
});

/**
 * A small fixture shop, written straight into the local cloud's database (uncounted, no functions involved).
 * Prices in fen. Settings: shipping 10 元, free from 99 元, unpaid orders close after 30 min,
 * auto-confirm after 10 days, 7-day return window.
 */
import type { LocalCloud } from '../../localcloud';

export const BUYER = 'o_buyer_1';
export const BUYER2 = 'o_buyer_2';
export const MERCHANT = 'o_merchant';

export const SETTINGS = {
  _id: 'shop',
  shippingFen: 1000,
  freeShippingOverFen: 9900,
  unpaidCloseMinutes: 30,
  autoConfirmDays: 10,
  returnWindowDays: 7,
};

export const SKU = {
  teeRed: 'sku_tee_red',
  teeBlue: 'sku_tee_blue',
  mug: 'sku_mug',
  offShelf: 'sku_old',
  scarce: 'sku_scarce',
} as const;

export interface SkuSeed {
  _id: string;
  productId: string;
  price: number;
  stock: number;
  onShelf?: boolean;
  title?: string;
  specText?: string;
}

export function skuDoc(s: SkuSeed) {
  return {
    _id: s._id,
    productId: s.productId,
    categoryId: 'cat_clothes_tee',
    title: s.title ?? `商品${s._id}`,
    image: `https://img.example.com/${s._id}.png`,
    specValues: [s.specText ?? '默认'],
    specText: s.specText ?? '默认',
    price: s.price,
    stock: s.stock,
    sold: 0,
    onShelf: s.onShelf ?? true,
    holds: [] as string[],
  };
}

export function addressDoc(openid: string, id = `addr_${openid}`) {
  return {
    _id: id,
    openid,
    name: '张三',
    phone: '13800138000',
    region: ['广东省', '深圳市', '南山区'],
    detail: '科技园科苑路1号',
    isDefault: true,
    createdAt: 0,
  };
}

/** Seeds the whole shop. Call on an empty database (`lc.db.clear()` first when re-seeding). */
export function seedShop(lc: LocalCloud, opts: { promotions?: boolean } = {}) {
  const db = lc.db;
  db.insert('settings', SETTINGS);
  db.insert('users', { _id: MERCHANT, nickname: '店主', avatar: '', roles: ['merchant'], createdAt: 0 });
  db.insert('users', { _id: BUYER, nickname: '买家一', avatar: '', roles: [], createdAt: 0 });
  db.insert('categories', { _id: 'cat_clothes', name: '服装', parentId: null, sort: 1, icon: '' });
  db.insert('categories', { _id: 'cat_clothes_tee', name: 'T恤', parentId: 'cat_clothes', sort: 1, icon: '' });
  db.insert('categories', { _id: 'cat_home', name: '家居', parentId: null, sort: 2, icon: '' });
  const now = lc.clock.now();
  const products = [
    { _id: 'p_tee', title: '纯棉T恤', categoryId: 'cat_clothes_tee', status: 'on_shelf', minPrice: 5900, sold: 10, sort: 1 },
    { _id: 'p_mug', title: '陶瓷马克杯', categoryId: 'cat_home', status: 'on_shelf', minPrice: 2500, sold: 50, sort: 2 },
    { _id: 'p_old', title: '旧款帆布包', categoryId: 'cat_home', status: 'off_shelf', minPrice: 3000, sold: 0, sort: 3 },
    { _id: 'p_scarce', title: '限量徽章', categoryId: 'cat_home', status: 'on_shelf', minPrice: 1000, sold: 0, sort: 4 },
  ];
  for (const p of products) {
    db.insert('products', {
      ...p,
      subtitle: '',
      images: [`https://img.example.com/${p._id}.png`],
      detailImages: [],
      specs: [],
      skus: [{ _id: `sku_${p._id.slice(2)}`, specValues: ['默认'], price: p.minPrice }],
      createdAt: now,
      updatedAt: now,
    });
  }
  db.insert('skus', skuDoc({ _id: SKU.teeRed, productId: 'p_tee', price: 5900, stock: 100, title: '纯棉T恤', specText: '红色 L' }));
  db.insert('skus', skuDoc({ _id: SKU.teeBlue, productId: 'p_tee', price: 6900, stock: 100, title: '纯棉T恤', specText: '蓝色 XL' }));
  db.insert('skus', { ...skuDoc({ _id: SKU.mug, productId: 'p_mug', price: 2500, stock: 100, title: '陶瓷马克杯' }), categoryId: 'cat_home' });
  db.insert('skus', { ...skuDoc({ _id: SKU.offShelf, productId: 'p_old', price: 3000, stock: 100, onShelf: false, title: '旧款帆布包' }), categoryId: 'cat_home' });
  db.insert('skus', { ...skuDoc({ _id: SKU.scarce, productId: 'p_scarce', price: 1000, stock: 5, title: '限量徽章' }), categoryId: 'cat_home' });
  if (opts.promotions) {
    db.insert('promotions', {
      _id: 'promo_mug',
      type: 'discount',
      title: '马克杯限时8折',
      enabled: true,
      startAt: now - 3600e3,
      endAt: now + 30 * 86400e3,
      percentOffBp: 2000,
      productIds: ['p_mug'],
    });
  }
  db.insert('addresses', addressDoc(BUYER));
  db.insert('addresses', addressDoc(BUYER2));
}

const SNAPSHOT_COLLECTIONS = ['orders', 'skus', 'stock_movements', 'payments', 'after_sales', 'audit_logs', 'users', 'addresses'];

/** A deterministic JSON picture of the mutable collections, for "nothing changed" assertions. */
export function snapshot(lc: LocalCloud, collections = SNAPSHOT_COLLECTIONS): string {
  const out: Record<string, unknown[]> = {};
  for (const c of collections) out[c] = lc.db.find(c, {}, { sort: { _id: 1 } });
  return JSON.stringify(out);
}

/**
 * The demo shop: categories, products, SKUs, promotions, settings, people and addresses.
 *
 * Pure and deterministic: the same `now` (epoch ms) gives byte-identical documents. All money is integer
 * fen, all times are epoch milliseconds. Image fields hold whatever `imageUrl(path)` returns for a
 * rendered image path (see `./images.ts`): '/storage/<path>' by default (the local cloud serves it
 * same-origin for h5), a `cloud://` fileID when seeded into a real environment.
 */

import { defaultDistributionSettings, type DistributionSettings } from '../../core/distribution/settings';
import type { SkuDoc } from '../../server/skus';

export const DAY_MS = 86_400_000;

export type ImageUrl = (path: string) => string;
export const localImageUrl: ImageUrl = (path) => `/storage/${path}`;

export interface CategoryDoc {
  _id: string;
  name: string;
  parentId: string | null;
  sort: number;
  icon: string;
}

export interface SpecDim {
  name: string;
  values: string[];
}

export interface ProductSkuSnapshot {
  _id: string;
  specValues: string[];
  price: number;
  listPrice?: number;
}

export interface ProductDoc {
  _id: string;
  title: string;
  subtitle: string;
  categoryId: string;
  images: string[];
  detailImages: string[];
  status: 'draft' | 'on_shelf' | 'off_shelf';
  specs: SpecDim[];
  skus: ProductSkuSnapshot[];
  minPrice: number;
  sold: number;
  sort: number;
  createdAt: number;
  updatedAt: number;
}

export type { SkuDoc };

export interface PromotionDoc {
  _id: string;
  type: 'discount' | 'full_reduction';
  title: string;
  enabled: boolean;
  startAt: number;
  endAt: number;
  skuPrices?: Record<string, number>;
  percentOffBp?: number;
  productIds?: string[];
  tiers?: { thresholdFen: number; reduceFen: number }[];
}

export interface BannerDoc {
  id: string;
  image: string;
  title: string;
  productId?: string;
  categoryId?: string;
  promotionId?: string;
}

export interface SettingsDoc {
  _id: 'shop';
  shippingFen: number;
  freeShippingOverFen: number;
  unpaidCloseMinutes: number;
  autoConfirmDays: number;
  returnWindowDays: number;
  /** Not in the contract's field list: the home-page banner swiper (additive field). */
  shopName: string;
  banners: BannerDoc[];
}

export interface UserDoc {
  _id: string;
  nickname: string;
  avatar: string;
  roles: string[];
  /** Shown by the h5 dev sign-in list (`GET /__dev/people`). */
  devLabel: string;
  createdAt: number;
}

export interface AddressDoc {
  _id: string;
  openid: string;
  name: string;
  phone: string;
  region: [string, string, string];
  detail: string;
  isDefault: boolean;
  createdAt: number;
}

/** A distributor (issue 3): `distributors` doc; its code is reserved in `distributor_codes`. */
export interface DistributorSeedDoc {
  _id: string;
  code: string;
  status: 'active';
  levelId: string;
  inviterId: string | null;
  ancestors: string[];
  joinedAt: number;
  approvedAt: number;
  levelHistory: { from: string | null; to: string; reason: string; by: string; at: number }[];
}

export interface DistributorCodeDoc {
  _id: string;
  openid: string;
  createdAt: number;
}

export interface DemoShop {
  distributors: DistributorSeedDoc[];
  distributor_codes: DistributorCodeDoc[];
  /** `settings/distribution` (written by seedInto next to `settings/shop`) */
  distributionSettings: DistributionSettings & { _id: 'distribution' };
  categories: CategoryDoc[];
  products: ProductDoc[];
  skus: SkuDoc[];
  promotions: PromotionDoc[];
  settings: SettingsDoc[];
  users: UserDoc[];
  addresses: AddressDoc[];
}

/** Collections written by the seed, in write order. */
export const SEEDED_COLLECTIONS = ['categories', 'products', 'skus', 'promotions', 'settings', 'users', 'addresses', 'distributors', 'distributor_codes'] as const;
export type SeededCollection = (typeof SEEDED_COLLECTIONS)[number];

export const DEMO_OPENIDS = {
  shopper: 'o_demo_shopper',
  distributor: 'o_demo_distributor',
  merchant: 'o_demo_merchant',
} as const;

// ---------------------------------------------------------------------------------------------
// Source tables
// ---------------------------------------------------------------------------------------------

/** Picture kinds drawn by `./images.ts`. */
export type Shape =
  | 'tshirt' | 'pants' | 'coat' | 'dress'
  | 'earbuds' | 'headphones' | 'charger' | 'cable'
  | 'bottle' | 'tube' | 'lipstick' | 'palette'
  | 'pouch' | 'box' | 'jar' | 'cup'
  | 'bed' | 'pillow' | 'pan' | 'bowl'
  | 'diaper' | 'bear';

interface TopDef {
  id: string;
  name: string;
  subs: [string, string][]; // [id, name]
}

export const TOP_CATEGORIES: TopDef[] = [
  { id: 'c01', name: '服饰', subs: [['c0101', '男装'], ['c0102', '女装']] },
  { id: 'c02', name: '数码', subs: [['c0201', '耳机'], ['c0202', '配件']] },
  { id: 'c03', name: '美妆', subs: [['c0301', '护肤'], ['c0302', '彩妆']] },
  { id: 'c04', name: '食品', subs: [['c0401', '零食'], ['c0402', '茶饮']] },
  { id: 'c05', name: '家居', subs: [['c0501', '家纺'], ['c0502', '厨具']] },
  { id: 'c06', name: '母婴', subs: [['c0601', '婴童用品'], ['c0602', '童装']] },
];

interface ProductDef {
  title: string;
  subtitle: string;
  cat: string;
  shape: Shape;
  specs: [string, string[]][];
  /** Base price in fen. */
  price: number;
  /** Base list price in fen (the per-value deltas apply to it as well). */
  listPrice?: number;
  /** Price increase in fen by spec value. */
  delta?: Record<string, number>;
  status?: 'on_shelf' | 'off_shelf';
  /** Fixed stock per SKU index (overrides the generated stock). */
  stockOverride?: Record<number, number>;
}

const PRODUCTS: ProductDef[] = [
  // 服饰 > 男装
  { title: '新疆长绒棉圆领短袖T恤 男款', subtitle: '260g重磅纯棉 透气挺括不变形', cat: 'c0101', shape: 'tshirt',
    specs: [['颜色', ['白色', '黑色', '藏青']], ['尺码', ['M', 'L', 'XL', 'XXL']]], price: 6900, listPrice: 9900 },
  { title: '男士弹力免烫商务休闲裤', subtitle: '四面弹面料 久坐不皱 四季可穿', cat: 'c0101', shape: 'pants',
    specs: [['颜色', ['卡其', '深灰']], ['尺码', ['30', '32', '34', '36']]], price: 15900, listPrice: 22900 },
  { title: '男士轻薄羽绒服 90%白鸭绒', subtitle: '可收纳便携 轻暖不臃肿', cat: 'c0101', shape: 'coat',
    specs: [['颜色', ['黑色', '雾蓝']], ['尺码', ['L', 'XL', 'XXL']]], price: 39900, listPrice: 59900 },
  // 服饰 > 女装
  { title: '法式碎花雪纺连衣裙', subtitle: '收腰显瘦 温柔气质 春夏新款', cat: 'c0102', shape: 'dress',
    specs: [['颜色', ['蓝色碎花', '杏色碎花']], ['尺码', ['S', 'M', 'L']]], price: 18900, listPrice: 25900 },
  { title: '羊毛混纺软糯针织开衫', subtitle: '亲肤不扎 百搭外套', cat: 'c0102', shape: 'coat',
    specs: [['颜色', ['米白', '燕麦', '雾霾蓝']], ['尺码', ['S', 'M', 'L']]], price: 25900, listPrice: 32900 },
  { title: '高腰垂感阔腿牛仔裤 女', subtitle: '显高显瘦 微弹舒适', cat: 'c0102', shape: 'pants',
    specs: [['颜色', ['浅蓝', '深蓝']], ['尺码', ['25', '26', '27', '28', '29']]], price: 13900 },
  // 数码 > 耳机
  { title: '真无线主动降噪蓝牙耳机', subtitle: '42dB深度降噪 30小时长续航', cat: 'c0201', shape: 'earbuds',
    specs: [['颜色', ['曜石黑', '云母白']]], price: 29900, listPrice: 39900, stockOverride: { 1: 0 } },
  { title: '头戴式无线降噪耳机', subtitle: '沉浸重低音 可折叠收纳', cat: 'c0201', shape: 'headphones',
    specs: [['颜色', ['黑色', '银灰']]], price: 45900, listPrice: 59900 },
  { title: '运动挂耳式蓝牙耳机', subtitle: 'IPX5防汗防水 跑步不掉耳', cat: 'c0201', shape: 'earbuds',
    specs: [['颜色', ['活力橙', '石墨黑']]], price: 15900 },
  // 数码 > 配件
  { title: '65W氮化镓三口快充充电器', subtitle: '一头多充 小巧便携 兼容笔记本', cat: 'c0202', shape: 'charger',
    specs: [['套餐', ['单充电头', '充电头+双C线']]], price: 9900, listPrice: 12900, delta: { '充电头+双C线': 2000 } },
  { title: '20000mAh大容量充电宝', subtitle: '22.5W双向快充 可上飞机', cat: 'c0202', shape: 'charger',
    specs: [['颜色', ['白色', '黑色']]], price: 12900 },
  { title: 'Type-C编织快充数据线', subtitle: '100W快充 耐弯折', cat: 'c0202', shape: 'cable',
    specs: [['长度', ['1米', '1.5米', '2米']]], price: 2900, delta: { '1.5米': 500, '2米': 1000 } },
  // 美妆 > 护肤
  { title: '玻尿酸补水保湿精华液', subtitle: '深层补水 温和修护 敏感肌可用', cat: 'c0301', shape: 'bottle',
    specs: [['容量', ['30ml', '50ml']]], price: 12900, listPrice: 16900, delta: { '50ml': 6000 } },
  { title: '氨基酸温和洁面乳', subtitle: '绵密泡沫 洗后不紧绷', cat: 'c0301', shape: 'tube',
    specs: [['容量', ['100g', '150g']]], price: 5900, delta: { '150g': 2000 } },
  { title: '清爽隔离防晒乳 SPF50+', subtitle: '轻薄不油腻 户外通勤', cat: 'c0301', shape: 'tube',
    specs: [['容量', ['40ml', '60ml']]], price: 8900, listPrice: 11900, delta: { '60ml': 3000 } },
  // 美妆 > 彩妆
  { title: '丝绒哑光口红', subtitle: '显白不拔干 持久不掉色', cat: 'c0302', shape: 'lipstick',
    specs: [['色号', ['#01 正红', '#02 豆沙', '#03 枫叶红', '#04 奶茶']]], price: 9900, listPrice: 13900 },
  { title: '24小时持妆粉底液', subtitle: '控油遮瑕 轻薄服帖', cat: 'c0302', shape: 'bottle',
    specs: [['色号', ['01 象牙白', '02 自然色', '03 小麦色']]], price: 16900 },
  { title: '限定款九色眼影盘 最后5件', subtitle: '大地色系 日常百搭 限量发售', cat: 'c0302', shape: 'palette',
    specs: [['色系', ['限定大地色']]], price: 12900, listPrice: 15900, stockOverride: { 0: 5 } },
  // 食品 > 零食
  { title: '每日坚果混合果仁', subtitle: '6种坚果果干 独立小包装', cat: 'c0401', shape: 'pouch',
    specs: [['规格', ['15袋装', '30袋装']]], price: 6900, listPrice: 8900, delta: { '30袋装': 5000 } },
  { title: '台式手工牛轧糖', subtitle: '奶香浓郁 不粘牙', cat: 'c0401', shape: 'box',
    specs: [['口味', ['原味', '蔓越莓', '抹茶']]], price: 3900 },
  { title: '低糖全麦吐司面包 1kg', subtitle: '高纤饱腹 早餐代餐', cat: 'c0401', shape: 'box',
    specs: [['口味', ['原味', '黑麦']]], price: 2990 },
  { title: '内蒙古风干牛肉干', subtitle: '手撕肉干 越嚼越香', cat: 'c0401', shape: 'pouch',
    specs: [['口味', ['麻辣', '五香', '孜然']], ['规格', ['100g', '250g']]], price: 4900, delta: { '250g': 6000 } },
  // 食品 > 茶饮
  { title: '明前龙井绿茶 2026新茶', subtitle: '核心产区 豆香清雅 罐装', cat: 'c0402', shape: 'jar',
    specs: [['规格', ['125g', '250g']]], price: 16800, listPrice: 19800, delta: { '250g': 15000 } },
  { title: '云南小粒咖啡豆 中度烘焙', subtitle: '坚果可可风味 新鲜烘焙', cat: 'c0402', shape: 'pouch',
    specs: [['规格', ['500g']], ['研磨', ['咖啡豆', '中细研磨粉']]], price: 8800 },
  { title: '冻干柠檬片 独立小包', subtitle: '酸甜清爽 冷热皆宜', cat: 'c0402', shape: 'jar',
    specs: [['规格', ['10包', '20包']]], price: 2900, delta: { '20包': 2500 } },
  // 家居 > 家纺
  { title: '60支长绒棉贡缎四件套', subtitle: '亲肤柔滑 酒店同款', cat: 'c0501', shape: 'bed',
    specs: [['颜色', ['月光白', '雾霾蓝', '浅杏']], ['尺寸', ['1.5m床', '1.8m床']]], price: 39900, listPrice: 59900, delta: { '1.8m床': 6000 } },
  { title: '记忆棉慢回弹护颈枕', subtitle: '贴合颈椎 助眠减压', cat: 'c0501', shape: 'pillow',
    specs: [['规格', ['标准款', '加高款']]], price: 12900, delta: { '加高款': 2000 } },
  { title: '加厚珊瑚绒毛毯', subtitle: '柔软保暖 午睡盖毯', cat: 'c0501', shape: 'pillow',
    specs: [['颜色', ['奶白', '灰粉']], ['尺寸', ['100×150cm', '150×200cm']]], price: 6900, delta: { '150×200cm': 4000 } },
  // 家居 > 厨具
  { title: '麦饭石不粘炒锅 32cm', subtitle: '少油烟 电磁炉燃气灶通用', cat: 'c0502', shape: 'pan',
    specs: [['套餐', ['单锅', '锅+可视玻璃盖']]], price: 19900, listPrice: 26900, delta: { '锅+可视玻璃盖': 3000 } },
  { title: '316不锈钢保温杯', subtitle: '12小时长效保温 一键开盖', cat: 'c0502', shape: 'cup',
    specs: [['颜色', ['雾白', '墨绿', '樱花粉']], ['容量', ['350ml', '500ml']]], price: 7900, delta: { '500ml': 1000 } },
  { title: '日式釉下彩陶瓷餐具套装', subtitle: '可微波可洗碗机 (已下架)', cat: 'c0502', shape: 'bowl',
    specs: [['规格', ['2人食', '4人食']]], price: 9900, delta: { '4人食': 8000 }, status: 'off_shelf' },
  // 母婴 > 婴童用品
  { title: '超薄透气婴儿纸尿裤', subtitle: '干爽不闷 夜用安心', cat: 'c0601', shape: 'diaper',
    specs: [['尺码', ['S 84片', 'M 64片', 'L 54片', 'XL 44片']]], price: 12900 },
  { title: '婴儿手口专用湿巾 80抽', subtitle: '无香配方 加厚珍珠纹', cat: 'c0601', shape: 'box',
    specs: [['规格', ['6包', '12包']]], price: 4900, delta: { '12包': 4500 } },
  { title: '宝宝硅胶吸盘餐具套装', subtitle: '食品级硅胶 防摔防滑', cat: 'c0601', shape: 'bowl',
    specs: [['颜色', ['奶油黄', '雾蓝']]], price: 8900 },
  // 母婴 > 童装
  { title: '儿童A类纯棉家居服套装', subtitle: '柔软亲肤 宽松不勒', cat: 'c0602', shape: 'bear',
    specs: [['颜色', ['小熊黄', '恐龙绿']], ['尺码', ['90', '100', '110', '120']]], price: 9900, listPrice: 12900 },
  { title: '儿童轻薄防风外套', subtitle: '防泼水 春秋出游', cat: 'c0602', shape: 'coat',
    specs: [['颜色', ['藏青', '红色']], ['尺码', ['100', '110', '120', '130']]], price: 15900 },
];

/** Products in the 限时折扣 and the discount applied to their every SKU (basis points of price). */
const FLASH_PRODUCTS = ['p001', 'p007', 'p013', 'p019', 'p026'];
const FLASH_RATE_BP = 8000;

// ---------------------------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG (same seed → same sequence). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function intBetween(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function cartesian(dims: string[][]): string[][] {
  return dims.reduce<string[][]>((acc, values) => acc.flatMap((prefix) => values.map((v) => [...prefix, v])), [[]]);
}

export const pad3 = (n: number): string => String(n).padStart(3, '0');
export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Image paths of one product (index 1-based). Odd products get two detail images. */
export function productImagePaths(index: number): { images: string[]; detailImages: string[] } {
  const id = `p${pad3(index)}`;
  const detailCount = index % 2 === 1 ? 2 : 1;
  return {
    images: [`products/${id}-1.png`, `products/${id}-2.png`],
    detailImages: Array.from({ length: detailCount }, (_, i) => `products/${id}-d${i + 1}.png`),
  };
}

/** What `./images.ts` must draw: every image referenced by the demo shop. */
export interface ImageSpec {
  path: string;
  kind: 'product' | 'detail' | 'banner' | 'category' | 'avatar';
  width: number;
  height: number;
  /** Top-level category id giving the palette. */
  palette: string;
  shape: Shape;
  variant: number;
}

export function imageSpecs(): ImageSpec[] {
  const specs: ImageSpec[] = [];
  PRODUCTS.forEach((def, i) => {
    const palette = def.cat.slice(0, 3);
    const { images, detailImages } = productImagePaths(i + 1);
    images.forEach((path, v) => specs.push({ path, kind: 'product', width: 750, height: 750, palette, shape: def.shape, variant: i * 2 + v }));
    detailImages.forEach((path, v) => specs.push({ path, kind: 'detail', width: 750, height: 900, palette, shape: def.shape, variant: i * 2 + v }));
  });
  BANNERS.forEach((b, i) =>
    specs.push({ path: `banners/${b.id}.png`, kind: 'banner', width: 750, height: 320, palette: b.palette, shape: b.shape, variant: i }));
  TOP_CATEGORIES.forEach((top, i) => {
    const shapes = PRODUCTS.filter((p) => p.cat.startsWith(top.id)).map((p) => p.shape);
    specs.push({ path: `categories/${top.id}.png`, kind: 'category', width: 120, height: 120, palette: top.id, shape: shapes[0], variant: i });
    top.subs.forEach(([subId], j) => {
      const sub = PRODUCTS.find((p) => p.cat === subId);
      specs.push({ path: `categories/${subId}.png`, kind: 'category', width: 120, height: 120, palette: top.id, shape: sub ? sub.shape : shapes[0], variant: i * 2 + j + 1 });
    });
  });
  PEOPLE.forEach((p, i) =>
    specs.push({ path: `avatars/${p.key}.png`, kind: 'avatar', width: 132, height: 132, palette: p.palette, shape: 'bear', variant: i }));
  return specs;
}

const BANNERS: { id: string; title: string; palette: string; shape: Shape; productId?: string; categoryId?: string; promotionId?: string }[] = [
  { id: 'b1', title: '限时折扣 低至8折', palette: 'c01', shape: 'tshirt', promotionId: 'promo-flash' },
  { id: 'b2', title: '数码好物 降噪耳机新品', palette: 'c02', shape: 'headphones', categoryId: 'c02' },
  { id: 'b3', title: '满199减20 满399减50', palette: 'c05', shape: 'bed', promotionId: 'promo-full' },
];

const PEOPLE: { key: string; openid: string; nickname: string; roles: string[]; devLabel: string; palette: string }[] = [
  { key: 'shopper', openid: DEMO_OPENIDS.shopper, nickname: '小王', roles: [], devLabel: '小王 / 顾客', palette: 'c04' },
  { key: 'distributor', openid: DEMO_OPENIDS.distributor, nickname: '李姐', roles: [], devLabel: '李姐 / 分销商', palette: 'c03' },
  { key: 'merchant', openid: DEMO_OPENIDS.merchant, nickname: '店长', roles: ['merchant'], devLabel: '店长 / 商家', palette: 'c02' },
];

// ---------------------------------------------------------------------------------------------
// The shop
// ---------------------------------------------------------------------------------------------

/** The demo shop at clock `now` (epoch ms). Deterministic in `now`. */
export function demoShop(now: number, imageUrl: ImageUrl = localImageUrl): DemoShop {
  const categories: CategoryDoc[] = [];
  TOP_CATEGORIES.forEach((top, i) => {
    categories.push({ _id: top.id, name: top.name, parentId: null, sort: i + 1, icon: imageUrl(`categories/${top.id}.png`) });
    top.subs.forEach(([id, name], j) => categories.push({ _id: id, name, parentId: top.id, sort: j + 1, icon: imageUrl(`categories/${id}.png`) }));
  });

  const products: ProductDoc[] = [];
  const skus: SkuDoc[] = [];
  const rand = prng(20261126);
  PRODUCTS.forEach((def, i) => {
    const index = i + 1;
    const productId = `p${pad3(index)}`;
    const status = def.status ?? 'on_shelf';
    const paths = productImagePaths(index);
    const images = paths.images.map(imageUrl);
    const specs: SpecDim[] = def.specs.map(([name, values]) => ({ name, values: [...values] }));
    const combos = cartesian(def.specs.map(([, values]) => values));
    const productSkus: SkuDoc[] = combos.map((specValues, k) => {
      const extra = specValues.reduce((sum, v) => sum + (def.delta?.[v] ?? 0), 0);
      const price = def.price + extra;
      const generatedStock = intBetween(rand, 8, 200);
      const sold = intBetween(rand, 0, 600);
      const stock = def.stockOverride?.[k] ?? generatedStock;
      const sku: SkuDoc = {
        _id: `${productId}-s${pad2(k + 1)}`,
        productId,
        categoryId: def.cat,
        title: def.title,
        image: images[0],
        specValues,
        specText: specValues.join(' / '),
        price,
        stock,
        sold,
        onShelf: status === 'on_shelf',
        holds: [],
      };
      if (def.listPrice !== undefined) sku.listPrice = def.listPrice + extra;
      return sku;
    });
    const createdAt = now - (PRODUCTS.length - i) * DAY_MS;
    products.push({
      _id: productId,
      title: def.title,
      subtitle: def.subtitle,
      categoryId: def.cat,
      images,
      detailImages: paths.detailImages.map(imageUrl),
      status,
      specs,
      skus: productSkus.map((s) => {
        const snap: ProductSkuSnapshot = { _id: s._id, specValues: [...s.specValues], price: s.price };
        if (s.listPrice !== undefined) snap.listPrice = s.listPrice;
        return snap;
      }),
      minPrice: Math.min(...productSkus.map((s) => s.price)),
      sold: productSkus.reduce((sum, s) => sum + s.sold, 0),
      sort: index,
      createdAt,
      updatedAt: createdAt,
    });
    skus.push(...productSkus);
  });

  const skuPrices: Record<string, number> = {};
  for (const s of skus) {
    if (FLASH_PRODUCTS.includes(s.productId)) {
      // floor to whole 角 so the flash price reads well; always strictly below the normal price
      skuPrices[s._id] = Math.floor((s.price * FLASH_RATE_BP) / 10000 / 10) * 10;
    }
  }
  const promotions: PromotionDoc[] = [
    {
      _id: 'promo-flash',
      type: 'discount',
      title: '限时折扣',
      enabled: true,
      startAt: now - DAY_MS,
      endAt: now + 7 * DAY_MS,
      skuPrices,
      productIds: [...FLASH_PRODUCTS],
    },
    {
      _id: 'promo-full',
      type: 'full_reduction',
      title: '满199减20，满399减50',
      enabled: true,
      startAt: now - DAY_MS,
      endAt: now + 30 * DAY_MS,
      productIds: [],
      tiers: [
        { thresholdFen: 19900, reduceFen: 2000 },
        { thresholdFen: 39900, reduceFen: 5000 },
      ],
    },
  ];

  const settings: SettingsDoc[] = [
    {
      _id: 'shop',
      shippingFen: 800,
      freeShippingOverFen: 9900,
      unpaidCloseMinutes: 30,
      autoConfirmDays: 10,
      returnWindowDays: 7,
      shopName: '好物分销商城',
      banners: BANNERS.map((b) => {
        const banner: BannerDoc = { id: b.id, image: imageUrl(`banners/${b.id}.png`), title: b.title };
        if (b.productId) banner.productId = b.productId;
        if (b.categoryId) banner.categoryId = b.categoryId;
        if (b.promotionId) banner.promotionId = b.promotionId;
        return banner;
      }),
    },
  ];

  const users: UserDoc[] = PEOPLE.map((p, i) => ({
    _id: p.openid,
    nickname: p.nickname,
    avatar: imageUrl(`avatars/${p.key}.png`),
    roles: [...p.roles],
    devLabel: p.devLabel,
    createdAt: now - (60 - i) * DAY_MS,
  }));

  const addresses: AddressDoc[] = [
    {
      _id: 'addr-shopper-1',
      openid: DEMO_OPENIDS.shopper,
      name: '王小明',
      phone: '13800138000',
      region: ['广东省', '深圳市', '南山区'],
      detail: '科技园科苑路15号 科兴科学园B栋 1203',
      isDefault: true,
      createdAt: now - 30 * DAY_MS,
    },
    {
      _id: 'addr-shopper-2',
      openid: DEMO_OPENIDS.shopper,
      name: '王小明',
      phone: '13800138000',
      region: ['上海市', '上海市', '浦东新区'],
      detail: '世纪大道100号 环球金融中心 35楼',
      isDefault: false,
      createdAt: now - 20 * DAY_MS,
    },
  ];

  // 李姐: an active 金牌 distributor with a fixed code (share links in docs and browser tests use it)
  const distributors: DistributorSeedDoc[] = [
    {
      _id: DEMO_OPENIDS.distributor,
      code: DEMO_DISTRIBUTOR_CODE,
      status: 'active',
      levelId: 'gold',
      inviterId: null,
      ancestors: [],
      joinedAt: now - 60 * DAY_MS,
      approvedAt: now - 60 * DAY_MS,
      levelHistory: [
        { from: null, to: 'normal', reason: '加入', by: DEMO_OPENIDS.distributor, at: now - 60 * DAY_MS },
        { from: 'normal', to: 'gold', reason: '演示数据：金牌分销员', by: DEMO_OPENIDS.merchant, at: now - 30 * DAY_MS },
      ],
    },
  ];
  const distributor_codes: DistributorCodeDoc[] = [{ _id: DEMO_DISTRIBUTOR_CODE, openid: DEMO_OPENIDS.distributor, createdAt: now - 60 * DAY_MS }];
  const distributionSettings = { _id: 'distribution' as const, ...defaultDistributionSettings(), settlement: { cycle: 'daily' as const, mode: 'auto' as const } };

  return { categories, products, skus, promotions, settings, users, addresses, distributors, distributor_codes, distributionSettings };
}

/** 李姐's distributor code (fixed, so share links are stable across seeds; the code alphabet has no I/O/0/1). */
export const DEMO_DISTRIBUTOR_CODE = 'LJJE88';

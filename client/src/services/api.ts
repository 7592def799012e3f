import { callCloud } from './cloud';
import type {
  Address, AfterSale, Banner, Category, HomeData, Order, OrderCounts, Page, PaymentParams, Product,
  ProductSummary, Promotion, Quote, QuoteLine, Sku, UserInfo,
} from './types';

// Normalisers keep pages independent of small differences in payload shapes.
type Any = Record<string, any>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const arr = <T = Any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const pageOf = <T>(raw: unknown, map: (x: Any) => T): Page<T> => {
  const r = (raw ?? {}) as Any;
  const items = Array.isArray(raw) ? (raw as Any[]) : arr(r.items ?? r.list ?? r.data);
  return { items: items.map(map), hasMore: !!r.hasMore, total: typeof r.total === 'number' ? r.total : undefined };
};

export const toSummary = (p: Any): ProductSummary => ({
  _id: String(p._id ?? p.id),
  title: String(p.title ?? ''),
  subtitle: p.subtitle,
  image: String(p.image ?? arr(p.images)[0] ?? ''),
  minPrice: num(p.minPrice ?? p.price),
  listPrice: typeof p.listPrice === 'number' ? p.listPrice : undefined,
  promoPrice: typeof p.promoPrice === 'number' ? p.promoPrice : undefined,
  sold: num(p.sold),
  tag: p.tag,
});

const toSku = (s: Any): Sku => ({
  _id: String(s._id),
  productId: s.productId,
  specValues: arr<string>(s.specValues),
  specText: String(s.specText ?? arr<string>(s.specValues).join(' / ')),
  price: num(s.price),
  listPrice: typeof s.listPrice === 'number' ? s.listPrice : undefined,
  promoPrice: typeof s.promoPrice === 'number' ? s.promoPrice : typeof s.salePrice === 'number' ? s.salePrice : undefined,
  stock: num(s.stock),
  image: s.image,
});

const toQuoteLine = (l: Any): QuoteLine => ({
  skuId: String(l.skuId),
  qty: num(l.qty),
  title: String(l.title ?? ''),
  specText: String(l.specText ?? ''),
  image: String(l.image ?? ''),
  unitPrice: num(l.unitPrice ?? l.price),
  listUnitPrice: typeof l.listUnitPrice === 'number' ? l.listUnitPrice : undefined,
  amount: num(l.amount),
  discount: num(l.discount),
  payable: num(l.payable ?? l.amount),
  stock: typeof l.stock === 'number' ? l.stock : undefined,
  available: l.available !== false && l.ok !== false,
  reason: l.reason ?? l.message,
});

const toQuote = (q: Any): Quote => ({
  lines: arr(q.lines).map(toQuoteLine),
  goodsFen: num(q.goodsFen),
  discountFen: num(q.discountFen),
  shippingFen: num(q.shippingFen),
  payableFen: num(q.payableFen),
  promotions: arr(q.promotions ?? q.applied).map((p: Any) => ({ title: String(p.title ?? ''), discountFen: num(p.savedFen ?? p.discountFen ?? p.amount) })),
});

// ---- user ----
export const login = () => callCloud<UserInfo>('user', { action: 'login' });
export const listAddresses = async (): Promise<Address[]> => {
  const r = await callCloud<unknown>('user', { action: 'addresses.list' });
  return Array.isArray(r) ? (r as Address[]) : arr<Address>((r as Any)?.items ?? (r as Any)?.addresses);
};
export const saveAddress = async (address: Partial<Address>): Promise<Address> => {
  const r = await callCloud<Any>('user', { action: 'addresses.save', address });
  return (r?.address ?? r) as Address;
};
export const removeAddress = (id: string) => callCloud<unknown>('user', { action: 'addresses.remove', id });

// ---- catalog ----
export const fetchHome = async (): Promise<HomeData> => {
  const r = await callCloud<Any>('catalog', { action: 'home' });
  return {
    banners: arr<Banner>(r.banners),
    categories: arr<Category>(r.categories),
    promotions: arr<Promotion>(r.promotions),
    feed: pageOf(r.feed, toSummary),
  };
};
export const fetchCategories = async (): Promise<Category[]> => {
  const r = await callCloud<unknown>('catalog', { action: 'categories' });
  return Array.isArray(r) ? (r as Category[]) : arr<Category>((r as Any)?.items ?? (r as Any)?.categories);
};
export const fetchProducts = async (q: { categoryId?: string; keyword?: string; page?: number; pageSize?: number; sort?: string }) =>
  pageOf(await callCloud<unknown>('catalog', { action: 'products', ...q }), toSummary);
/** catalog.product returns `promotions` as a badge {discount, fullReductions} (core/pricing productPromotionBadge). */
const toPromotions = (raw: unknown): { list: Promotion[]; skuPrices: Record<string, number> } => {
  if (Array.isArray(raw)) return { list: raw as Promotion[], skuPrices: {} };
  const b = (raw ?? {}) as Any;
  const list: Promotion[] = [];
  if (b.discount) list.push({ _id: String(b.discount.promotionId ?? 'discount'), type: 'discount', title: String(b.discount.title ?? '限时折扣'), endAt: b.discount.endAt });
  for (const f of arr(b.fullReductions)) {
    const texts = arr<string>(f.texts);
    list.push({ _id: String(f.promotionId ?? f.title), type: 'full_reduction', title: texts.length ? texts.join('，') : String(f.title ?? ''), endAt: f.endAt });
  }
  return { list, skuPrices: (b.discount?.skuPrices ?? {}) as Record<string, number> };
};

export const fetchProduct = async (id: string): Promise<Product> => {
  const r = await callCloud<Any>('catalog', { action: 'product', id });
  const p: Any = r.product ?? r;
  const promos = toPromotions(r.promotions ?? p.promotions);
  return {
    _id: String(p._id),
    title: String(p.title ?? ''),
    subtitle: p.subtitle,
    images: arr<string>(p.images),
    detailImages: arr<string>(p.detailImages),
    specs: arr(p.specs).map((s: Any) => ({ name: String(s.name), values: arr<string>(s.values) })),
    skus: arr(r.skus ?? p.skus).map(toSku).map((s) =>
      typeof promos.skuPrices[s._id] === 'number' && promos.skuPrices[s._id] < s.price
        ? { ...s, listPrice: s.listPrice ?? s.price, promoPrice: promos.skuPrices[s._id] }
        : s),
    minPrice: num(p.minPrice),
    sold: num(p.sold),
    promotions: promos.list,
    status: p.status,
  };
};

// ---- order ----
export type LineInput = { skuId: string; qty: number };
export const quoteCart = async (lines: LineInput[]): Promise<Quote> =>
  toQuote(await callCloud<Any>('order', { action: 'quote', lines }));
/** Creates the order; the address goes as a snapshot of the buyer's own saved address (no extra read). */
export const createOrder = (input: { requestId: string; lines: LineInput[]; address: Address; remark?: string }) => {
  const { _id, name, phone, region, detail } = input.address;
  return callCloud<{ order: Order; payment: PaymentParams | null }>('order', {
    action: 'create',
    requestId: input.requestId,
    lines: input.lines,
    address: { id: _id, name, phone, region, detail },
    remark: input.remark,
  });
};
export const payOrder = async (orderId: string): Promise<{ order?: Order; payment: PaymentParams | null }> => {
  const r = await callCloud<Any>('order', { action: 'pay', orderId });
  return r && 'payment' in r ? (r as { order?: Order; payment: PaymentParams | null }) : { payment: r as PaymentParams };
};
export const listOrders = async (tab: string, page = 1) =>
  pageOf<Order>(await callCloud<unknown>('order', { action: 'list', tab, page }), (o) => o as Order);
export const fetchOrder = async (id: string): Promise<Order> => {
  const r = await callCloud<Any>('order', { action: 'detail', id });
  return (r.order ?? r) as Order;
};
export const fetchOrderCounts = async (): Promise<OrderCounts> => {
  const r = await callCloud<Any>('order', { action: 'counts' });
  return (r.counts ?? r) as OrderCounts;
};
export const cancelOrder = (id: string) => callCloud<unknown>('order', { action: 'cancel', id });
export const confirmReceipt = (id: string) => callCloud<unknown>('order', { action: 'confirm', id });

// ---- after-sale ----
export const applyAfterSale = async (input: {
  orderId: string; type: 'refund' | 'return_refund'; items: { lineId: string; qty: number }[]; reason: string;
}): Promise<AfterSale> => {
  const r = await callCloud<Any>('afterSale', { action: 'apply', ...input });
  return (r.afterSale ?? r) as AfterSale;
};
export const listAfterSales = async (page = 1) =>
  pageOf<AfterSale>(await callCloud<unknown>('afterSale', { action: 'list', page }), (a) => a as AfterSale);
export const fetchAfterSale = async (id: string): Promise<AfterSale> => {
  const r = await callCloud<Any>('afterSale', { action: 'detail', id });
  return (r.afterSale ? { ...r.afterSale, order: r.order ?? r.afterSale.order } : r) as AfterSale;
};
export const cancelAfterSale = (id: string) => callCloud<unknown>('afterSale', { action: 'cancel', id });
export const submitReturnShipping = (id: string, carrier: string, trackingNo: string) =>
  callCloud<unknown>('afterSale', { action: 'returnShipping', id, carrier, trackingNo });

// ---- merchant admin (server gates on role 'merchant') ----
export const adminListOrders = async (q: { status?: string; keyword?: string; page?: number }) =>
  pageOf<Order>(await callCloud<unknown>('admin', { action: 'orders.list', page: 1, ...q }), (o) => o as Order);
export const adminFetchOrder = async (id: string): Promise<Order> => {
  const r = await callCloud<Any>('admin', { action: 'orders.detail', id });
  return (r.order ?? r) as Order;
};
export const adminShipOrder = (id: string, carrier: string, trackingNo: string) =>
  callCloud<unknown>('admin', { action: 'orders.ship', id, carrier, trackingNo });
export const adminListAfterSales = async (q: { status?: string; page?: number } = {}) =>
  pageOf<AfterSale>(await callCloud<unknown>('admin', { action: 'afterSales.list', page: 1, ...q }), (a) => a as AfterSale);
export const adminFetchAfterSale = async (id: string): Promise<AfterSale> => {
  const r = await callCloud<{ afterSale: AfterSale; order?: Order }>('admin', { action: 'afterSales.detail', id });
  return { ...r.afterSale, order: r.order ?? undefined } as AfterSale;
};
export const adminApproveAfterSale = (id: string) => callCloud<unknown>('admin', { action: 'afterSales.approve', id });
export const adminRejectAfterSale = (id: string, reason: string) =>
  callCloud<unknown>('admin', { action: 'afterSales.reject', id, reason });
export const adminReceiveReturn = (id: string) => callCloud<unknown>('admin', { action: 'afterSales.receive', id });

// Client-side view of the function payloads (docs/contracts.md). All money is integer fen.

export interface Category { _id: string; name: string; parentId?: string | null; icon?: string; sort?: number }
export interface Banner { _id?: string; image: string; title?: string; productId?: string; link?: string }
export interface Promotion {
  _id: string; id?: string; type: 'discount' | 'full_reduction' | string; title: string; endAt?: number | string;
  tiers?: { thresholdFen: number; reduceFen: number }[]; percentOffBp?: number;
}
export interface ProductSummary {
  _id: string; title: string; subtitle?: string; image: string; minPrice: number; listPrice?: number;
  sold: number; promoPrice?: number; tag?: string;
}
export interface Sku {
  _id: string; productId?: string; specValues: string[]; specText: string; price: number; listPrice?: number;
  promoPrice?: number; stock: number; image?: string;
}
export interface Product {
  _id: string; title: string; subtitle?: string; images: string[]; detailImages: string[];
  specs: { name: string; values: string[] }[]; skus: Sku[]; minPrice: number; sold: number;
  promotions: Promotion[]; status?: string;
}
export interface HomeData { banners: Banner[]; categories: Category[]; promotions: Promotion[]; feed: Page<ProductSummary> }
export interface Page<T> { items: T[]; hasMore: boolean; total?: number }

export interface QuoteLine {
  skuId: string; qty: number; title: string; specText: string; image: string; unitPrice: number; listUnitPrice?: number;
  amount: number; discount: number; payable: number; stock?: number; available: boolean; reason?: string;
}
export interface Quote {
  lines: QuoteLine[]; goodsFen: number; discountFen: number; shippingFen: number; payableFen: number;
  promotions: { title: string; discountFen: number }[];
}

export interface Address {
  _id: string; name: string; phone: string; region: string[]; detail: string; isDefault?: boolean;
}

export type OrderStatus =
  | 'pending_payment' | 'pending_shipment' | 'shipped' | 'completed' | 'cancelled' | 'closed' | 'ready_for_pickup';

export interface OrderLine {
  lineId: string; skuId: string; productId: string; title: string; specText: string; image: string;
  unitPrice: number; qty: number; amount: number; discount: number; payable: number;
  refundedQty?: number; refundedFen?: number;
}
export interface Order {
  _id: string; status: OrderStatus | string; lines: OrderLine[]; goodsFen: number; discountFen: number;
  shippingFen: number; payableFen: number; address?: Omit<Address, '_id'> & { _id?: string };
  remark?: string; createdAt?: number | string; expiresAt?: number | string; paidAt?: number | string;
  shippedAt?: number | string; completedAt?: number | string; cancelledAt?: number | string;
  carrier?: string; trackingNo?: string; cancelReason?: string; refundedFen?: number; openAfterSales?: number;
  openid?: string;
}
/** Parameters for wx.requestPayment, as returned by cloudPay.unifiedOrder on the server. */
export type PaymentParams = Record<string, unknown>;

export interface AfterSale {
  _id: string; orderId: string; type: 'refund' | 'return_refund' | string;
  items: { lineId: string; qty: number; refundFen: number }[]; refundFen: number; reason: string;
  status: string; merchantReason?: string; carrier?: string; trackingNo?: string;
  createdAt?: number | string; updatedAt?: number | string; order?: Order;
}

export type OrderCounts = Record<string, number>;
export interface UserInfo { openid: string; user: { nickname?: string; avatar?: string; roles: string[] } }

import { AFTER_SALE_STATUS_LABEL, AFTER_SALE_TYPE_LABEL } from '@core/after-sale';
import type { OrderCounts } from '../services/types';

export const ORDER_STATUS_TEXT: Record<string, string> = {
  pending_payment: '待付款',
  pending_shipment: '待发货',
  shipped: '待收货',
  ready_for_pickup: '待自提',
  completed: '已完成',
  cancelled: '已取消',
  closed: '已关闭',
};
export const CANCEL_REASON_TEXT: Record<string, string> = {
  buyer: '买家取消',
  merchant: '商家取消',
  timeout: '超时未支付，已自动关闭',
  out_of_stock: '库存不足',
};
// After-sale labels come from the core, so the buyer, the merchant and the server say the same thing.
// (indexed by the plain strings the server returns)
export const AFTER_SALE_STATUS_TEXT: Readonly<Record<string, string>> = AFTER_SALE_STATUS_LABEL;
export const AFTER_SALE_TYPE_TEXT: Readonly<Record<string, string>> = AFTER_SALE_TYPE_LABEL;

export function formatTime(t?: number | string): string {
  if (t === undefined || t === null || t === '') return '';
  const d = new Date(typeof t === 'number' ? t : String(t));
  if (Number.isNaN(d.getTime())) return String(t);
  // Display in Asia/Shanghai (UTC+8) regardless of the device zone.
  const s = new Date(d.getTime() + 8 * 3600e3);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${s.getUTCFullYear()}-${p(s.getUTCMonth() + 1)}-${p(s.getUTCDate())} ${p(s.getUTCHours())}:${p(s.getUTCMinutes())}`;
}

export function newRequestId(): string {
  const rnd = Math.random().toString(36).slice(2, 10);
  return `r${Date.now().toString(36)}${rnd}`;
}

export const ORDER_TABS = [
  { key: 'all', label: '全部' },
  { key: 'pending_payment', label: '待付款' },
  { key: 'pending_shipment', label: '待发货' },
  { key: 'to_receive', label: '待收货' },
  { key: 'completed', label: '已完成' },
  { key: 'after_sale', label: '售后' },
];

export const countFor = (counts: OrderCounts, key: string): number =>
  counts[key] ?? counts[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] ?? 0;


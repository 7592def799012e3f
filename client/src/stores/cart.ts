import Taro from '@tarojs/taro';
import { create } from 'zustand';

export interface CartSnapshot { productId: string; title: string; image: string; specText: string; price: number }
export interface CartLine { skuId: string; qty: number; selected: boolean; snapshot: CartSnapshot }

const KEY = 'mall.cart.v1';

function load(): CartLine[] {
  try {
    const v = Taro.getStorageSync(KEY);
    return Array.isArray(v) ? (v as CartLine[]) : [];
  } catch {
    return [];
  }
}
function save(lines: CartLine[]) {
  try { Taro.setStorageSync(KEY, lines); } catch { /* storage full: keep in memory */ }
}

interface CartState {
  lines: CartLine[];
  add: (skuId: string, qty: number, snapshot: CartSnapshot) => void;
  setQty: (skuId: string, qty: number) => void;
  toggle: (skuId: string) => void;
  toggleAll: (selected: boolean) => void;
  remove: (skuIds: string[]) => void;
  count: () => number;
}

export const useCart = create<CartState>((set, get) => {
  const commit = (lines: CartLine[]) => { save(lines); set({ lines }); };
  return {
    lines: load(),
    add: (skuId, qty, snapshot) => {
      const lines = get().lines.slice();
      const i = lines.findIndex((l) => l.skuId === skuId);
      if (i >= 0) lines[i] = { ...lines[i], qty: lines[i].qty + qty, selected: true, snapshot };
      else lines.unshift({ skuId, qty, selected: true, snapshot });
      commit(lines);
    },
    setQty: (skuId, qty) => commit(get().lines.map((l) => (l.skuId === skuId ? { ...l, qty: Math.max(1, Math.floor(qty)) } : l))),
    toggle: (skuId) => commit(get().lines.map((l) => (l.skuId === skuId ? { ...l, selected: !l.selected } : l))),
    toggleAll: (selected) => commit(get().lines.map((l) => ({ ...l, selected }))),
    remove: (skuIds) => commit(get().lines.filter((l) => !skuIds.includes(l.skuId))),
    count: () => get().lines.reduce((s, l) => s + l.qty, 0),
  };
});

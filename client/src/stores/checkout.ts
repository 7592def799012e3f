import Taro from '@tarojs/taro';
import { create } from 'zustand';
import type { Address } from '../services/types';
import type { LineInput } from '../services/api';

/** Hand-over between 购物车/商品详情 → 确认订单 and the address picker. */
interface CheckoutState {
  lines: LineInput[];
  fromCart: boolean;
  address: Address | null;
  setLines: (lines: LineInput[], fromCart: boolean) => void;
  selectAddress: (a: Address | null) => void;
}

const KEY = 'mall.checkout.v1';
const loadLines = (): LineInput[] => {
  try { const v = Taro.getStorageSync(KEY); return Array.isArray(v) ? v : []; } catch { return []; }
};

export const useCheckout = create<CheckoutState>((set) => ({
  lines: loadLines(),
  fromCart: false,
  address: null,
  setLines: (lines, fromCart) => {
    try { Taro.setStorageSync(KEY, lines); } catch { /* ignore */ }
    set({ lines, fromCart });
  },
  selectAddress: (address) => set({ address }),
}));

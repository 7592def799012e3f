import Taro from '@tarojs/taro';
import { errorMessage } from '../services/cloud';

export const toast = (title: string, icon: 'none' | 'success' = 'none') => Taro.showToast({ title, icon, duration: 2000 });
export const toastError = (e: unknown) => toast(errorMessage(e));

/** Confirmation dialog; money actions put the amount in `content`. */
export async function confirmDialog(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  const r = await Taro.showModal({ title, content, confirmText, cancelText: '取消', confirmColor: '#fa4126' });
  return !!r.confirm;
}

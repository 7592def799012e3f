import { cancelOrder, confirmReceipt } from '../services/api';
import { payExistingOrder, type PayOutcome } from '../services/payment';
import type { Order } from '../services/types';
import { formatFen } from './money';
import { confirmDialog, toast, toastError } from './ui';

/** Buyer-side order actions shared by 订单列表 and 订单详情. Each returns true when the order changed. */
export async function doCancel(order: Order): Promise<boolean> {
  if (!(await confirmDialog('取消订单', `确定取消该订单吗？应付 ¥${formatFen(order.payableFen)}`, '取消订单'))) return false;
  try {
    await cancelOrder(order._id);
    toast('订单已取消', 'success');
    return true;
  } catch (e) {
    toastError(e);
    return true; // reload either way: the order may have changed meanwhile
  }
}

export async function doPay(order: Order): Promise<PayOutcome | null> {
  try {
    const r = await payExistingOrder(order);
    if (r === 'paid') toast('支付成功', 'success');
    else if (r === 'pending') toast('支付结果确认中');
    return r;
  } catch (e) {
    toastError(e);
    return null;
  }
}

export async function doConfirm(order: Order): Promise<boolean> {
  if (!(await confirmDialog('确认收货', '请确认已收到全部商品，确认后将无法撤回', '确认收货'))) return false;
  try {
    await confirmReceipt(order._id);
    toast('已确认收货', 'success');
    return true;
  } catch (e) {
    toastError(e);
    return true;
  }
}

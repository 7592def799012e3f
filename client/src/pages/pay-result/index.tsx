import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { fetchOrder } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import { payExistingOrder, waitForPaid } from '../../services/payment';
import type { Order } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { ORDER_STATUS_TEXT } from '../../utils/format';
import { toastError } from '../../utils/ui';
import './index.css';

export default function PayResult() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [order, setOrder] = useState<Order | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [paying, setPaying] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      let o = await fetchOrder(id);
      if (o.status === 'pending_payment' && params.result === 'pending') o = (await waitForPaid(id, 6000)) ?? o;
      setOrder(o);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [id, params.result]);
  useEffect(() => { void load(); }, [load]);

  const pay = async () => {
    if (!order || paying) return;
    setPaying(true);
    try {
      await payExistingOrder(order);
      await load();
    } catch (e) {
      toastError(e);
    } finally {
      setPaying(false);
    }
  };

  const paid = !!order && order.status !== 'pending_payment' && order.status !== 'cancelled' && order.status !== 'closed';
  return (
    <View className="page pr">
      <StateView loading={loading} error={error} onRetry={load}>
        {order && (
          <View className="card pr__card" data-testid="pay-result" data-status={order.status}>
            <View className={`pr__icon ${paid ? 'pr__icon--ok' : ''}`}>{paid ? '✓' : '!'}</View>
            <Text className="pr__title">{paid ? '支付成功' : order.status === 'pending_payment' ? '订单待支付' : ORDER_STATUS_TEXT[order.status] ?? order.status}</Text>
            <View className="row pr__amount"><Text>{paid ? '实付金额 ' : '应付金额 '}</Text><Price fen={order.payableFen} size="lg" /></View>
            {paid && <Text className="muted">订单状态：{ORDER_STATUS_TEXT[order.status] ?? order.status}</Text>}
            <View className="row pr__btns">
              <View className="btn" onClick={() => Taro.redirectTo({ url: `/pages/order-detail/index?id=${order._id}` })}>查看订单</View>
              {order.status === 'pending_payment' ? (
                <View className="btn btn--primary" data-testid="pay-again" onClick={pay}>{paying ? '支付中…' : '去支付'}</View>
              ) : (
                <View className="btn btn--primary" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>继续购物</View>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}

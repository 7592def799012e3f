import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { fetchOrder } from '../../services/api';
import type { Order } from '../../services/types';
import StateView from '../../components/StateView';
import OrderView from '../../components/OrderView';
import { doCancel, doConfirm, doPay } from '../../utils/orderActions';
import { useLoader } from '../../components/useLoader';

export default function OrderDetail() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');

  const { data: order, loading, error, load } = useLoader<Order>(() => fetchOrder(id), [id]);
  useDidShow(() => { if (order) void load(true); });

  const after = async (changed: unknown) => { if (changed) await load(true); };
  const showLogistics = (o: Order) =>
    Taro.showModal({ title: '物流信息', content: `${o.carrier ?? '暂无物流公司'}\n运单号：${o.trackingNo ?? '—'}`, showCancel: false, confirmText: '知道了' });

  return (
    <View className="page">
      <StateView loading={loading} error={error} onRetry={() => load()}>
        {order && <OrderView order={order} />}
      </StateView>
      {order && (
        <View className="bottom-bar" style={{ justifyContent: 'flex-end' }}>
          {order.status === 'pending_payment' && (
            <>
              <View className="btn" style={{ marginRight: '16px' }} data-testid="order-cancel" onClick={async () => after(await doCancel(order))}>取消订单</View>
              <View className="btn btn--primary" data-testid="order-pay" onClick={async () => after(await doPay(order))}>去支付</View>
            </>
          )}
          {(order.status === 'shipped' || order.status === 'completed') && order.carrier && (
            <View className="btn" style={{ marginRight: '16px' }} data-testid="order-logistics-btn" onClick={() => showLogistics(order)}>查看物流</View>
          )}
          {(order.status === 'pending_shipment' || order.status === 'shipped' || order.status === 'completed') && (
            <View className="btn" style={{ marginRight: '16px' }} data-testid="order-aftersale" onClick={() => Taro.navigateTo({ url: `/pages/aftersale-apply/index?orderId=${order._id}` })}>申请售后</View>
          )}
          {order.status === 'shipped' && (
            <View className="btn btn--primary" data-testid="order-confirm" onClick={async () => after(await doConfirm(order))}>确认收货</View>
          )}
        </View>
      )}
    </View>
  );
}

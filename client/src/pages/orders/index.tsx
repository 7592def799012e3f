import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { fetchOrderCounts, listAfterSales, listOrders } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { AfterSale, Order, OrderCounts } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { AFTER_SALE_STATUS_TEXT, AFTER_SALE_TYPE_TEXT, ORDER_STATUS_TEXT, ORDER_TABS, countFor, formatTime } from '../../utils/format';
import { doCancel, doConfirm, doPay } from '../../utils/orderActions';
import './index.css';

export default function OrdersPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState(params.tab && ORDER_TABS.some((t) => t.key === params.tab) ? params.tab : 'all');
  const [orders, setOrders] = useState<Order[]>([]);
  const [afterSales, setAfterSales] = useState<AfterSale[]>([]);
  const [counts, setCounts] = useState<OrderCounts>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  const load = useCallback(async (t: string, quiet = false) => {
    if (!quiet) setLoading(true);
    setError('');
    fetchOrderCounts().then(setCounts).catch(() => undefined);
    try {
      if (t === 'after_sale') setAfterSales((await listAfterSales(1)).items);
      else setOrders((await listOrders(t, 1)).items);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
      Taro.stopPullDownRefresh();
    }
  }, []);

  useEffect(() => { void load(tab); }, [tab, load]);
  useDidShow(() => { void load(tab, true); });
  usePullDownRefresh(() => { void load(tab); });

  const after = async (changed: unknown) => { if (changed) await load(tab, true); };

  return (
    <View className="page orders">
      <View className="tabs orders__tabs">
        {ORDER_TABS.map((t) => {
          const n = t.key === 'all' ? 0 : countFor(counts, t.key);
          return (
            <View key={t.key} className={`tabs__item ${tab === t.key ? 'tabs__item--on' : ''}`} data-testid={`order-tab-${t.key}`} onClick={() => setTab(t.key)}>
              {t.label}
              {n > 0 && <Text className="tabs__badge">{n}</Text>}
            </View>
          );
        })}
      </View>
      <View className="orders__body">
        {tab === 'after_sale' ? (
          <StateView loading={loading} error={error} empty={!afterSales.length} emptyText="暂无售后记录" onRetry={() => load(tab)}>
            {afterSales.map((a) => (
              <View key={a._id} className="card" data-testid="aftersale-card" onClick={() => Taro.navigateTo({ url: `/pages/aftersale-detail/index?id=${a._id}` })}>
                <View className="between">
                  <Text className="muted">{AFTER_SALE_TYPE_TEXT[a.type] ?? a.type} · {formatTime(a.createdAt)}</Text>
                  <Text className="red">{AFTER_SALE_STATUS_TEXT[a.status] ?? a.status}</Text>
                </View>
                <View className="kv"><Text className="kv__k">退款金额</Text><Price fen={a.refundFen} /></View>
                <Text className="muted">原因：{a.reason}</Text>
              </View>
            ))}
          </StateView>
        ) : (
          <StateView loading={loading} error={error} empty={!orders.length} emptyText="暂无订单" onRetry={() => load(tab)}>
            {orders.map((o) => (
              <View key={o._id} className="card" data-testid="order-card" data-id={o._id} data-status={o.status}>
                <View onClick={() => Taro.navigateTo({ url: `/pages/order-detail/index?id=${o._id}` })}>
                  <View className="between">
                    <Text className="muted">订单号 {o._id}</Text>
                    <Text className="red order-status" data-testid="order-status">{ORDER_STATUS_TEXT[o.status] ?? o.status}</Text>
                  </View>
                  {o.lines.map((l) => (
                    <View key={l.lineId} className="line-item">
                      <Image className="line-item__img" src={l.image} mode="aspectFill" />
                      <View className="line-item__body">
                        <Text className="line-item__title">{l.title}</Text>
                        <Text className="line-item__spec">{l.specText}</Text>
                        <View className="between"><Price fen={l.unitPrice} size="sm" color="dark" /><Text className="muted">×{l.qty}</Text></View>
                      </View>
                    </View>
                  ))}
                  <View className="orders__total">共 {o.lines.reduce((n, l) => n + l.qty, 0)} 件 实付 <Price fen={o.payableFen} /></View>
                </View>
                <View className="orders__actions">
                  {o.status === 'pending_payment' && (
                    <>
                      <View className="btn btn--sm" data-testid="order-cancel" onClick={async () => after(await doCancel(o))}>取消订单</View>
                      <View className="btn btn--sm btn--primary" data-testid="order-pay" onClick={async () => after(await doPay(o))}>去支付</View>
                    </>
                  )}
                  {o.status === 'shipped' && (
                    <View className="btn btn--sm btn--primary" data-testid="order-confirm" onClick={async () => after(await doConfirm(o))}>确认收货</View>
                  )}
                  {(o.status === 'pending_shipment' || o.status === 'shipped' || o.status === 'completed') && (
                    <View className="btn btn--sm" onClick={() => Taro.navigateTo({ url: `/pages/aftersale-apply/index?orderId=${o._id}` })}>申请售后</View>
                  )}
                </View>
              </View>
            ))}
          </StateView>
        )}
      </View>
    </View>
  );
}

import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { adminListAfterSales, adminListOrders } from '../services/api';
import { errorMessage } from '../services/cloud';
import StateView from '../components/StateView';
import Gate from './Gate';
import './admin.css';

interface Figures { toShip: number; toPay: number; shipped: number; afterSales: number }

const countOf = (p: { items: unknown[]; total?: number }) => p.total ?? p.items.length;

function Dashboard() {
  const [f, setF] = useState<Figures | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setError('');
    try {
      const [toShip, toPay, shipped, as] = await Promise.all([
        adminListOrders({ status: 'pending_shipment' }),
        adminListOrders({ status: 'pending_payment' }),
        adminListOrders({ status: 'shipped' }),
        adminListAfterSales({ status: 'pending' }),
      ]);
      setF({ toShip: countOf(toShip), toPay: countOf(toPay), shipped: countOf(shipped), afterSales: countOf(as) });
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useDidShow(() => { void load(); });
  const go = (url: string) => Taro.navigateTo({ url });
  return (
    <View className="page">
      <StateView loading={!f && !error} error={error} onRetry={load}>
        {f && (
          <View className="card adm__grid" data-testid="admin-figures">
            <View className="adm__cell" onClick={() => go('/subpkg-admin/orders/index?status=pending_shipment')}><Text className="adm__num">{f.toShip}</Text><Text className="adm__label">待发货</Text></View>
            <View className="adm__cell" onClick={() => go('/subpkg-admin/aftersales/index')}><Text className="adm__num">{f.afterSales}</Text><Text className="adm__label">待处理售后</Text></View>
            <View className="adm__cell" onClick={() => go('/subpkg-admin/orders/index?status=pending_payment')}><Text className="adm__num">{f.toPay}</Text><Text className="adm__label">待付款</Text></View>
            <View className="adm__cell" onClick={() => go('/subpkg-admin/orders/index?status=shipped')}><Text className="adm__num">{f.shipped}</Text><Text className="adm__label">已发货</Text></View>
          </View>
        )}
      </StateView>
      <View className="card">
        <View className="adm__entry" data-testid="admin-orders" onClick={() => go('/subpkg-admin/orders/index')}><Text>订单管理</Text><Text className="muted">›</Text></View>
        <View className="adm__entry" data-testid="admin-aftersales" onClick={() => go('/subpkg-admin/aftersales/index')}><Text>售后管理</Text><Text className="muted">›</Text></View>
      </View>
      <View className="card">
        <Text className="title">分销</Text>
        <View className="adm__entry" data-testid="admin-dist-settings" onClick={() => go('/subpkg-admin/dist-settings/index')}><Text>分销设置</Text><Text className="muted">›</Text></View>
        <View className="adm__entry" data-testid="admin-distributors" onClick={() => go('/subpkg-admin/distributors/index')}><Text>分销商</Text><Text className="muted">›</Text></View>
        <View className="adm__entry" data-testid="admin-settlements" onClick={() => go('/subpkg-admin/settlements/index')}><Text>结算批次</Text><Text className="muted">›</Text></View>
        <View className="adm__entry" data-testid="admin-withdrawals" onClick={() => go('/subpkg-admin/withdrawals/index')}><Text>提现审核</Text><Text className="muted">›</Text></View>
      </View>
    </View>
  );
}

export default function AdminHome() {
  return <Gate><Dashboard /></Gate>;
}

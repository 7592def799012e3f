import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { adminListOrders } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Order } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { ORDER_STATUS_TEXT, formatTime } from '../../utils/format';
import Gate from '../Gate';
import '../admin.css';

const TABS = [
  { key: '', label: '全部' },
  { key: 'pending_payment', label: '待付款' },
  { key: 'pending_shipment', label: '待发货' },
  { key: 'shipped', label: '已发货' },
  { key: 'completed', label: '已完成' },
  { key: 'cancelled', label: '已取消' },
];

function Orders() {
  const { params } = useRouter();
  const [status, setStatus] = useState(params.status ?? '');
  const [keyword, setKeyword] = useState('');
  const [list, setList] = useState<Order[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  const load = useCallback(async (s: string, kw: string, quiet = false) => {
    if (!quiet) setLoading(true);
    setError('');
    try {
      setList((await adminListOrders({ status: s || undefined, keyword: kw.trim() || undefined, page: 1 })).items);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => { void load(status, keyword); /* eslint-disable-next-line react-hooks/exhaustive-deps */ }, [status, load]);
  useDidShow(() => { void load(status, keyword, true); });

  return (
    <View className="page">
      <View className="adm__search">
        <Input className="adm__search-input" data-testid="admin-order-search" value={keyword} placeholder="订单号 / 收货人 / 手机号" confirmType="search"
          onInput={(e) => setKeyword(e.detail.value)} onConfirm={() => load(status, keyword)} />
        <View className="btn btn--sm btn--primary" onClick={() => load(status, keyword)}>搜索</View>
      </View>
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${status === t.key ? 'tabs__item--on' : ''}`} data-testid={`admin-order-tab-${t.key || 'all'}`} onClick={() => setStatus(t.key)}>{t.label}</View>
        ))}
      </View>
      <StateView loading={loading} error={error} empty={!list.length} emptyText="暂无订单" onRetry={() => load(status, keyword)}>
        {list.map((o) => (
          <View key={o._id} className="card" data-testid="admin-order-card" data-id={o._id} data-status={o.status}
            onClick={() => Taro.navigateTo({ url: `/subpkg-admin/order-detail/index?id=${o._id}` })}>
            <View className="between"><Text className="muted">{o._id}</Text><Text className="red">{ORDER_STATUS_TEXT[o.status] ?? o.status}</Text></View>
            <View className="kv"><Text className="kv__k">{o.address?.name ?? ''} {o.address?.phone ?? ''}</Text><Text className="muted">{formatTime(o.createdAt)}</Text></View>
            <View className="kv">
              <Text className="kv__k">{o.lines.map((l) => `${l.title}×${l.qty}`).join('，')}</Text>
              <Price fen={o.payableFen} />
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function AdminOrders() {
  return <Gate><Orders /></Gate>;
}

import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { adminListAfterSales } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { AfterSale } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { AFTER_SALE_STATUS_TEXT, AFTER_SALE_TYPE_TEXT, formatTime } from '../../utils/format';
import Gate from '../Gate';
import '../admin.css';

const TABS = [
  { key: '', label: '全部' },
  { key: 'pending', label: '待处理' },
  { key: 'awaiting_return', label: '待退货' },
  { key: 'refunded', label: '已退款' },
  { key: 'rejected', label: '已拒绝' },
];

function List() {
  const [status, setStatus] = useState('');
  const [list, setList] = useState<AfterSale[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  const load = useCallback(async (s: string, quiet = false) => {
    if (!quiet) setLoading(true);
    setError('');
    try {
      setList((await adminListAfterSales({ status: s || undefined, page: 1 })).items);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => { void load(status); }, [status, load]);
  useDidShow(() => { void load(status, true); });

  return (
    <View className="page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${status === t.key ? 'tabs__item--on' : ''}`} data-testid={`admin-as-tab-${t.key || 'all'}`} onClick={() => setStatus(t.key)}>{t.label}</View>
        ))}
      </View>
      <StateView loading={loading} error={error} empty={!list.length} emptyText="暂无售后申请" onRetry={() => load(status)}>
        {list.map((a) => (
          <View key={a._id} className="card" data-testid="admin-aftersale-card" data-id={a._id} data-status={a.status}
            onClick={() => Taro.navigateTo({ url: `/subpkg-admin/aftersale-detail/index?id=${a._id}` })}>
            <View className="between"><Text className="muted">{AFTER_SALE_TYPE_TEXT[a.type] ?? a.type} · {formatTime(a.createdAt)}</Text><Text className="red">{AFTER_SALE_STATUS_TEXT[a.status] ?? a.status}</Text></View>
            <View className="kv"><Text className="kv__k">订单 {a.orderId}</Text><Price fen={a.refundFen} /></View>
            <Text className="muted">原因：{a.reason}</Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function AdminAfterSales() {
  return <Gate><List /></Gate>;
}

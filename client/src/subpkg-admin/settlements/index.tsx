import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { adminListSettlements, BATCH_STATUS_TEXT } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { formatTime } from '../../utils/format';
import Gate from '../Gate';
import '../admin.css';

const TABS = [{ key: '', label: '全部' }, { key: 'proposed', label: '待审核' }, { key: 'done', label: '已完成' }, { key: 'rejected', label: '已驳回' }];

function List() {
  const [status, setStatus] = useState('');
  const { items, loading, error, reload } = useList((page) => adminListSettlements({ status: status || undefined, page }), [status]);
  useDidShow(() => { void reload(true); });
  return (
    <View className="page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${status === t.key ? 'tabs__item--on' : ''}`} onClick={() => setStatus(t.key)}>{t.label}</View>
        ))}
      </View>
      <StateView loading={loading} error={error} empty={!items.length} emptyText="暂无结算批次" onRetry={reload}>
        {items.map((b) => (
          <View key={b._id} className="card" data-testid="admin-batch" data-id={b._id} data-status={b.status}
            onClick={() => Taro.navigateTo({ url: `/subpkg-admin/settlement-detail/index?id=${encodeURIComponent(b._id)}` })}>
            <View className="between"><Text className="title">结算周期 {b.period}</Text><Text className="red">{BATCH_STATUS_TEXT[b.status] ?? b.status}</Text></View>
            <View className="kv"><Text className="kv__k">结算金额</Text><Price fen={b.totals.amountFen} /></View>
            <View className="kv"><Text className="kv__k">分销商 / 佣金笔数</Text><Text>{b.totals.distributors} 人 / {b.totals.entries} 笔</Text></View>
            <Text className="muted">{b.mode === 'manual' ? '商家审核' : '自动结算'} · {formatTime(b.createdAt)}</Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function AdminSettlements() { return <Gate><List /></Gate>; }

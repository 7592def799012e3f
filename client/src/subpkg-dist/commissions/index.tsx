import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { distCommissions, STATE_TEXT } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { formatTime } from '../../utils/format';
import DistGate from '../Gate';
import '../dist.css';
import { formatFen } from '../../utils/money';

const TABS = [
  { key: '', label: '全部' }, { key: 'pending', label: '待结算' }, { key: 'frozen', label: '冻结' },
  { key: 'settleable', label: '可结算' }, { key: 'settled', label: '已结算' },
];
const KIND_TEXT: Record<string, string> = { accrue: '佣金', reverse: '退款冲减', clawback: '退款追回' };

function Ledger() {
  const { params } = useRouter();
  const [state, setState] = useState(TABS.some((t) => t.key === params.state) ? String(params.state) : '');
  const { items, loading, error, reload } = useList((p) => distCommissions(state || undefined, p), [state]);
  return (
    <View className="page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${state === t.key ? 'tabs__item--on' : ''}`} data-testid={`dist-ledger-tab-${t.key || 'all'}`} onClick={() => setState(t.key)}>{t.label}</View>
        ))}
      </View>
      <StateView loading={loading} error={error} empty={!items.length} emptyText="暂无佣金记录" onRetry={reload}>
        {items.map((e) => (
          <View key={e._id} className="card" data-testid="dist-ledger-entry" data-kind={e.kind} data-state={e.state} data-fen={e.amountFen}>
            <View className="between">
              <Text>{e.tier === 2 ? '团队佣金' : '直推佣金'} · {KIND_TEXT[e.kind] ?? e.kind}</Text>
              {e.amountFen < 0
                ? <Text className="dc__neg">-¥{formatFen(Math.abs(e.amountFen))}</Text>
                : <Price fen={e.amountFen} />}
            </View>
            <View className="between">
              <Text className="muted">订单 {e.orderId}</Text>
              <Text className="dc__tag">{STATE_TEXT[e.state] ?? e.state}</Text>
            </View>
            <Text className="muted">
              {formatTime(e.createdAt)}{e.baseFen ? ` · 计佣金额 ¥${formatFen(e.baseFen)}` : ''}{e.rateText ? ` × ${e.rateText}` : ''}
              {e.state === 'frozen' && e.freezeUntil ? ` · ${formatTime(e.freezeUntil)} 解冻` : ''}
            </Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function DistCommissions() { return <DistGate>{() => <Ledger />}</DistGate>; }

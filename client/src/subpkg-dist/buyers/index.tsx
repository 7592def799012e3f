import { View, Text, Image } from '@tarojs/components';
import { distBuyers, SOURCE_TEXT } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { formatTime } from '../../utils/format';
import DistGate from '../Gate';
import '../dist.css';

function Buyers() {
  const { items, loading, error, reload } = useList((p) => distBuyers(p));
  return (
    <View className="page">
      <StateView loading={loading} error={error} empty={!items.length} emptyText="还没有绑定的客户" onRetry={reload}>
        {items.map((b) => (
          <View key={b.openid} className="card dc__row" data-testid="dist-buyer">
            {b.avatar ? <Image className="dc__avatar" src={b.avatar} /> : <Text className="dc__avatar">{b.nickname.slice(0, 1)}</Text>}
            <View className="dc__row-body">
              <View className="between"><Text>{b.nickname}</Text><Text className="dc__tag">{SOURCE_TEXT[b.source] ?? b.source}</Text></View>
              <Text className="muted">绑定于 {formatTime(b.boundAt)}</Text>
              <Text className={b.active ? 'muted' : 'red'} data-testid="dist-buyer-expiry">{!b.active ? '绑定已过期' : b.expiresAt ? `有效期至 ${formatTime(b.expiresAt)}` : '长期有效'}</Text>
              {b.orders !== null && b.salesFen !== null && (
                <View className="row"><Text className="muted">{b.orders} 单 · 销售额 </Text><Price fen={b.salesFen} size="sm" /></View>
              )}
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function DistBuyers() { return <DistGate>{() => <Buyers />}</DistGate>; }

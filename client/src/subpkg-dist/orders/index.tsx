import { View, Text, Image } from '@tarojs/components';
import { distOrders, STATE_TEXT } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { ORDER_STATUS_TEXT, formatTime } from '../../utils/format';
import DistGate from '../Gate';
import '../dist.css';
import { formatFen } from '../../utils/money';

function Orders() {
  const { items, loading, error, reload } = useList((p) => distOrders(p));
  return (
    <View className="page">
      <StateView loading={loading} error={error} empty={!items.length} emptyText="还没有推广订单，快去分享商品吧" onRetry={reload}>
        {items.map((o) => (
          <View key={o.orderId} className="card" data-testid="dist-order" data-id={o.orderId} data-earned={o.earned ? '1' : '0'} data-state={o.state}>
            <View className="between">
              <Text className="muted">{o.buyerName} · {formatTime(o.createdAt)}</Text>
              <Text className="muted">{ORDER_STATUS_TEXT[o.status] ?? o.status}</Text>
            </View>
            <View className="dc__row" style={{ marginTop: '16px' }}>
              {o.image ? <Image className="line-item__img" style={{ width: '120px', height: '120px' }} src={o.image} mode="aspectFill" /> : null}
              <View className="dc__row-body">
                <Text className="line-item__title">{o.title || `订单 ${o.orderId}`}</Text>
                <View className="between">
                  <View className="row"><Text className="muted">实付 </Text><Price fen={o.payableFen} size="sm" color="dark" /></View>
                  <View className="row" data-testid="dist-order-commission" data-fen={o.amountFen}>
                    <Text className="muted">佣金 </Text><Price fen={o.amountFen} size="md" color={o.earned ? 'red' : 'gray'} />
                  </View>
                </View>
              </View>
            </View>
            <View className="row" style={{ marginTop: '12px', flexWrap: 'wrap' }}>
              {o.entries.map((e, i) => (
                <Text key={i} className={`dc__tag ${e.kind !== 'accrue' ? 'dc__tag--green' : ''}`}>
                  {e.tier === 2 ? '团队' : '直推'}{e.kind === 'reverse' ? '退款冲减' : e.kind === 'clawback' ? '退款追回' : ''} {STATE_TEXT[e.state] ?? e.state} ¥{formatFen(e.amountFen)}
                </Text>
              ))}
            </View>
            <View className="dc__why" data-testid="dist-order-why">
              {o.reasons.length
                ? o.reasons.map((r) => <Text key={r.code} style={{ display: 'block' }}>{o.earned ? 'ℹ ' : '✕ '}{r.message}</Text>)
                : <Text>{o.earned ? `✓ 客户通过你的分享下单，佣金${STATE_TEXT[o.state] ? `「${STATE_TEXT[o.state]}」` : '已记录'}` : '✕ 该订单未产生佣金'}</Text>}
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function DistOrders() { return <DistGate>{() => <Orders />}</DistGate>; }

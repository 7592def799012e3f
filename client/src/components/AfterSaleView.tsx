import { View, Text, Image } from '@tarojs/components';
import Price from './Price';
import type { AfterSale } from '../services/types';
import { AFTER_SALE_STATUS_TEXT, AFTER_SALE_TYPE_TEXT, formatTime } from '../utils/format';

export default function AfterSaleView({ a }: { a: AfterSale }) {
  const lines = a.order?.lines ?? [];
  return (
    <View>
      <View className="ov__head" data-testid="aftersale-status" data-status={a.status}>
        <Text className="ov__status">
          {a.status === 'awaiting_return' && a.trackingNo ? '退货已寄出，待商家收货' : AFTER_SALE_STATUS_TEXT[a.status] ?? a.status}
        </Text>
        {a.merchantReason && <Text className="ov__sub">商家说明：{a.merchantReason}</Text>}
      </View>
      <View className="card">
        <View className="kv"><Text className="kv__k">售后类型</Text><Text>{AFTER_SALE_TYPE_TEXT[a.type] ?? a.type}</Text></View>
        <View className="kv"><Text className="kv__k">退款金额</Text><Price fen={a.refundFen} /></View>
        <View className="kv"><Text className="kv__k">申请原因</Text><Text>{a.reason}</Text></View>
        <View className="kv"><Text className="kv__k">订单编号</Text><Text selectable>{a.orderId}</Text></View>
        <View className="kv"><Text className="kv__k">申请时间</Text><Text>{formatTime(a.createdAt)}</Text></View>
        {a.carrier && <View className="kv"><Text className="kv__k">退货物流</Text><Text>{a.carrier} {a.trackingNo}</Text></View>}
      </View>
      <View className="card">
        <View className="title">售后商品</View>
        {a.items.map((it) => {
          const l = lines.find((x) => x.lineId === it.lineId);
          return (
            <View key={it.lineId} className="line-item">
              {l && <Image className="line-item__img" src={l.image} mode="aspectFill" />}
              <View className="line-item__body">
                <Text className="line-item__title">{l?.title ?? it.lineId}</Text>
                {l && <Text className="line-item__spec">{l.specText}</Text>}
                <View className="between"><Text className="muted">×{it.qty}</Text><Price fen={it.refundFen} size="sm" /></View>
              </View>
            </View>
          );
        })}
      </View>
    </View>
  );
}

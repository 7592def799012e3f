import { View, Text, Image } from '@tarojs/components';
import Price from './Price';
import type { Order } from '../services/types';
import { CANCEL_REASON_TEXT, ORDER_STATUS_TEXT, formatTime } from '../utils/format';
import './OrderView.css';

const STEPS = [
  { key: 'pending_payment', label: '待付款' },
  { key: 'pending_shipment', label: '待发货' },
  { key: 'shipped', label: '已发货' },
  { key: 'completed', label: '已完成' },
];

/** Status steps, address, lines and amounts of an order (shared by the shopper and merchant pages). */
export default function OrderView({ order }: { order: Order }) {
  const idx = STEPS.findIndex((s) => s.key === order.status);
  const closed = order.status === 'cancelled' || order.status === 'closed';
  return (
    <View>
      <View className="ov__head" data-testid="order-detail-status" data-status={order.status}>
        <Text className="ov__status">{ORDER_STATUS_TEXT[order.status] ?? order.status}</Text>
        {order.status === 'cancelled' && order.cancelReason && <Text className="ov__sub">{CANCEL_REASON_TEXT[order.cancelReason] ?? order.cancelReason}</Text>}
        {order.status === 'pending_payment' && order.expiresAt && <Text className="ov__sub">请在 {formatTime(order.expiresAt)} 前完成支付，超时订单将自动取消</Text>}
        {!closed && (
          <View className="ov__steps">
            {STEPS.map((s, i) => (
              <View key={s.key} className={`ov__step ${i <= idx ? 'ov__step--on' : ''}`}>
                <View className="ov__dot" />
                <Text className="ov__step-label">{s.label}</Text>
              </View>
            ))}
          </View>
        )}
      </View>
      {order.address && (
        <View className="card">
          <View className="row"><Text className="title">{order.address.name}</Text><Text className="ov__phone">{order.address.phone}</Text></View>
          <Text className="ov__addr">{(order.address.region ?? []).join(' ')} {order.address.detail}</Text>
        </View>
      )}
      {order.carrier && (
        <View className="card" data-testid="order-logistics">
          <View className="kv"><Text className="kv__k">物流公司</Text><Text>{order.carrier}</Text></View>
          <View className="kv"><Text className="kv__k">运单号</Text><Text selectable>{order.trackingNo}</Text></View>
        </View>
      )}
      <View className="card">
        {order.lines.map((l) => (
          <View key={l.lineId} className="line-item">
            <Image className="line-item__img" src={l.image} mode="aspectFill" />
            <View className="line-item__body">
              <Text className="line-item__title">{l.title}</Text>
              <Text className="line-item__spec">{l.specText}</Text>
              <View className="between"><Price fen={l.unitPrice} size="sm" color="dark" /><Text className="muted">×{l.qty}</Text></View>
              {(l.refundedQty ?? 0) > 0 && <Text className="red ov__refunded">已退 {l.refundedQty} 件</Text>}
            </View>
          </View>
        ))}
        <View className="kv"><Text className="kv__k">商品金额</Text><Price fen={order.goodsFen} size="sm" color="dark" /></View>
        {order.discountFen > 0 && <View className="kv"><Text className="kv__k">优惠</Text><Text className="red">-<Price fen={order.discountFen} size="sm" /></Text></View>}
        <View className="kv"><Text className="kv__k">运费</Text>{order.shippingFen > 0 ? <Price fen={order.shippingFen} size="sm" color="dark" /> : <Text>免运费</Text>}</View>
        <View className="kv"><Text className="kv__k">实付款</Text><Price fen={order.payableFen} /></View>
        {(order.refundedFen ?? 0) > 0 && <View className="kv"><Text className="kv__k">已退款</Text><Price fen={order.refundedFen ?? 0} size="sm" /></View>}
      </View>
      <View className="card">
        <View className="kv"><Text className="kv__k">订单编号</Text><Text selectable data-testid="order-id">{order._id}</Text></View>
        <View className="kv"><Text className="kv__k">下单时间</Text><Text>{formatTime(order.createdAt)}</Text></View>
        {order.paidAt && <View className="kv"><Text className="kv__k">支付时间</Text><Text>{formatTime(order.paidAt)}</Text></View>}
        {order.shippedAt && <View className="kv"><Text className="kv__k">发货时间</Text><Text>{formatTime(order.shippedAt)}</Text></View>}
        {order.completedAt && <View className="kv"><Text className="kv__k">完成时间</Text><Text>{formatTime(order.completedAt)}</Text></View>}
        {order.remark && <View className="kv"><Text className="kv__k">备注</Text><Text>{order.remark}</Text></View>}
      </View>
    </View>
  );
}

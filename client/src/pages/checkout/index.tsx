import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Image, Textarea } from '@tarojs/components';
import { createOrder, listAddresses, quoteCart } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import { requestPayment } from '../../services/payment';
import type { Quote } from '../../services/types';
import { useCheckout } from '../../stores/checkout';
import { useCart } from '../../stores/cart';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { newRequestId } from '../../utils/format';
import { toast, toastError } from '../../utils/ui';
import './index.css';

export default function CheckoutPage() {
  const { lines, fromCart, address } = useCheckout();
  const selectAddress = useCheckout((s) => s.selectAddress);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [remark, setRemark] = useState('');
  const [submitting, setSubmitting] = useState(false);
  // One requestId per checkout visit: a double tap or a retry replays the same order on the server.
  const requestId = useRef(newRequestId());
  const addressChecked = useRef(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      if (!lines.length) throw new Error('empty');
      setQuote(await quoteCart(lines));
    } catch (e) {
      setError(lines.length ? errorMessage(e) : '没有要结算的商品');
    } finally {
      setLoading(false);
    }
  }, [lines]);
  useEffect(() => { void load(); }, [load]);

  useDidShow(async () => {
    if (address || addressChecked.current) return;
    addressChecked.current = true;
    try {
      const list = await listAddresses();
      const d = list.find((a) => a.isDefault) ?? list[0];
      if (d && !useCheckout.getState().address) selectAddress(d);
    } catch { /* the user can pick one */ }
  });

  const submit = async () => {
    if (submitting) return;
    if (!address) { toast('请选择收货地址'); return; }
    if (!quote) { toast('价格计算中，请稍候'); return; }
    const bad = quote.lines.find((l) => !l.available);
    if (bad) { toast(bad.reason || `${bad.title} 暂不可购买`); return; }
    setSubmitting(true);
    try {
      const { order, payment } = await createOrder({ requestId: requestId.current, lines, address, remark: remark.trim() || undefined });
      if (fromCart) useCart.getState().remove(lines.map((l) => l.skuId));
      let outcome: 'paid' | 'cancelled' | 'pending' = 'cancelled';
      try {
        outcome = payment ? await requestPayment(payment, order) : 'pending';
      } catch (e) {
        toastError(e);
      }
      void Taro.redirectTo({ url: `/pages/pay-result/index?id=${order._id}&result=${outcome}` });
    } catch (e) {
      toastError(e);
      setSubmitting(false);
    }
  };

  return (
    <View className="page co">
      <View className="card co__addr" data-testid="checkout-address" onClick={() => Taro.navigateTo({ url: '/pages/address-list/index?select=1' })}>
        {address ? (
          <View className="co__addr-body">
            <View className="row"><Text className="title">{address.name}</Text><Text className="co__phone">{address.phone}</Text></View>
            <Text className="co__addr-text">{address.region.join(' ')} {address.detail}</Text>
          </View>
        ) : (
          <View className="co__addr-body"><Text className="red">+ 添加收货地址</Text></View>
        )}
        <Text className="muted">›</Text>
      </View>

      <StateView loading={loading} error={error} onRetry={load}>
        {quote && (
          <>
            <View className="card">
              {quote.lines.map((l) => (
                <View key={l.skuId} className="line-item" data-testid="checkout-line">
                  <Image className="line-item__img" src={l.image} mode="aspectFill" />
                  <View className="line-item__body">
                    <Text className="line-item__title">{l.title}</Text>
                    <Text className="line-item__spec">{l.specText}</Text>
                    {!l.available && <Text className="red">{l.reason || '暂不可购买'}</Text>}
                    <View className="between"><Price fen={l.unitPrice} /><Text className="muted">×{l.qty}</Text></View>
                  </View>
                </View>
              ))}
            </View>
            <View className="card">
              <View className="kv"><Text className="kv__k">商品金额</Text><Price fen={quote.goodsFen} size="sm" color="dark" /></View>
              {quote.promotions.map((p, i) => (
                <View key={i} className="kv"><Text className="kv__k">{p.title}</Text><Text className="red">-<Price fen={p.discountFen} size="sm" /></Text></View>
              ))}
              {quote.discountFen > 0 && (
                <View className="kv"><Text className="kv__k">优惠合计</Text><Text className="red">-<Price fen={quote.discountFen} size="sm" /></Text></View>
              )}
              <View className="kv"><Text className="kv__k">运费</Text>{quote.shippingFen > 0 ? <Price fen={quote.shippingFen} size="sm" color="dark" /> : <Text>免运费</Text>}</View>
              <View className="co__remark">
                <Text className="kv__k">订单备注</Text>
                <Textarea className="textarea" value={remark} maxlength={100} placeholder="选填，请先和商家协商一致" onInput={(e) => setRemark(e.detail.value)} />
              </View>
            </View>
          </>
        )}
      </StateView>

      <View className="bottom-bar co__bar">
        <View className="co__sum" data-testid="checkout-payable" data-fen={quote?.payableFen ?? ''}>
          <Text>实付：</Text>
          <Price fen={quote?.payableFen ?? 0} size="lg" className="co__payable" />
        </View>
        <View className={`btn btn--primary ${submitting || !quote ? 'btn--disabled' : ''}`} data-testid="submit-order" onClick={submit}>
          {submitting ? '提交中…' : '提交订单'}
        </View>
      </View>
    </View>
  );
}

import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { Checkbox, InputNumber } from '@nutui/nutui-react-taro';
import { quoteCart } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Quote } from '../../services/types';
import { useCart } from '../../stores/cart';
import { useCheckout } from '../../stores/checkout';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { confirmDialog, toast } from '../../utils/ui';
import './index.css';

export default function CartPage() {
  const lines = useCart((s) => s.lines);
  const { setQty, toggle, toggleAll, remove } = useCart.getState();
  const setCheckoutLines = useCheckout((s) => s.setLines);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoting, setQuoting] = useState(false);
  const [quoteError, setQuoteError] = useState('');
  const seq = useRef(0);

  const selected = lines.filter((l) => l.selected);
  const allSelected = lines.length > 0 && selected.length === lines.length;
  const key = selected.map((l) => `${l.skuId}:${l.qty}`).join(',');

  // The server prices the selection (promotions, shipping); the client only displays the quote.
  useEffect(() => {
    const my = ++seq.current;
    if (!selected.length) { setQuote(null); setQuoteError(''); return; }
    setQuoting(true);
    setQuoteError('');
    const t = setTimeout(async () => {
      try {
        const q = await quoteCart(selected.map((l) => ({ skuId: l.skuId, qty: l.qty })));
        if (my === seq.current) setQuote(q);
      } catch (e) {
        if (my === seq.current) { setQuote(null); setQuoteError(errorMessage(e)); }
      } finally {
        if (my === seq.current) setQuoting(false);
      }
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useDidShow(() => { useCart.setState({ lines: useCart.getState().lines.slice() }); });

  const lineQuote = (skuId: string) => quote?.lines.find((l) => l.skuId === skuId);

  const onRemove = async (skuId: string) => {
    if (await confirmDialog('删除商品', '确定从购物车删除该商品吗？', '删除')) remove([skuId]);
  };

  const checkout = () => {
    if (!selected.length) { toast('请选择要结算的商品'); return; }
    if (quoting) { toast('正在计算价格，请稍候'); return; }
    const bad = quote?.lines.find((l) => !l.available);
    if (bad) { toast(bad.reason || `${bad.title} 暂不可购买`); return; }
    setCheckoutLines(selected.map((l) => ({ skuId: l.skuId, qty: l.qty })), true);
    void Taro.navigateTo({ url: '/pages/checkout/index' });
  };

  return (
    <View className="page cart">
      <StateView empty={!lines.length} emptyText="购物车是空的，去逛逛吧">
        {lines.map((l) => {
          const q = lineQuote(l.skuId);
          return (
            <View key={l.skuId} className="card cart__line" data-testid="cart-line" data-sku={l.skuId}>
              <View className="cart__check" data-testid="cart-line-check" onClick={() => toggle(l.skuId)}>
                <Checkbox checked={l.selected} />
              </View>
              <Image className="line-item__img" src={l.snapshot.image} mode="aspectFill"
                onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${l.snapshot.productId}` })} />
              <View className="line-item__body">
                <Text className="line-item__title">{l.snapshot.title}</Text>
                <Text className="line-item__spec">{l.snapshot.specText}</Text>
                {q && !q.available && <Text className="cart__bad">{q.reason || '暂不可购买'}</Text>}
                <View className="between cart__foot">
                  <Price fen={q ? q.unitPrice : l.snapshot.price} />
                  <View data-testid="cart-qty">
                    <InputNumber
                      value={l.qty}
                      min={1}
                      max={q?.stock && q.stock > 0 ? q.stock : 999}
                      onChange={(v: string | number) => setQty(l.skuId, Number(v) || 1)}
                      onOverlimit={() => toast(q?.stock ? `库存仅剩 ${q.stock} 件` : '数量不能小于 1')}
                    />
                  </View>
                </View>
                <View className="between">
                  {q && q.discount > 0 ? <Text className="cart__disc">优惠 -<Price fen={q.discount} size="sm" /></Text> : <Text />}
                  <Text className="cart__remove" data-testid="cart-remove" onClick={() => onRemove(l.skuId)}>删除</Text>
                </View>
              </View>
            </View>
          );
        })}
        {quote && quote.promotions.length > 0 && (
          <View className="card">
            {quote.promotions.map((p, i) => (
              <View key={i} className="kv"><Text className="kv__k">{p.title}</Text><Text className="red">-<Price fen={p.discountFen} size="sm" /></Text></View>
            ))}
          </View>
        )}
      </StateView>

      {lines.length > 0 && (
        <View className="bottom-bar cart__bar" style={{ bottom: process.env.TARO_ENV === 'h5' ? '50px' : 0 }}>
          <View className="row" data-testid="cart-select-all" onClick={() => toggleAll(!allSelected)}>
            <Checkbox checked={allSelected} />
            <Text className="cart__all">全选</Text>
          </View>
          <View className="cart__sum">
            <View className="row">
              <Text>合计：</Text>
              {quoting ? <Text className="muted">计算中…</Text> : <Price fen={quote?.payableFen ?? 0} size="lg" className="cart__total" />}
            </View>
            {quote && quote.discountFen > 0 && <Text className="muted">已优惠 <Price fen={quote.discountFen} size="sm" color="gray" /></Text>}
            {quoteError && <Text className="cart__bad">{quoteError}</Text>}
          </View>
          <View className="btn btn--primary" data-testid="cart-checkout" onClick={checkout}>结算({selected.reduce((n, l) => n + l.qty, 0)})</View>
        </View>
      )}
    </View>
  );
}

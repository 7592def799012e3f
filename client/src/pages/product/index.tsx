import { formatFen } from '../../utils/money';
import { useCallback, useEffect, useMemo, useState } from 'react';
import Taro, { useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import { View, Text, Swiper, SwiperItem, Image, Button } from '@tarojs/components';
import { Popup, InputNumber } from '@nutui/nutui-react-taro';
import { fetchProduct } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Product, Sku } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useCart } from '../../stores/cart';
import { useCheckout } from '../../stores/checkout';
import { toast } from '../../utils/ui';
import cartIcon from '../../assets/tab/cart.png';
import { captureBinding } from '../../services/binding';
import { distExpected } from '../../services/distribution';
import { parseSceneProduct } from '../../services/scene';
import { sharePathFor, shareQueryFor, shareLink } from '../../services/scene';
import { useDist, activeCode } from '../../stores/dist';
import './index.css';

type Mode = 'cart' | 'buy' | 'select';

const skuPrice = (s: Sku) => s.promoPrice ?? s.price;

export default function ProductPage() {
  const { params } = useRouter();
  // A 小程序码 opens the product with `scene` (code + product id); a card / link with `id` and `dc`.
  const sceneProduct = params.scene ? parseSceneProduct(decodeURIComponent(params.scene)) : null;
  const id = decodeURIComponent(params.id ?? sceneProduct ?? '');
  useEffect(() => { captureBinding(params as Record<string, unknown>); }, [params]);
  const distCode = activeCode(useDist((s) => s.me));
  const [expectedFen, setExpectedFen] = useState<number | null>(null);
  const [shareOpen, setShareOpen] = useState(false);
  // The 分享赚 figure (tier 1 on one unit, by the server's commission rules), for active distributors only.
  useEffect(() => {
    if (!distCode || !id) return;
    distExpected(id).then(setExpectedFen).catch(() => setExpectedFen(null));
  }, [distCode, id]);
  const [product, setProduct] = useState<Product | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [picked, setPicked] = useState<Record<number, string>>({});
  const [qty, setQty] = useState(1);
  const [mode, setMode] = useState<Mode | null>(null);
  const addToCart = useCart((s) => s.add);
  const cartCount = useCart((s) => s.lines.reduce((n, l) => n + l.qty, 0));
  const setCheckoutLines = useCheckout((s) => s.setLines);

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      const p = await fetchProduct(id);
      setProduct(p);
      // Pre-select when a product has a single SKU.
      if (p.skus.length === 1) {
        const only: Record<number, string> = {};
        p.skus[0].specValues.forEach((v, i) => { only[i] = v; });
        setPicked(only);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  const specs = product?.specs ?? [];
  const sku = useMemo(() => {
    if (!product) return null;
    if (!specs.length) return product.skus[0] ?? null;
    if (specs.some((_, i) => !picked[i])) return null;
    return product.skus.find((s) => specs.every((_, i) => s.specValues[i] === picked[i])) ?? null;
  }, [product, picked, specs]);

  const available = (specIndex: number, value: string) =>
    !!product?.skus.some((s) => s.stock > 0 && s.specValues[specIndex] === value &&
      specs.every((_, j) => j === specIndex || !picked[j] || s.specValues[j] === picked[j]));

  const totalStock = product?.skus.reduce((n, s) => n + s.stock, 0) ?? 0;
  const prices = product?.skus.map(skuPrice) ?? [];
  const lowest = prices.length ? Math.min(...prices) : product?.minPrice ?? 0;
  const listPrices = product?.skus.map((s) => s.listPrice ?? 0) ?? [];
  const highestList = listPrices.length ? Math.max(...listPrices) : 0;
  const missing = specs.filter((_, i) => !picked[i]).map((s) => s.name);

  const open = (m: Mode) => setMode(m);

  const confirm = () => {
    if (!product) return;
    if (!sku) { toast(`请选择${missing.join('、') || '规格'}`); return; }
    if (sku.stock <= 0) { toast('该规格已售罄'); return; }
    if (qty > sku.stock) { toast(`库存仅剩 ${sku.stock} 件`); return; }
    if (mode === 'buy') {
      setCheckoutLines([{ skuId: sku._id, qty }], false);
      setMode(null);
      void Taro.navigateTo({ url: '/pages/checkout/index' });
      return;
    }
    addToCart(sku._id, qty, {
      productId: product._id,
      title: product.title,
      image: sku.image || product.images[0] || '',
      specText: sku.specText,
      price: skuPrice(sku),
    });
    setMode(null);
    toast('已加入购物车', 'success');
  };

  const shownImage = sku?.image || product?.images[0] || '';

  useShareAppMessage(() => ({
    title: product?.title ?? '好物推荐',
    path: distCode ? sharePathFor(distCode, id) : `/pages/product/index?id=${encodeURIComponent(id)}`,
    imageUrl: product?.images[0],
  }));
  useShareTimeline(() => ({
    title: product?.title ?? '好物推荐',
    query: distCode ? shareQueryFor(distCode, id) : `id=${encodeURIComponent(id)}`,
    imageUrl: product?.images[0],
  }));
  const copyLink = () => {
    const path = sharePathFor(distCode, id);
    const text = shareLink(path);
    void Taro.setClipboardData({ data: text });
  };

  return (
    <View className="page pd">
      <StateView loading={loading} error={error} empty={!loading && !product} emptyText="商品不存在或已下架" onRetry={load}>
        {product && (
          <>
            <Swiper className="pd__swiper" indicatorDots circular indicatorActiveColor="#fa4126">
              {(product.images.length ? product.images : ['']).map((src, i) => (
                <SwiperItem key={i}>
                  <Image className="pd__img" src={src} mode="aspectFill" />
                </SwiperItem>
              ))}
            </Swiper>
            <View className="card pd__info">
              <View className="row">
                <Price fen={sku ? skuPrice(sku) : lowest} size="lg" />
                {!sku && product.skus.length > 1 && <Text className="muted">起</Text>}
                {(sku?.listPrice ?? highestList) > (sku ? skuPrice(sku) : lowest) && (
                  <Price fen={sku?.listPrice ?? highestList} size="sm" del className="pd__list" />
                )}
              </View>
              {product.promotions.length > 0 && (
                <View className="pd__promos">
                  {product.promotions.map((p) => (
                    <Text key={p._id} className="pd__promo-tag" data-testid="promotion-tag">{p.title}</Text>
                  ))}
                </View>
              )}
              <Text className="pd__title" data-testid="product-title">{product.title}</Text>
              {product.subtitle && <Text className="pd__subtitle">{product.subtitle}</Text>}
              <View className="between pd__meta">
                <Text className="muted">已售 {product.sold}</Text>
                <Text className="muted">库存 {sku ? sku.stock : totalStock}</Text>
              </View>
            </View>
            <View className="card between" onClick={() => open('select')} data-testid="open-sku">
              <Text className="pd__label">规格</Text>
              <Text className="pd__chosen">{sku ? `已选：${sku.specText} × ${qty}` : `请选择 ${specs.map((s) => s.name).join(' ')}`}</Text>
              <Text className="muted">›</Text>
            </View>
            <View className="card pd__detail">
              <View className="title">商品详情</View>
              {product.detailImages.map((src, i) => (
                <Image key={i} className="pd__detail-img" src={src} mode="widthFix" lazyLoad />
              ))}
              {!product.detailImages.length && <View className="muted">暂无详情</View>}
            </View>
          </>
        )}
      </StateView>

      {product && (
        <View className="bottom-bar pd__bar">
          <View className="pd__icon" onClick={() => Taro.switchTab({ url: '/pages/cart/index' })} data-testid="go-cart">
            <Image className="pd__icon-glyph" src={cartIcon} />
            <Text className="pd__icon-text">购物车</Text>
            {cartCount > 0 && <Text className="pd__badge">{cartCount}</Text>}
          </View>
          {distCode && (
            <View className="pd__icon pd__share" data-testid="share-earn" onClick={() => setShareOpen(true)}>
              <Text className="pd__share-glyph">赚</Text>
              <Text className="pd__icon-text">{expectedFen !== null && expectedFen > 0 ? `分享赚 ¥${formatFen(expectedFen)}` : '分享赚'}</Text>
            </View>
          )}
          <View className="pd__btns">
            <View className="btn btn--warn pd__btn" data-testid="add-to-cart" onClick={() => open('cart')}>加入购物车</View>
            <View className="btn btn--primary pd__btn" data-testid="buy-now" onClick={() => open('buy')}>立即购买</View>
          </View>
        </View>
      )}

      <Popup visible={shareOpen} position="bottom" round closeable onClose={() => setShareOpen(false)}>
        <View className="share-sheet" data-testid="share-sheet">
          <Text className="title">分享商品</Text>
          {expectedFen !== null && expectedFen > 0 && <Text className="muted">好友通过你的分享购买，预计可赚 ¥{formatFen(expectedFen)}</Text>}
          <View className="share-sheet__row">
            {process.env.TARO_ENV === 'weapp' ? (
              <Button className="share-sheet__item" openType="share" data-testid="share-friend"><Text className="share-sheet__glyph">友</Text><Text>分享给好友</Text></Button>
            ) : (
              <View className="share-sheet__item" data-testid="share-friend" onClick={copyLink}><Text className="share-sheet__glyph">友</Text><Text>复制链接</Text></View>
            )}
            <View className="share-sheet__item" data-testid="share-moments" onClick={() => Taro.showModal({ title: '分享到朋友圈', content: '点击右上角「···」，选择「分享到朋友圈」', showCancel: false })}><Text className="share-sheet__glyph">圈</Text><Text>分享到朋友圈</Text></View>
            <View className="share-sheet__item" data-testid="share-poster" onClick={() => { setShareOpen(false); void Taro.navigateTo({ url: `/subpkg-dist/poster/index?productId=${encodeURIComponent(id)}` }); }}><Text className="share-sheet__glyph">图</Text><Text>生成海报</Text></View>
          </View>
        </View>
      </Popup>

      <Popup visible={mode !== null} position="bottom" round closeable onClose={() => setMode(null)}>
        {product && (
          <View className="sku" data-testid="sku-popup">
            <View className="sku__head">
              <Image className="sku__img" src={shownImage} mode="aspectFill" />
              <View className="sku__head-info">
                <Price fen={sku ? skuPrice(sku) : lowest} size="lg" />
                <Text className="muted">库存 {sku ? sku.stock : totalStock} 件</Text>
                <Text className="sku__chosen">{sku ? `已选：${sku.specText}` : `请选择 ${missing.join(' ')}`}</Text>
              </View>
            </View>
            {specs.map((s, i) => (
              <View key={s.name} className="sku__group">
                <Text className="sku__group-name">{s.name}</Text>
                <View>
                  {s.values.map((v) => {
                    const on = picked[i] === v;
                    const ok = available(i, v);
                    return (
                      <Text
                        key={v}
                        className={`chip ${on ? 'chip--on' : ''} ${!ok ? 'chip--off' : ''}`}
                        data-testid="sku-chip"
                        onClick={() => {
                          if (!ok && !on) { toast('该规格已售罄'); return; }
                          setPicked((p) => ({ ...p, [i]: on ? '' : v }));
                          setQty(1);
                        }}
                      >
                        {v}
                      </Text>
                    );
                  })}
                </View>
              </View>
            ))}
            <View className="between sku__qty">
              <Text className="sku__group-name">购买数量</Text>
              <InputNumber
                value={qty}
                min={1}
                max={Math.max(1, sku ? sku.stock : 1)}
                disabled={!sku || sku.stock <= 0}
                onChange={(v: string | number) => setQty(Math.max(1, Number(v) || 1))}
                onOverlimit={() => toast(sku ? `最多购买 ${sku.stock} 件` : '请先选择规格')}
              />
            </View>
            <View className={`btn btn--primary btn--block sku__ok ${!sku || sku.stock <= 0 ? 'btn--disabled' : ''}`} data-testid="sku-confirm" onClick={confirm}>
              {mode === 'buy' ? '立即购买' : mode === 'cart' ? '加入购物车' : '确定'}
            </View>
          </View>
        )}
      </Popup>
    </View>
  );
}

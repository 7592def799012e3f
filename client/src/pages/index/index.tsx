import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useLoad, useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import { View, Text, Swiper, SwiperItem, Image } from '@tarojs/components';
import { SearchBar } from '@nutui/nutui-react-taro';
import { fetchHome, fetchProducts } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { HomeData, ProductSummary } from '../../services/types';
import StateView from '../../components/StateView';
import { GoodsGrid } from '../../components/GoodsCard';
import Countdown from '../../components/Countdown';
import { captureBinding } from '../../services/binding';
import { sharePathFor, shareQueryFor, parseSceneProduct } from '../../services/scene';
import { useDist, activeCode } from '../../stores/dist';
import './index.css';

export default function Home() {
  const [data, setData] = useState<HomeData | null>(null);
  const [items, setItems] = useState<ProductSummary[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      const d = await fetchHome();
      setData(d);
      setItems(d.feed.items);
      setHasMore(d.feed.hasMore);
      setPage(1);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
      Taro.stopPullDownRefresh();
    }
  }, []);

  useEffect(() => { void load(); }, [load]);
  // A share link / 小程序码 may carry a distributor code (dc= / scene=): bind the visitor (h5 and weapp).
  useLoad((q) => {
    captureBinding(q as Record<string, unknown>);
    // A product poster's 小程序码 opens the home page with scene `c=CODE&p=PRODUCT`: go on to that product.
    const scene = typeof q?.scene === 'string' ? q.scene : '';
    const productId = scene ? parseSceneProduct(scene) : null;
    if (productId) void Taro.navigateTo({ url: `/pages/product/index?id=${encodeURIComponent(productId)}` });
  });
  const code = activeCode(useDist((s) => s.me));
  useShareAppMessage(() => ({ title: '精选好物，邀你一起逛', path: code ? sharePathFor(code) : '/pages/index/index' }));
  useShareTimeline(() => ({ title: '精选好物，邀你一起逛', query: code ? shareQueryFor(code) : '' }));
  usePullDownRefresh(() => { void load(); });
  useReachBottom(async () => {
    if (!hasMore) return;
    try {
      const r = await fetchProducts({ page: page + 1 });
      setItems((prev) => [...prev, ...r.items.filter((x) => !prev.some((p) => p._id === x._id))]);
      setHasMore(r.hasMore);
      setPage(page + 1);
    } catch { /* keep current list */ }
  });

  const goSearch = () => Taro.navigateTo({ url: '/pages/search/index' });

  return (
    <View className="page home">
      <View className="home__search" onClick={goSearch} data-testid="home-search">
        <SearchBar shape="round" placeholder="搜索商品" disabled />
      </View>
      <StateView loading={loading && !data} error={!data ? error : ''} onRetry={load}>
        {data && (
          <>
            {data.banners.length > 0 && (
              <Swiper className="home__banner" indicatorDots autoplay circular indicatorActiveColor="#fa4126">
                {data.banners.map((b, i) => (
                  <SwiperItem key={b._id ?? i}>
                    <Image
                      className="home__banner-img"
                      src={b.image}
                      mode="aspectFill"
                      onClick={() => b.productId && Taro.navigateTo({ url: `/pages/product/index?id=${b.productId}` })}
                    />
                  </SwiperItem>
                ))}
              </Swiper>
            )}
            {data.categories.length > 0 && (
              <View className="home__cats">
                {data.categories.slice(0, 10).map((c) => (
                  <View
                    key={c._id}
                    className="home__cat"
                    data-testid="home-category"
                    onClick={() => Taro.navigateTo({ url: `/pages/search/index?categoryId=${c._id}&title=${encodeURIComponent(c.name)}` })}
                  >
                    {c.icon ? <Image className="home__cat-icon" src={c.icon} mode="aspectFill" /> : <View className="home__cat-icon home__cat-icon--text">{c.name.slice(0, 1)}</View>}
                    <Text className="home__cat-name">{c.name}</Text>
                  </View>
                ))}
              </View>
            )}
            {data.promotions.length > 0 && (
              <View className="home__promos">
                {data.promotions.map((p) => (
                  <View key={p._id || p.id || p.title} className="home__promo" data-testid="home-promotion">
                    <Text className="home__promo-tag">{p.type === 'full_reduction' ? '满减' : '限时折扣'}</Text>
                    <Text className="home__promo-title">{p.title}</Text>
                    {p.endAt && <Countdown className="home__promo-end" endAt={p.endAt} />}
                  </View>
                ))}
              </View>
            )}
            <View className="home__feed-title">
              <Text>为你推荐</Text>
            </View>
            <StateView empty={items.length === 0} emptyText="暂无商品">
              <GoodsGrid items={items} />
            </StateView>
            {items.length > 0 && <View className="home__more muted">{hasMore ? '上拉加载更多' : '没有更多了'}</View>}
          </>
        )}
      </StateView>
    </View>
  );
}

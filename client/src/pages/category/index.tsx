import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, ScrollView, Image } from '@tarojs/components';
import { fetchCategories, fetchProducts } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Category, ProductSummary } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import './index.css';

export default function CategoryPage() {
  const [cats, setCats] = useState<Category[]>([]);
  const [active, setActive] = useState('');
  const [catError, setCatError] = useState('');
  const [catLoading, setCatLoading] = useState(true);
  const [goods, setGoods] = useState<ProductSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');

  const loadCats = useCallback(async () => {
    setCatLoading(true);
    setCatError('');
    try {
      const all = await fetchCategories();
      const top = all.filter((c) => !c.parentId);
      const list = top.length ? top : all;
      setCats(list);
      if (list.length) setActive((a) => a || list[0]._id);
    } catch (e) {
      setCatError(errorMessage(e));
    } finally {
      setCatLoading(false);
    }
  }, []);

  const loadGoods = useCallback(async (categoryId: string) => {
    setLoading(true);
    setError('');
    try {
      const r = await fetchProducts({ categoryId, page: 1, pageSize: 40 });
      setGoods(r.items);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => { void loadCats(); }, [loadCats]);
  useEffect(() => { if (active) void loadGoods(active); }, [active, loadGoods]);

  return (
    <View className="cat">
      <StateView loading={catLoading} error={catError} empty={!cats.length} emptyText="暂无分类" onRetry={loadCats}>
        <ScrollView scrollY className="cat__left">
          {cats.map((c) => (
            <View
              key={c._id}
              className={`cat__tab ${c._id === active ? 'cat__tab--on' : ''}`}
              data-testid="category-tab"
              onClick={() => setActive(c._id)}
            >
              {c.name}
            </View>
          ))}
        </ScrollView>
        <ScrollView scrollY className="cat__right">
          <StateView loading={loading} error={error} empty={!goods.length} emptyText="该分类暂无商品" onRetry={() => loadGoods(active)}>
            {goods.map((g) => (
              <View
                key={g._id}
                className="cat__goods"
                data-testid="goods-card"
                onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${g._id}` })}
              >
                <Image className="cat__img" src={g.image} mode="aspectFill" lazyLoad />
                <View className="cat__info">
                  <Text className="cat__title">{g.title}</Text>
                  <View className="between">
                    <Price fen={g.promoPrice ?? g.minPrice} />
                    <Text className="muted">已售 {g.sold}</Text>
                  </View>
                </View>
              </View>
            ))}
          </StateView>
        </ScrollView>
      </StateView>
    </View>
  );
}

import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { SearchBar } from '@nutui/nutui-react-taro';
import { fetchProducts } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { ProductSummary } from '../../services/types';
import StateView from '../../components/StateView';
import { GoodsGrid } from '../../components/GoodsCard';
import './index.css';

const SORTS = [
  { key: '', label: '综合' },
  { key: 'sales', label: '销量' },
  { key: 'price_asc', label: '价格↑' },
  { key: 'price_desc', label: '价格↓' },
];

export default function SearchPage() {
  const { params } = useRouter();
  const categoryId = params.categoryId ? decodeURIComponent(params.categoryId) : undefined;
  const [keyword, setKeyword] = useState(params.keyword ? decodeURIComponent(params.keyword) : '');
  const [sort, setSort] = useState('');
  const [items, setItems] = useState<ProductSummary[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [searched, setSearched] = useState(false);

  useEffect(() => {
    if (params.title) void Taro.setNavigationBarTitle({ title: decodeURIComponent(params.title) });
  }, [params.title]);

  const run = useCallback(async (kw: string, s: string) => {
    setLoading(true);
    setError('');
    setSearched(true);
    try {
      const r = await fetchProducts({ keyword: kw.trim() || undefined, categoryId, sort: s || undefined, page: 1, pageSize: 20 });
      setItems(r.items);
      setHasMore(r.hasMore);
      setPage(1);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [categoryId]);

  useEffect(() => {
    if (categoryId || keyword) void run(keyword, sort);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useReachBottom(async () => {
    if (!hasMore || loading) return;
    try {
      const r = await fetchProducts({ keyword: keyword.trim() || undefined, categoryId, sort: sort || undefined, page: page + 1, pageSize: 20 });
      setItems((prev) => [...prev, ...r.items]);
      setHasMore(r.hasMore);
      setPage(page + 1);
    } catch { /* keep list */ }
  });

  return (
    <View className="page search">
      <SearchBar
        shape="round"
        placeholder="搜索商品"
        value={keyword}
        onChange={(v: string) => setKeyword(v)}
        onSearch={(v: string) => run(v, sort)}
        right={<View className="search__go" data-testid="search-submit" onClick={() => run(keyword, sort)}>搜索</View>}
      />
      {searched && (
        <View className="tabs">
          {SORTS.map((s) => (
            <View key={s.key} className={`tabs__item ${sort === s.key ? 'tabs__item--on' : ''}`} onClick={() => { setSort(s.key); void run(keyword, s.key); }}>
              {s.label}
            </View>
          ))}
        </View>
      )}
      <View className="search__body">
        {searched ? (
          <StateView loading={loading} error={error} empty={!items.length} emptyText="没有找到相关商品" onRetry={() => run(keyword, sort)}>
            <GoodsGrid items={items} />
          </StateView>
        ) : (
          <View className="muted search__hint">输入关键词搜索商品</View>
        )}
      </View>
    </View>
  );
}

import Taro from '@tarojs/taro';
import { View, Image, Text } from '@tarojs/components';
import Price from './Price';
import type { ProductSummary } from '../services/types';
import './GoodsCard.css';

export default function GoodsCard({ item }: { item: ProductSummary }) {
  const open = () => Taro.navigateTo({ url: `/pages/product/index?id=${encodeURIComponent(item._id)}` });
  const shown = item.promoPrice ?? item.minPrice;
  return (
    <View className="goods-card" data-testid="goods-card" data-id={item._id} onClick={open}>
      <Image className="goods-card__img" src={item.image} mode="aspectFill" lazyLoad />
      <View className="goods-card__body">
        <Text className="goods-card__title">{item.title}</Text>
        {item.tag && <Text className="goods-card__tag">{item.tag}</Text>}
        <View className="goods-card__foot">
          <Price fen={shown} size="md" />
          {item.listPrice !== undefined && item.listPrice > shown && <Price fen={item.listPrice} size="sm" del className="goods-card__list" />}
        </View>
        <Text className="goods-card__sold">已售 {item.sold}</Text>
      </View>
    </View>
  );
}

export function GoodsGrid({ items }: { items: ProductSummary[] }) {
  return (
    <View className="goods-grid">
      {items.map((it) => (
        <GoodsCard key={it._id} item={it} />
      ))}
    </View>
  );
}

import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { fetchOrderCounts } from '../../services/api';
import type { OrderCounts } from '../../services/types';
import { useUser } from '../../stores/user';
import { ORDER_TABS, countFor } from '../../utils/format';
import './index.css';

const GLYPH: Record<string, string> = { pending_payment: '付', pending_shipment: '发', to_receive: '收', completed: '完', after_sale: '售' };

export default function Mine() {
  const { nickname, avatar, openid, roles, error } = useUser();
  const [counts, setCounts] = useState<OrderCounts>({});

  useDidShow(() => {
    void useUser.getState().login();
    fetchOrderCounts().then(setCounts).catch(() => undefined);
  });

  const go = (url: string) => Taro.navigateTo({ url });
  const isMerchant = roles.includes('merchant');

  return (
    <View className="page mine">
      <View className="mine__head" data-testid="user-card">
        {avatar ? <Image className="mine__avatar" src={avatar} /> : <View className="mine__avatar mine__avatar--text">{(nickname || '用').slice(0, 1)}</View>}
        <View className="mine__who">
          <Text className="mine__name" data-testid="user-name">{nickname || (error ? '未登录' : '加载中…')}</Text>
          {openid && <Text className="mine__id">ID：{openid.slice(-8)}{isMerchant ? ' · 商家' : ''}</Text>}
          {error && <Text className="mine__id">{error}</Text>}
        </View>
      </View>

      <View className="card mine__orders">
        <View className="between" onClick={() => go('/pages/orders/index?tab=all')}>
          <Text className="title">我的订单</Text>
          <Text className="muted">全部订单 ›</Text>
        </View>
        <View className="mine__shortcuts">
          {ORDER_TABS.filter((t) => t.key !== 'all').map((t) => {
            const n = countFor(counts, t.key);
            return (
              <View key={t.key} className="mine__shortcut" data-testid={`mine-orders-${t.key}`} onClick={() => go(`/pages/orders/index?tab=${t.key}`)}>
                <View className="mine__sc-icon">{GLYPH[t.key] ?? t.label.slice(0, 1)}{n > 0 && <Text className="mine__badge">{n > 99 ? '99+' : n}</Text>}</View>
                <Text className="mine__sc-label">{t.label}</Text>
              </View>
            );
          })}
        </View>
      </View>

      <View className="card mine__menu">
        <View className="mine__item" data-testid="mine-address" onClick={() => go('/pages/address-list/index')}><Text>地址管理</Text><Text className="muted">›</Text></View>
        {isMerchant && (
          <View className="mine__item" data-testid="mine-admin" onClick={() => go('/subpkg-admin/index')}><Text>商家后台</Text><Text className="muted">›</Text></View>
        )}
        {process.env.TARO_ENV === 'h5' && (
          <View className="mine__item" data-testid="mine-dev-signin" onClick={() => go('/pages/dev-signin/index')}><Text>切换身份（开发）</Text><Text className="muted">›</Text></View>
        )}
      </View>
    </View>
  );
}

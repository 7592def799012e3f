import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Image, Input } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { fetchOrderCounts } from '../../services/api';
import type { OrderCounts } from '../../services/types';
import { useUser } from '../../stores/user';
import { ORDER_TABS, countFor } from '../../utils/format';
import { distJoin, distMyBinding, type MyBinding } from '../../services/distribution';
import { bindTypedCode, flushPendingBinding } from '../../services/binding';
import { useDist } from '../../stores/dist';
import Price from '../../components/Price';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import { formatShanghai } from '@core/time';
import './index.css';

const GLYPH: Record<string, string> = { pending_payment: '付', pending_shipment: '发', to_receive: '收', completed: '完', after_sale: '售' };

export default function Mine() {
  const { nickname, avatar, openid, roles, error } = useUser();
  const [counts, setCounts] = useState<OrderCounts>({});
  const distState = useDist();
  // Only the current user's record (null while loading, so no 成为分销商 flashes for a distributor).
  const dist = distState.me && distState.owner === openid ? distState.me : null;
  const [binding, setBinding] = useState<MyBinding | null>(null);
  const [codeOpen, setCodeOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);

  const loadBinding = () => flushPendingBinding().then(distMyBinding).then(setBinding).catch(() => undefined);
  useDidShow(() => {
    void useUser.getState().login().then(() => useDist.getState().load(useUser.getState().openid));
    fetchOrderCounts().then(setCounts).catch(() => undefined);
    void loadBinding();
  });

  const join = async () => {
    if (busy) return;
    const ok = await confirmDialog('成为分销商', '加入分销完全免费：不收任何费用，也不要求购买商品。分享商品给好友，好友下单后即可获得佣金。', '免费加入');
    if (!ok) return;
    setBusy(true);
    try {
      const me = await distJoin();
      useDist.getState().set(me);
      void useDist.getState().load(openid);
      if (me.status === 'active') {
        toast('已成为分销商', 'success');
        void Taro.navigateTo({ url: '/subpkg-dist/index' });
      } else {
        toast('申请已提交，等待商家审核');
      }
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async () => {
    if (!typed.trim()) { toast('请输入邀请码'); return; }
    try {
      await bindTypedCode(typed);
      setCodeOpen(false);
      setTyped('');
      toast('绑定成功', 'success');
      void loadBinding();
    } catch (e) {
      toastError(e);
    }
  };

  const go = (url: string) => Taro.navigateTo({ url });
  const isMerchant = roles.includes('merchant');

  return (
    <View className="page mine">
      <View className="mine__head" data-testid="user-card" data-openid={openid}>
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

      {binding && (
        <View className="card mine__advisor" data-testid="mine-advisor">
          <Text className="mine__advisor-label">我的专属顾问：</Text>
          <Text className="mine__advisor-name" data-testid="mine-advisor-name">{binding.nickname}</Text>
          <Text className="muted" data-testid="mine-advisor-until">{binding.expiresAt ? `（有效期至 ${formatShanghai(binding.expiresAt, 'YYYY-MM-DD')}）` : '（长期有效）'}</Text>
        </View>
      )}

      <View className="card mine__dist" data-testid="mine-dist" data-loaded={dist ? '1' : '0'}>
        {!dist ? (
          <View className="mine__item"><Text>分销中心</Text><Text className="muted">{distState.error || '加载中…'}</Text></View>
        ) : dist.isDistributor && dist.status === 'active' ? (
          <View className="mine__item" data-testid="mine-dist-center" onClick={() => go('/subpkg-dist/index')}>
            <Text>分销中心</Text>
            <View className="row mine__dist-fig"><Text className="muted">待结算</Text><Price fen={dist.balances.pending} size="sm" /><Text className="muted">›</Text></View>
          </View>
        ) : dist?.isDistributor && dist.status === 'pending' ? (
          <View className="mine__item" data-testid="mine-dist-pending"><Text>分销商申请</Text><Text className="muted">审核中</Text></View>
        ) : dist?.isDistributor && dist.status === 'frozen' ? (
          <View className="mine__item" data-testid="mine-dist-frozen" onClick={() => go('/subpkg-dist/index')}><Text>分销中心</Text><Text className="muted">账户已冻结 ›</Text></View>
        ) : (
          <View className="mine__item" data-testid="mine-dist-join" onClick={join}>
            <View className="mine__join"><Text>成为分销商</Text><Text className="muted">免费加入，分享赚佣金</Text></View>
            <Text className="red">{dist?.status === 'rejected' ? '重新申请 ›' : '免费加入 ›'}</Text>
          </View>
        )}
        {!binding && (
          <View className="mine__item" data-testid="mine-invite-code" onClick={() => setCodeOpen(true)}><Text>填写邀请码</Text><Text className="muted">›</Text></View>
        )}
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

      <Popup visible={codeOpen} position="bottom" round closeable onClose={() => setCodeOpen(false)}>
        <View className="mine__code-pop" data-testid="invite-code-form">
          <Text className="title">填写邀请码</Text>
          <Text className="muted">输入分销商给你的邀请码，TA 将成为你的专属顾问</Text>
          <Input className="mine__code-input" value={typed} maxlength={8} placeholder="如 AB3C5D" onInput={(e) => setTyped(e.detail.value.toUpperCase())} />
          <View className="btn btn--primary btn--block" data-testid="invite-code-submit" onClick={submitCode}>确定</View>
        </View>
      </Popup>
    </View>
  );
}

import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { useDist } from '../stores/dist';
import { useUser } from '../stores/user';
import StateView from '../components/StateView';
import type { DistMe } from '../services/distribution';

/** Distributor gate: the centre needs an active (or frozen, read-only) distributor. The server checks again. */
export default function DistGate({ children }: { children: (me: DistMe) => React.ReactNode }) {
  const { me, error, load } = useDist();
  const reload = () => load(useUser.getState().openid);
  useEffect(() => { if (!me) void reload(); }, [me]);
  if (!me) return <StateView loading={!error} error={error} onRetry={reload} />;
  if (!me.isDistributor || (me.status !== 'active' && me.status !== 'frozen')) {
    return (
      <View className="state" data-testid="dist-forbidden">
        <View className="state__icon">!</View>
        <Text className="state__text">{me.status === 'pending' ? '你的分销商申请正在审核中' : '你还不是分销商'}</Text>
        <View className="btn btn--primary btn--sm" onClick={() => Taro.switchTab({ url: '/pages/mine/index' })}>去「我的」免费加入</View>
      </View>
    );
  }
  return <>{children(me)}</>;
}

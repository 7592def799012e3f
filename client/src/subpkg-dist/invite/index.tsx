import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { useShareAppMessage } from '@tarojs/taro';
import { distShare, type DistMe, type ShareInfo } from '../../services/distribution';
import { errorMessage } from '../../services/cloud';
import { sharePathFor, shareLink } from '../../services/scene';
import StateView from '../../components/StateView';
import { toast } from '../../utils/ui';
import DistGate from '../Gate';
import '../dist.css';


function Invite({ me }: { me: DistMe }) {
  const [info, setInfo] = useState<ShareInfo | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setError('');
    try { setInfo(await distShare()); } catch (e) { setError(errorMessage(e)); }
  }, []);
  useEffect(() => { void load(); }, [load]);
  const path = info?.path || sharePathFor(me.code);
  useShareAppMessage(() => ({ title: '我在这里发现了好物，邀你一起逛', path }));
  const copy = (data: string, msg: string) => Taro.setClipboardData({ data }).then(() => toast(msg, 'success')).catch(() => toast('复制失败'));
  return (
    <View className="page">
      <View className="card">
        <Text className="muted">我的邀请码</Text>
        <View className="dc__codebox" data-testid="invite-code">{me.code}</View>
        <View className="btn btn--outline btn--block" data-testid="invite-copy-code" onClick={() => copy(me.code, '邀请码已复制')}>复制邀请码</View>
      </View>
      <View className="card">
        <Text className="title">我的分享链接</Text>
        <StateView loading={!info && !error} error={error} onRetry={load}>
          <View className="dc__path" data-testid="invite-link">{shareLink(path)}</View>
          <View className="dc__actions">
            <View className="btn btn--warn" data-testid="invite-copy-link" onClick={() => copy(shareLink(path), '链接已复制')}>复制链接</View>
            {process.env.TARO_ENV === 'weapp' && <Button className="btn btn--primary" openType="share">分享给好友</Button>}
            <View className="btn btn--primary" onClick={() => Taro.navigateTo({ url: '/subpkg-dist/poster/index' })}>生成海报</View>
          </View>
        </StateView>
      </View>
      <View className="card"><Text className="muted">好友通过你的链接、小程序码或填写你的邀请码进入商城，即成为你的客户；好友用邀请码申请成为分销商，即加入你的团队。</Text></View>
    </View>
  );
}

export default function DistInvite() { return <DistGate>{(me) => <Invite me={me} />}</DistGate>; }

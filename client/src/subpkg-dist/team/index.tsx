import { View, Text, Image } from '@tarojs/components';
import { distTeam, DIST_STATUS_TEXT } from '../../services/distribution';
import StateView from '../../components/StateView';
import { useList } from '../../components/useList';
import { formatTime } from '../../utils/format';
import DistGate from '../Gate';
import '../dist.css';

function Team() {
  const { items, loading, error, reload } = useList((p) => distTeam(p));
  return (
    <View className="page">
      <View className="card"><Text className="muted">我的团队只显示你直接邀请加入的分销商。</Text></View>
      <StateView loading={loading} error={error} empty={!items.length} emptyText="还没有团队成员，邀请好友用你的邀请码加入吧" onRetry={reload}>
        {items.map((m) => (
          <View key={m.openid} className="card dc__row" data-testid="dist-team-member">
            {m.avatar ? <Image className="dc__avatar" src={m.avatar} /> : <Text className="dc__avatar">{m.nickname.slice(0, 1)}</Text>}
            <View className="dc__row-body">
              <View className="between"><Text>{m.nickname}</Text><Text className="dc__tag">{m.level || '普通'}</Text></View>
              <Text className="muted">加入于 {formatTime(m.joinedAt)} · {DIST_STATUS_TEXT[m.status] ?? m.status}</Text>
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function DistTeam() { return <DistGate>{() => <Team />}</DistGate>; }

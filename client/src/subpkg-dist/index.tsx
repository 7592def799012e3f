import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { useDist } from '../stores/dist';
import { useUser } from '../stores/user';
import { DIST_STATUS_TEXT, type DistMe } from '../services/distribution';
import Price from '../components/Price';
import { formatFen } from '../utils/money';
import DistGate from './Gate';
import './dist.css';

const LINKS = [
  { key: 'orders', label: '推广订单', glyph: '单' },
  { key: 'buyers', label: '我的客户', glyph: '客' },
  { key: 'team', label: '我的团队', glyph: '队' },
  { key: 'commissions', label: '佣金明细', glyph: '佣' },
  { key: 'ranking', label: '排行榜', glyph: '榜' },
  { key: 'withdraw', label: '提现', glyph: '提' },
  { key: 'poster', label: '推广海报', glyph: '图' },
  { key: 'invite', label: '我的邀请码', glyph: '码' },
];

function Centre({ me }: { me: DistMe }) {
  const nickname = useUser((s) => s.nickname);
  const go = (p: string) => Taro.navigateTo({ url: `/subpkg-dist/${p}/index` });
  const b = me.balances;
  const cells = [
    { key: 'pending', label: '待结算', fen: b.pending },
    { key: 'frozen', label: '冻结', fen: b.frozen },
    { key: 'settleable', label: '可结算', fen: b.settleable },
    { key: 'settled', label: '已结算', fen: b.settled },
    { key: 'withdrawn', label: '已提现', fen: b.withdrawn },
    { key: 'available', label: '可提现', fen: b.available },
  ];
  return (
    <View className="page" data-testid="dist-centre">
      <View className="dc__head">
        <View className="dc__who">
          <View>
            <Text className="dc__name">{nickname || '分销商'}</Text>
            <Text className="dc__badge" data-testid="dist-level">{me.level?.name || '普通'}</Text>
          </View>
          {me.status !== 'active' && <Text className="dc__badge">{DIST_STATUS_TEXT[me.status] ?? me.status}</Text>}
        </View>
        <Text className="dc__code" data-testid="dist-code">邀请码：{me.code}</Text>
        <View className="dc__avail">
          <View>
            <Text className="dc__avail-label">可提现（元）</Text>
            <View><Price fen={b.available} size="lg" color="dark" /></View>
          </View>
          <View className="btn btn--sm dc__avail-btn" data-testid="dist-go-withdraw" onClick={() => go('withdraw')}>去提现</View>
        </View>
      </View>

      <View className="card dc__balances" data-testid="dist-balances">
        {cells.map((c) => (
          <View key={c.key} className="dc__bal" data-testid={`dist-bal-${c.key}`} data-fen={c.fen}
            onClick={() => c.key !== 'available' && c.key !== 'withdrawn' && Taro.navigateTo({ url: `/subpkg-dist/commissions/index?state=${c.key}` })}>
            <Price fen={c.fen} size="md" color={c.fen < 0 ? 'gray' : 'red'} />
            <Text className="dc__bal-label">{c.label}</Text>
          </View>
        ))}
      </View>

      <View className="card" data-testid="dist-progress">
        <View className="between">
          <Text className="title">等级：{me.level?.name || '普通'}</Text>
          <Text className="muted">{me.nextLevel ? `下一级：${me.nextLevel.name}` : '已是最高等级'}</Text>
        </View>
        {me.nextLevel && me.progress.map((p) => {
          const pct = p.target > 0 ? Math.min(100, Math.floor((p.current * 100) / p.target)) : 100;
          return (
            <View key={p.label} className="dc__progress">
              <View className="between">
                <Text className="muted">{p.label}{me.periodDays ? `（近 ${me.periodDays} 天）` : ''}</Text>
                <Text className="muted">{p.money ? `¥${formatFen(p.current)} / ¥${formatFen(p.target)}` : `${p.current} / ${p.target}`}</Text>
              </View>
              <View className="dc__bar"><View className="dc__bar-fill" style={{ width: `${pct}%` }} /></View>
            </View>
          );
        })}
        {me.stats && (
          <View className="between dc__progress" data-testid="dist-stats">
            <Text className="muted">近期推广净销售额 ¥{formatFen(me.stats.netSalesFen)}</Text>
            <Text className="muted">已完成订单 {me.stats.completedOrders} 单</Text>
          </View>
        )}
        {me.nextLevel && !me.progress.length && <Text className="muted">升级条件以商家设置为准（按本人净销售额和完成订单数，不看拉人头）</Text>}
      </View>

      <View className="card dc__links">
        {LINKS.map((l) => (
          <View key={l.key} className="dc__link" data-testid={`dist-link-${l.key}`} onClick={() => go(l.key)}>
            <Text className="dc__glyph">{l.glyph}</Text>
            <Text>{l.label}</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="muted">佣金说明：好友下单付款后佣金为「待结算」；确认收货后进入「冻结」，售后期结束后变为「可结算」，按商家结算周期结算后即可提现。发生退款时佣金按比例扣回。</Text>
      </View>
    </View>
  );
}

export default function DistIndex() {
  useDidShow(() => { void useDist.getState().load(useUser.getState().openid); });
  return <DistGate>{(me) => <Centre me={me} />}</DistGate>;
}

import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { distRanking, type RankRow } from '../../services/distribution';
import { errorMessage } from '../../services/cloud';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import DistGate from '../Gate';
import '../dist.css';

function Ranking() {
  const [rows, setRows] = useState<RankRow[]>([]);
  const [mine, setMine] = useState<RankRow | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setLoading(true); setError('');
    try { const r = await distRanking(); setRows(r.items); setMine(r.mine); } catch (e) { setError(errorMessage(e)); } finally { setLoading(false); }
  }, []);
  useEffect(() => { void load(); }, [load]);
  return (
    <View className="page">
      {mine && (
        <View className="card dc__row dc__me" data-testid="dist-rank-mine">
          <Text className="dc__rank dc__rank--top">{mine.rank}</Text>
          <View className="dc__row-body"><Text>我的排名</Text></View>
          <Price fen={mine.amountFen} />
        </View>
      )}
      <StateView loading={loading} error={error} empty={!rows.length} emptyText="暂无排行数据" onRetry={load}>
        <View className="card">
          {rows.map((r) => (
            <View key={r.openid + r.rank} className={`dc__row kv ${r.me ? 'dc__me' : ''}`} data-testid="dist-rank-row">
              <Text className={`dc__rank ${r.rank <= 3 ? 'dc__rank--top' : ''}`}>{r.rank}</Text>
              <View className="dc__row-body"><Text>{r.nickname}{r.me ? '（我）' : ''}</Text></View>
              <Price fen={r.amountFen} size="sm" />
            </View>
          ))}
        </View>
      </StateView>
    </View>
  );
}

export default function DistRanking() { return <DistGate>{() => <Ranking />}</DistGate>; }

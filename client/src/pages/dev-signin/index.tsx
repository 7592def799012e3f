import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { devPost, errorMessage } from '../../services/cloud';
import { useUser } from '../../stores/user';
import StateView from '../../components/StateView';
import { toast, toastError } from '../../utils/ui';

interface Person { openid: string; label?: string; nickname?: string; name?: string; roles?: string[] }

/** h5 only (not registered in the weapp build): switch the local cloud identity cookie. */
export default function DevSignin() {
  const [people, setPeople] = useState<Person[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const current = useUser((s) => s.openid);

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      const r = await devPost<unknown>('/__dev/people');
      const o = r as { people?: Person[]; items?: Person[] };
      setPeople(Array.isArray(r) ? (r as Person[]) : o.people ?? o.items ?? []);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const signin = async (p: Person) => {
    try {
      await devPost('/__dev/signin', { openid: p.openid });
      await useUser.getState().login();
      toast(`已切换为 ${p.label ?? p.nickname ?? p.name ?? p.openid}`, 'success');
      void Taro.switchTab({ url: '/pages/mine/index' });
    } catch (e) {
      toastError(e);
    }
  };

  return (
    <View className="page">
      <View className="card muted">本页仅在本地 H5 演示中存在，用于切换到预置的买家或商家身份。</View>
      <StateView loading={loading} error={error} empty={!people.length} emptyText="没有预置身份" onRetry={load}>
        {people.map((p) => (
          <View key={p.openid} className="card between" data-testid="dev-person" data-openid={p.openid} onClick={() => signin(p)}>
            <View>
              <Text className="title">{p.label ?? p.nickname ?? p.name ?? p.openid}</Text>
              <Text className="muted" style={{ display: 'block' }}>{p.openid}{p.roles?.length ? ` · ${p.roles.join(',')}` : ''}</Text>
            </View>
            <Text className={p.openid === current ? 'red' : 'muted'}>{p.openid === current ? '当前' : '切换'}</Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}

import { useEffect, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import {
  adminListDistributors, adminDistributorAction, adminSetLevel, adminMoveBinding, adminGetDistSettings, DIST_STATUS_TEXT,
  type AdminDistributor,
} from '../../services/distribution';
import StateView from '../../components/StateView';
import { useList } from '../../components/useList';
import { formatTime } from '../../utils/format';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import Gate from '../Gate';
import ReasonPopup from '../ReasonPopup';
import '../admin.css';

const TABS = [
  { key: '', label: '全部' }, { key: 'pending', label: '待审核' }, { key: 'active', label: '正常' },
  { key: 'frozen', label: '已冻结' }, { key: 'rejected', label: '已拒绝' },
];

type Pending = { kind: 'reject' | 'freeze' | 'level'; d: AdminDistributor } | { kind: 'move' } | null;

function List() {
  const [status, setStatus] = useState('');
  const [keyword, setKeyword] = useState('');
  const [kw, setKw] = useState('');
  const { items, loading, error, reload } = useList((page) => adminListDistributors({ status: status || undefined, keyword: kw || undefined, page }), [status, kw]);
  const [pending, setPending] = useState<Pending>(null);
  const [levels, setLevels] = useState<{ id: string; name: string }[]>([]);
  const [levelId, setLevelId] = useState('');
  const [buyer, setBuyer] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => { adminGetDistSettings().then((s) => setLevels(s.levels ?? [])).catch(() => undefined); }, []);

  const act = async (fn: () => Promise<unknown>, msg: string) => {
    try { await fn(); toast(msg, 'success'); setPending(null); void reload(true); } catch (e) { toastError(e); }
  };
  const approve = async (d: AdminDistributor) => {
    if (await confirmDialog('通过申请', `通过 ${d.nickname} 的分销商申请？`, '通过')) await act(() => adminDistributorAction('approve', d.openid), '已通过');
  };
  const unfreeze = async (d: AdminDistributor) => {
    if (await confirmDialog('解除冻结', `恢复 ${d.nickname} 的分销资格？`, '解冻')) await act(() => adminDistributorAction('unfreeze', d.openid), '已解冻');
  };

  return (
    <View className="page">
      <View className="adm__search">
        <Input className="adm__search-input" value={keyword} placeholder="昵称 / 邀请码" onInput={(e) => setKeyword(e.detail.value)} onConfirm={() => setKw(keyword.trim())} />
        <View className="btn btn--sm btn--primary" onClick={() => setKw(keyword.trim())}>搜索</View>
      </View>
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${status === t.key ? 'tabs__item--on' : ''}`} data-testid={`admin-dist-tab-${t.key || 'all'}`} onClick={() => setStatus(t.key)}>{t.label}</View>
        ))}
      </View>
      <View className="card between">
        <Text className="muted">调整客户归属需填写原因，并记录在绑定变更记录中</Text>
        <View className="btn btn--sm btn--outline adm__nowrap" data-testid="admin-binding-move" onClick={() => { setBuyer(''); setTo(''); setPending({ kind: 'move' }); }}>调整绑定</View>
      </View>
      <StateView loading={loading} error={error} empty={!items.length} emptyText="暂无分销商" onRetry={reload}>
        {items.map((d) => (
          <View key={d.openid} className="card" data-testid="admin-distributor" data-openid={d.openid} data-status={d.status}>
            <View className="between"><Text className="title">{d.nickname}</Text><Text className="red">{DIST_STATUS_TEXT[d.status] ?? d.status}</Text></View>
            <View className="kv"><Text className="kv__k">邀请码</Text><Text>{d.code}</Text></View>
            <View className="kv"><Text className="kv__k">等级</Text><Text>{levels.find((l) => l.id === d.levelId)?.name ?? d.levelName}</Text></View>
            <View className="kv"><Text className="kv__k">加入时间</Text><Text>{formatTime(d.joinedAt)}</Text></View>
            {d.frozenReason && <View className="kv"><Text className="kv__k">冻结原因</Text><Text>{d.frozenReason}</Text></View>}
            <View className="adm__actions">
              {d.status === 'pending' && <View className="btn btn--sm btn--primary" data-testid="admin-dist-approve" onClick={() => approve(d)}>通过</View>}
              {d.status === 'pending' && <View className="btn btn--sm" data-testid="admin-dist-reject" onClick={() => setPending({ kind: 'reject', d })}>拒绝</View>}
              {d.status === 'active' && <View className="btn btn--sm" data-testid="admin-dist-freeze" onClick={() => setPending({ kind: 'freeze', d })}>冻结</View>}
              {d.status === 'frozen' && <View className="btn btn--sm btn--outline" data-testid="admin-dist-unfreeze" onClick={() => unfreeze(d)}>解冻</View>}
              {(d.status === 'active' || d.status === 'frozen') && <View className="btn btn--sm btn--outline" data-testid="admin-dist-level" onClick={() => { setLevelId(d.levelId); setPending({ kind: 'level', d }); }}>调整等级</View>}
            </View>
          </View>
        ))}
      </StateView>

      <ReasonPopup visible={pending?.kind === 'reject'} title="拒绝申请" onClose={() => setPending(null)} confirmText="拒绝"
        onSubmit={(r) => pending && 'd' in pending ? act(() => adminDistributorAction('reject', pending.d.openid, r), '已拒绝') : undefined} />
      <ReasonPopup visible={pending?.kind === 'freeze'} title="冻结分销商" hint="冻结期间不再产生新佣金" onClose={() => setPending(null)} confirmText="冻结"
        onSubmit={(r) => pending && 'd' in pending ? act(() => adminDistributorAction('freeze', pending.d.openid, r), '已冻结') : undefined} />
      <ReasonPopup visible={pending?.kind === 'level'} title="调整等级" onClose={() => setPending(null)} confirmText="保存"
        onSubmit={(r) => {
          if (!(pending && 'd' in pending)) return;
          if (!levelId) { toast('请选择等级'); return; }
          return act(() => adminSetLevel(pending.d.openid, levelId, r), '等级已调整');
        }}>
        <View className="adm__chips" style={{ marginTop: '16px' }} data-testid="admin-level-options">
          {levels.map((l) => <Text key={l.id} className={`chip ${levelId === l.id ? 'chip--on' : ''}`} onClick={() => setLevelId(l.id)}>{l.name}</Text>)}
        </View>
      </ReasonPopup>
      <ReasonPopup visible={pending?.kind === 'move'} title="调整客户绑定" hint="把客户改绑到另一位分销商" onClose={() => setPending(null)} confirmText="确认调整"
        onSubmit={(r) => {
          if (!buyer.trim()) { toast('请填写客户 ID'); return; }
          if (!to.trim()) { toast('请填写新分销商 ID'); return; }
          return act(() => adminMoveBinding(buyer.trim(), to.trim(), r), '绑定已调整');
        }}>
        <Input className="adm__input" value={buyer} placeholder="客户 ID（openid）" onInput={(e) => setBuyer(e.detail.value)} />
        <Input className="adm__input" value={to} placeholder="新分销商 ID（openid）" onInput={(e) => setTo(e.detail.value)} />
      </ReasonPopup>
    </View>
  );
}

export default function AdminDistributors() { return <Gate><List /></Gate>; }

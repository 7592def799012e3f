import { useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { adminListWithdrawals, adminWithdrawalAction, WITHDRAW_STATUS_TEXT, type Withdrawal } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { formatFen } from '../../utils/money';
import { formatTime } from '../../utils/format';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import Gate from '../Gate';
import ReasonPopup from '../ReasonPopup';
import '../admin.css';

const TABS = [
  { key: 'pending_review', label: '待审核' }, { key: '', label: '全部' }, { key: 'paid', label: '已到账' },
  { key: 'rejected', label: '已拒绝' }, { key: 'failed', label: '失败' },
];

function List() {
  const [status, setStatus] = useState('pending_review');
  const { items, loading, error, reload } = useList((page) => adminListWithdrawals({ status: status || undefined, page }), [status]);
  const [rejecting, setRejecting] = useState<Withdrawal | null>(null);
  useDidShow(() => { void reload(true); });

  const approve = async (w: Withdrawal) => {
    const ok = await confirmDialog('同意提现', `向 ${w.nickname || w.openid} 打款 ¥${formatFen(w.amountFen)}（微信商家转账）`, '同意并打款');
    if (!ok) return;
    try { await adminWithdrawalAction('approve', w._id); toast('已同意，正在打款', 'success'); void reload(true); } catch (e) { toastError(e); }
  };
  const reject = async (reason: string) => {
    if (!rejecting) return;
    try { await adminWithdrawalAction('reject', rejecting._id, reason); setRejecting(null); toast('已拒绝，金额退回分销商余额', 'success'); void reload(true); } catch (e) { toastError(e); }
  };

  return (
    <View className="page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tabs__item ${status === t.key ? 'tabs__item--on' : ''}`} data-testid={`admin-wd-tab-${t.key || 'all'}`} onClick={() => setStatus(t.key)}>{t.label}</View>
        ))}
      </View>
      <StateView loading={loading} error={error} empty={!items.length} emptyText="暂无提现申请" onRetry={reload}>
        {items.map((w) => (
          <View key={w._id} className="card" data-testid="admin-withdrawal" data-id={w._id} data-status={w.status}>
            <View className="between"><Text className="title">{w.nickname || w.openid}</Text><Text className="red">{WITHDRAW_STATUS_TEXT[w.status] ?? w.status}</Text></View>
            <View className="kv"><Text className="kv__k">提现金额</Text><Price fen={w.amountFen} /></View>
            <Text className="muted">{formatTime(w.createdAt)} · 单号 {w._id}</Text>
            {w.reason && <Text className="muted" style={{ display: 'block' }}>原因：{w.reason}</Text>}
            {w.status === 'pending_review' && (
              <View className="adm__actions">
                <View className="btn btn--sm" data-testid="admin-wd-reject" onClick={() => setRejecting(w)}>拒绝</View>
                <View className="btn btn--sm btn--primary" data-testid="admin-wd-approve" onClick={() => approve(w)}>同意 ¥{formatFen(w.amountFen)}</View>
              </View>
            )}
          </View>
        ))}
      </StateView>
      <ReasonPopup visible={!!rejecting} title="拒绝提现" hint={rejecting ? `金额 ¥${formatFen(rejecting.amountFen)} 将退回分销商余额` : ''} confirmText="拒绝" onClose={() => setRejecting(null)} onSubmit={reject} />
    </View>
  );
}

export default function AdminWithdrawals() { return <Gate><List /></Gate>; }

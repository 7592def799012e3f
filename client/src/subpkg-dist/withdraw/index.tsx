import { useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { parseYuan } from '@core/money';
import { distWithdraw, distWithdrawals, WITHDRAW_STATUS_TEXT, type DistMe } from '../../services/distribution';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { useList } from '../../components/useList';
import { useDist } from '../../stores/dist';
import { useUser } from '../../stores/user';
import { formatFen } from '../../utils/money';
import { formatTime, newRequestId } from '../../utils/format';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import DistGate from '../Gate';
import '../dist.css';

function Withdraw({ me }: { me: DistMe }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  // One request id per visit (and per completed withdrawal): double taps and retries are the same request.
  const requestId = useRef(newRequestId());
  const records = useList((p) => distWithdrawals(p));
  useDidShow(() => { void useDist.getState().load(useUser.getState().openid); void records.reload(true); });

  const available = me.balances.available;
  const w = me.withdrawal;
  const submit = async () => {
    if (busy) return;
    const r = parseYuan(text, '提现金额');
    if (!r.ok) { toast(r.message); return; }
    const fen = r.data;
    if (fen <= 0) { toast('请输入提现金额'); return; }
    if (fen > available) { toast(`最多可提现 ¥${formatFen(Math.max(0, available))}`); return; }
    if (w && w.minFen > 0 && fen < w.minFen) { toast(`单笔最低提现 ¥${formatFen(w.minFen)}`); return; }
    const ok = await confirmDialog('确认提现', `提现金额 ¥${formatFen(fen)}，将通过微信商家转账打款到你的微信零钱。`, '确认提现');
    if (!ok) return;
    setBusy(true);
    try {
      const res = await distWithdraw(requestId.current, fen);
      requestId.current = newRequestId();
      setText('');
      toast(res.status === 'pending_review' ? '已提交，等待商家审核' : '提现申请已提交', 'success');
      void useDist.getState().load(useUser.getState().openid);
      void records.reload(true);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <View className="card" data-testid="withdraw-form">
        <View className="between">
          <Text className="muted">可提现余额</Text>
          <View data-testid="withdraw-available" data-fen={available}><Price fen={available} /></View>
        </View>
        <View className="row" style={{ marginTop: '24px', borderBottom: '1px solid #f0f0f0' }}>
          <Text style={{ fontSize: '48px', fontWeight: 600, marginRight: '12px' }}>¥</Text>
          <Input className="dc__amount-input" type="digit" value={text} placeholder="0.00" data-testid="withdraw-amount"
            onInput={(e) => setText(e.detail.value)} />
          <Text className="red" data-testid="withdraw-all" onClick={() => setText(available > 0 ? formatFen(available) : '')}>全部提现</Text>
        </View>
        <View style={{ marginTop: '16px' }}>
          {w && w.minFen > 0 && <Text className="muted" style={{ display: 'block' }}>单笔最低 ¥{formatFen(w.minFen)}</Text>}
          {w && w.dailyLimitFen > 0 && <Text className="muted" style={{ display: 'block' }}>每日限额 ¥{formatFen(w.dailyLimitFen)}</Text>}
          {w && w.autoApproveBelowFen > 0 && <Text className="muted" style={{ display: 'block' }}>¥{formatFen(w.autoApproveBelowFen)} 以下自动审核，以上需商家审核</Text>}
          {available < 0 && <Text className="red" style={{ display: 'block' }}>因退款追回，余额为负，需待新的佣金结算后才能提现</Text>}
          <Text className="muted" style={{ display: 'block' }}>只有「已结算」的佣金可以提现。</Text>
        </View>
        <View className={`btn btn--primary btn--block ${busy || available <= 0 ? 'btn--disabled' : ''}`} style={{ marginTop: '24px' }}
          data-testid="withdraw-submit" onClick={submit}>{busy ? '提交中…' : '申请提现'}</View>
      </View>

      <View className="card"><Text className="title">提现记录</Text></View>
      <StateView loading={records.loading} error={records.error} empty={!records.items.length} emptyText="暂无提现记录" onRetry={records.reload}>
        {records.items.map((r) => (
          <View key={r._id} className="card" data-testid="withdrawal-record" data-id={r._id} data-status={r.status}>
            <View className="between"><Price fen={r.amountFen} /><Text className={r.status === 'paid' ? 'dc__tag dc__tag--green' : r.status === 'rejected' || r.status === 'failed' ? 'dc__tag dc__tag--gray' : 'dc__tag'} data-testid="withdrawal-status">{WITHDRAW_STATUS_TEXT[r.status] ?? r.status}</Text></View>
            <Text className="muted">{formatTime(r.createdAt)} · 单号 {r._id}</Text>
            {r.reason && <Text className="muted" style={{ display: 'block' }}>原因：{r.reason}</Text>}
          </View>
        ))}
      </StateView>
    </View>
  );
}

export default function DistWithdraw() { return <DistGate>{(me) => <Withdraw me={me} />}</DistGate>; }

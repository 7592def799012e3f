import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Textarea } from '@tarojs/components';
import { adminApproveAfterSale, adminFetchAfterSale, adminReceiveReturn, adminRejectAfterSale } from '../../services/api';
import type { AfterSale } from '../../services/types';
import StateView from '../../components/StateView';
import AfterSaleView from '../../components/AfterSaleView';
import '../../components/OrderView.css';
import { formatFen } from '../../utils/money';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import Gate from '../Gate';
import '../admin.css';
import { useLoader } from '../../components/useLoader';

const OPEN = ['pending'];
const AWAITING_GOODS = ['awaiting_return'];

function Detail() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const { data: a, loading, error, load } = useLoader<AfterSale>(() => adminFetchAfterSale(id), [id]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      toast(done, 'success');
      setRejecting(false);
      await load(true);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    if (!a) return;
    const what = a.type === 'return_refund' ? '同意退货，收到退货后退款' : '同意并立即退款';
    if (await confirmDialog('同意售后', `${what} ¥${formatFen(a.refundFen)}`, '同意')) await act(() => adminApproveAfterSale(id), '已同意');
  };
  const reject = async () => {
    if (!reason.trim()) { toast('请填写拒绝原因'); return; }
    if (await confirmDialog('拒绝售后', `拒绝原因：${reason.trim()}`, '拒绝')) await act(() => adminRejectAfterSale(id, reason.trim()), '已拒绝');
  };
  const receive = async () => {
    if (!a) return;
    if (await confirmDialog('确认收到退货', `确认后将退款 ¥${formatFen(a.refundFen)}`, '确认收货')) await act(() => adminReceiveReturn(id), '已确认收货');
  };

  const open = !!a && OPEN.includes(a.status);
  const canReceive = !!a && a.type === 'return_refund' && AWAITING_GOODS.includes(a.status);

  return (
    <View className="page">
      <StateView loading={loading} error={error} onRetry={() => load()}>
        {a && <AfterSaleView a={a} />}
        {open && rejecting && (
          <View className="card" data-testid="reject-form">
            <View className="title">拒绝原因（必填）</View>
            <Textarea className="textarea" style={{ marginTop: '16px' }} value={reason} maxlength={200} placeholder="请填写拒绝原因，买家可见" onInput={(e) => setReason(e.detail.value)} />
          </View>
        )}
      </StateView>
      {(open || canReceive) && (
        <View className="bottom-bar" style={{ justifyContent: 'flex-end' }}>
          {open && !rejecting && (
            <>
              <View className="btn" style={{ marginRight: '16px' }} data-testid="aftersale-reject" onClick={() => setRejecting(true)}>拒绝</View>
              <View className={`btn btn--primary ${busy ? 'btn--disabled' : ''}`} data-testid="aftersale-approve" onClick={approve}>同意</View>
            </>
          )}
          {open && rejecting && (
            <>
              <View className="btn" style={{ marginRight: '16px' }} onClick={() => setRejecting(false)}>返回</View>
              <View className={`btn btn--primary ${busy ? 'btn--disabled' : ''}`} data-testid="aftersale-reject-submit" onClick={reject}>确认拒绝</View>
            </>
          )}
          {canReceive && (
            <View className={`btn btn--primary ${busy ? 'btn--disabled' : ''}`} data-testid="aftersale-receive" onClick={receive}>确认收到退货</View>
          )}
        </View>
      )}
    </View>
  );
}

export default function AdminAfterSaleDetail() {
  return <Gate><Detail /></Gate>;
}

import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { cancelAfterSale, fetchAfterSale, submitReturnShipping } from '../../services/api';
import type { AfterSale } from '../../services/types';
import StateView from '../../components/StateView';
import AfterSaleView from '../../components/AfterSaleView';
import '../../components/OrderView.css';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import { useLoader } from '../../components/useLoader';

const WAITING_RETURN = ['awaiting_return'];

export default function AfterSaleDetail() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [busy, setBusy] = useState(false);

  const { data: a, loading, error, load } = useLoader<AfterSale>(() => fetchAfterSale(id), [id]);

  const needReturn = !!a && a.type === 'return_refund' && !a.trackingNo && WAITING_RETURN.includes(a.status);
  const cancellable = !!a && (a.status === 'pending' || a.status === 'awaiting_return');

  const sendReturn = async () => {
    if (!carrier.trim() || !trackingNo.trim()) { toast('请填写物流公司和运单号'); return; }
    setBusy(true);
    try {
      await submitReturnShipping(id, carrier.trim(), trackingNo.trim());
      toast('已提交退货物流', 'success');
      await load(true);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!(await confirmDialog('撤销申请', '确定撤销该售后申请吗？', '撤销'))) return;
    try {
      await cancelAfterSale(id);
      toast('已撤销', 'success');
    } catch (e) {
      toastError(e);
    }
    await load(true);
  };

  return (
    <View className="page">
      <StateView loading={loading} error={error} onRetry={() => load()}>
        {a && <AfterSaleView a={a} />}
        {needReturn && (
          <View className="card" data-testid="return-shipping-form">
            <View className="title">填写退货物流</View>
            <View className="field"><Text className="field__label">物流公司</Text><Input className="field__input" value={carrier} placeholder="如 顺丰速运" onInput={(e) => setCarrier(e.detail.value)} /></View>
            <View className="field"><Text className="field__label">运单号</Text><Input className="field__input" value={trackingNo} placeholder="请输入运单号" onInput={(e) => setTrackingNo(e.detail.value)} /></View>
            <View className={`btn btn--primary btn--block ${busy ? 'btn--disabled' : ''}`} style={{ marginTop: '24px' }} data-testid="return-shipping-submit" onClick={sendReturn}>提交退货物流</View>
          </View>
        )}
      </StateView>
      {cancellable && (
        <View className="bottom-bar" style={{ justifyContent: 'flex-end' }}>
          <View className="btn" data-testid="aftersale-cancel" onClick={cancel}>撤销申请</View>
        </View>
      )}
    </View>
  );
}

import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { adminFetchOrder, adminShipOrder } from '../../services/api';
import type { Order } from '../../services/types';
import StateView from '../../components/StateView';
import OrderView from '../../components/OrderView';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import Gate from '../Gate';
import '../admin.css';
import { useLoader } from '../../components/useLoader';

const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', 'EMS'];

function Detail() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [busy, setBusy] = useState(false);

  const { data: order, loading, error, load } = useLoader<Order>(() => adminFetchOrder(id), [id]);

  const ship = async () => {
    if (!order || busy) return;
    if (!carrier) { toast('请选择物流公司'); return; }
    if (!/^[A-Za-z0-9-]{6,32}$/.test(trackingNo.trim())) { toast('请填写正确的运单号'); return; }
    if (!(await confirmDialog('确认发货', `${carrier} ${trackingNo.trim()}\n收货人：${order.address?.name ?? ''}`, '确认发货'))) return;
    setBusy(true);
    try {
      await adminShipOrder(order._id, carrier, trackingNo.trim());
      toast('已发货', 'success');
      await load(true);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <StateView loading={loading} error={error} onRetry={() => load()}>
        {order && <OrderView order={order} />}
        {order?.status === 'pending_shipment' && (
          <View className="card" data-testid="ship-form">
            <View className="title">发货</View>
            <View className="adm__carriers">
              {CARRIERS.map((c) => (
                <Text key={c} className={`chip ${carrier === c ? 'chip--on' : ''}`} data-testid="ship-carrier" onClick={() => setCarrier(c)}>{c}</Text>
              ))}
            </View>
            <View className="field"><Text className="field__label">运单号</Text>
              <Input className="field__input" id="ship-tracking" data-testid="ship-tracking" value={trackingNo} placeholder="请输入运单号" onInput={(e) => setTrackingNo(e.detail.value)} />
            </View>
            <View className={`btn btn--primary btn--block ${busy ? 'btn--disabled' : ''}`} style={{ marginTop: '24px' }} data-testid="ship-submit" onClick={ship}>确认发货</View>
          </View>
        )}
      </StateView>
    </View>
  );
}

export default function AdminOrderDetail() {
  return <Gate><Detail /></Gate>;
}

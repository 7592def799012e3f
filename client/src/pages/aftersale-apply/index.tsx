import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Image, Textarea } from '@tarojs/components';
import { Checkbox, InputNumber } from '@nutui/nutui-react-taro';
import { computeRefund } from '@core/after-sale';
import { applyAfterSale, fetchOrder } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Order } from '../../services/types';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { formatFen } from '../../utils/money';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import './index.css';

const REASONS = ['不想要了', '商品质量问题', '商品与描述不符', '发错货/漏发', '其他'];

export default function AfterSaleApply() {
  const { params } = useRouter();
  const orderId = decodeURIComponent(params.orderId ?? '');
  const [order, setOrder] = useState<Order | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [type, setType] = useState<'refund' | 'return_refund'>('refund');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      const o = await fetchOrder(orderId);
      setOrder(o);
      if (o.status === 'pending_shipment') setType('refund');
      const first = o.lines.find((l) => l.qty - (l.refundedQty ?? 0) > 0);
      if (o.lines.length === 1 && first) setChosen({ [first.lineId]: first.qty - (first.refundedQty ?? 0) });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [orderId]);
  useEffect(() => { void load(); }, [load]);

  const items = Object.entries(chosen).filter(([, q]) => q > 0).map(([lineId, qty]) => ({ lineId, qty }));
  // Preview with the same core rule the server applies (core/after-sale computeRefund); the amount that
  // counts is the one afterSale.apply returns, shown on the next page.
  const preview = order
    ? items.reduce((n, it) => {
        const l = order.lines.find((x) => x.lineId === it.lineId);
        if (!l) return n;
        const r = computeRefund({ payable: l.payable, qty: l.qty, refundedQty: l.refundedQty ?? 0, refundedFen: l.refundedFen ?? 0 }, it.qty);
        return n + (r.ok ? r.data.refundFen : 0);
      }, 0)
    : 0;

  const toggleLine = (lineId: string, max: number) =>
    setChosen((c) => (c[lineId] ? { ...c, [lineId]: 0 } : { ...c, [lineId]: max }));

  const submit = async () => {
    if (submitting || !order) return;
    if (!items.length) { toast('请选择售后商品'); return; }
    if (!reason) { toast('请选择售后原因'); return; }
    const amount = `预计退款 ¥${formatFen(preview)}（以提交结果为准）`;
    if (!(await confirmDialog('提交售后申请', `${type === 'refund' ? '仅退款' : '退货退款'}，${amount}`, '提交'))) return;
    setSubmitting(true);
    try {
      const a = await applyAfterSale({ orderId, type, items, reason: note.trim() ? `${reason}：${note.trim()}` : reason });
      toast(`已提交，退款 ¥${formatFen(a.refundFen ?? 0)}`);
      void Taro.redirectTo({ url: `/pages/aftersale-detail/index?id=${a._id}` });
    } catch (e) {
      toastError(e);
      setSubmitting(false);
    }
  };

  return (
    <View className="page asa">
      <StateView loading={loading} error={error} onRetry={load}>
        {order && (
          <>
            <View className="card">
              <View className="title">选择商品</View>
              {order.lines.map((l) => {
                const max = l.qty - (l.refundedQty ?? 0);
                const on = (chosen[l.lineId] ?? 0) > 0;
                return (
                  <View key={l.lineId} className="asa__line" data-testid="aftersale-line">
                    <View onClick={() => max > 0 && toggleLine(l.lineId, max)} className="asa__check">
                      <Checkbox checked={on} disabled={max <= 0} />
                    </View>
                    <Image className="line-item__img" src={l.image} mode="aspectFill" />
                    <View className="line-item__body">
                      <Text className="line-item__title">{l.title}</Text>
                      <Text className="line-item__spec">{l.specText} · 实付 ¥{formatFen(l.payable)}</Text>
                      {max <= 0 ? <Text className="muted">已全部退款</Text> : (
                        <View className="between">
                          <Text className="muted">可退 {max} 件</Text>
                          {on && (
                            <InputNumber value={chosen[l.lineId]} min={1} max={max}
                              onChange={(v: string | number) => setChosen((c) => ({ ...c, [l.lineId]: Math.max(1, Math.min(max, Number(v) || 1)) }))} />
                          )}
                        </View>
                      )}
                    </View>
                  </View>
                );
              })}
            </View>
            <View className="card">
              <View className="title">售后类型</View>
              <View className="asa__chips">
                <Text className={`chip ${type === 'refund' ? 'chip--on' : ''}`} data-testid="aftersale-type-refund" onClick={() => setType('refund')}>仅退款</Text>
                {order.status !== 'pending_shipment' && (
                  <Text className={`chip ${type === 'return_refund' ? 'chip--on' : ''}`} data-testid="aftersale-type-return" onClick={() => setType('return_refund')}>退货退款</Text>
                )}
              </View>
              <View className="title">售后原因</View>
              <View className="asa__chips">
                {REASONS.map((r) => (
                  <Text key={r} className={`chip ${reason === r ? 'chip--on' : ''}`} data-testid="aftersale-reason" onClick={() => setReason(r)}>{r}</Text>
                ))}
              </View>
              <Textarea className="textarea" value={note} maxlength={200} placeholder="补充说明（选填）" onInput={(e) => setNote(e.detail.value)} />
            </View>
          </>
        )}
      </StateView>
      {order && (
        <View className="bottom-bar asa__bar">
          <View className="asa__sum">
            <Text>预计退款：</Text>
            {items.length ? <Price fen={preview} size="lg" className="asa__preview" /> : <Text className="muted">请选择商品</Text>}
          </View>
          <View className={`btn btn--primary ${submitting ? 'btn--disabled' : ''}`} data-testid="aftersale-submit" onClick={submit}>提交申请</View>
        </View>
      )}
    </View>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { adminSettlementDetail, adminSettlementAction, BATCH_STATUS_TEXT, type Batch, type Statement } from '../../services/distribution';
import { errorMessage } from '../../services/cloud';
import StateView from '../../components/StateView';
import Price from '../../components/Price';
import { formatFen } from '../../utils/money';
import { formatTime } from '../../utils/format';
import { confirmDialog, toast, toastError } from '../../utils/ui';
import Gate from '../Gate';
import ReasonPopup from '../ReasonPopup';
import '../admin.css';

function Detail() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [batch, setBatch] = useState<Batch | null>(null);
  const [rows, setRows] = useState<Statement[]>([]);
  const [error, setError] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const load = useCallback(async () => {
    setError('');
    try { const r = await adminSettlementDetail(id); setBatch(r.batch); setRows(r.statements); } catch (e) { setError(errorMessage(e)); }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  const approve = async () => {
    if (!batch) return;
    const ok = await confirmDialog('批准结算', `本批次共 ${batch.totals.distributors} 位分销商、${batch.totals.entries} 笔佣金，合计 ¥${formatFen(batch.totals.amountFen)}。批准后计入分销商可提现余额。`, '批准结算');
    if (!ok) return;
    try { await adminSettlementAction('approve', id); toast('已批准', 'success'); void load(); } catch (e) { toastError(e); }
  };
  const reject = async (reason: string) => {
    try { await adminSettlementAction('reject', id, reason); setRejecting(false); toast('已驳回', 'success'); void load(); } catch (e) { toastError(e); }
  };

  return (
    <View className="page">
      <StateView loading={!batch && !error} error={error} onRetry={load}>
        {batch && (
          <>
            <View className="card" data-testid="batch-detail" data-status={batch.status}>
              <View className="between"><Text className="title">结算周期 {batch.period}</Text><Text className="red">{BATCH_STATUS_TEXT[batch.status] ?? batch.status}</Text></View>
              <View className="kv"><Text className="kv__k">合计</Text><Price fen={batch.totals.amountFen} size="lg" /></View>
              <View className="kv"><Text className="kv__k">分销商 / 佣金笔数</Text><Text>{batch.totals.distributors} 人 / {batch.totals.entries} 笔</Text></View>
              <View className="kv"><Text className="kv__k">创建时间</Text><Text>{formatTime(batch.createdAt)}</Text></View>
              {batch.doneAt && <View className="kv"><Text className="kv__k">完成时间</Text><Text>{formatTime(batch.doneAt)}</Text></View>}
            </View>
            <View className="card">
              <Text className="title">分销商结算单</Text>
              <StateView empty={!rows.length} emptyText="本批次没有结算单">
                {rows.map((s) => (
                  <View key={s._id} className="kv" data-testid="batch-statement">
                    <View style={{ display: 'flex', flexDirection: 'column' }}>
                      <Text>{s.nickname}</Text>
                      <Text className="muted">{s.entries} 笔{Object.keys(s.byTier).length ? ` · ${Object.entries(s.byTier).map(([t, v]) => `${t === '2' ? '团队' : '直推'} ¥${formatFen(v)}`).join(' · ')}` : ''}</Text>
                    </View>
                    {s.amountFen < 0 ? <Text className="muted">-¥{formatFen(-s.amountFen)}</Text> : <Price fen={s.amountFen} />}
                  </View>
                ))}
              </StateView>
            </View>
          </>
        )}
      </StateView>
      {batch?.status === 'proposed' && (
        <View className="bottom-bar">
          <View className="btn" style={{ flex: 1, marginRight: '16px' }} data-testid="batch-reject" onClick={() => setRejecting(true)}>驳回</View>
          <View className="btn btn--primary" style={{ flex: 2 }} data-testid="batch-approve" onClick={approve}>批准 ¥{formatFen(batch.totals.amountFen)}</View>
        </View>
      )}
      <ReasonPopup visible={rejecting} title="驳回结算批次" hint="驳回后这些佣金保持「可结算」，进入下一次结算" confirmText="驳回" onClose={() => setRejecting(false)} onSubmit={reject} />
    </View>
  );
}

export default function AdminSettlementDetail() { return <Gate><Detail /></Gate>; }

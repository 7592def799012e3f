import { useCallback, useEffect, useState } from 'react';
import { View, Text, Input, Switch } from '@tarojs/components';
import { yuanToFen } from '@core/money';
import type { DistributionSettings, DistributionLevel, CommissionRule } from '@core/distribution/settings';
import { adminGetDistSettings, adminSaveDistSettings, type DistSettings } from '../../services/distribution';
import { errorMessage } from '../../services/cloud';
import StateView from '../../components/StateView';
import { formatFen } from '../../utils/money';
import { confirmDialog, toast } from '../../utils/ui';
import Gate from '../Gate';
import RulesEditor from '../RulesEditor';
import '../admin.css';

// Display helpers: rates are shown in % and sent as integer bp; money shown in 元 and sent as integer fen.
const bpToPct = (bp: number | null | undefined) => (typeof bp === 'number' ? formatFen(bp).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1') : '');
const fenToYuan = (fen: number) => formatFen(fen);
class FieldError extends Error {}
/** '12.5' (%) → 1250 bp: the same exact decimal shift as yuan → fen. */
function pctToBp(s: string, field: string): number {
  try {
    const v = yuanToFen(s.trim());
    if (v > 10000) throw new FieldError(`${field}不能超过 100%`);
    return v;
  } catch (e) {
    if (e instanceof FieldError) throw e;
    throw new FieldError(`${field}格式不正确`);
  }
}
function yuan(s: string, field: string): number {
  try { return yuanToFen(s.trim()); } catch { throw new FieldError(`${field}格式不正确`); }
}
function int(s: string, field: string, min = 0): number {
  const t = s.trim();
  if (!/^\d+$/.test(t) || Number(t) < min) throw new FieldError(`${field}须为不小于 ${min} 的整数`);
  return Number(t);
}

interface LevelDraft { id: string; name: string; tier1: string; tier2On: boolean; tier2: string; upOn: boolean; sales: string; orders: string; days: string }
interface Draft {
  enabled: boolean; tiers: 1 | 2; approval: 'auto' | 'manual'; rate1: string; rate2: string; cap: string; selfPurchase: boolean;
  trigger: 'visit' | 'first_order'; model: 'permanent' | 'expiring' | 'last_touch'; expireDays: string; protectDays: string; storeScanRebinds: boolean;
  levels: LevelDraft[]; cycle: 'daily' | 'weekly' | 'monthly'; mode: 'auto' | 'manual'; freezeDays: string;
  minW: string; dailyW: string; autoW: string;
  rules: CommissionRule[];
}

const toDraft = (s: DistSettings): Draft => ({
  enabled: s.enabled !== false, tiers: s.tiers === 1 ? 1 : 2, approval: s.approval === 'manual' ? 'manual' : 'auto',
  rate1: bpToPct(s.globalRateBp?.[1]), rate2: bpToPct(s.globalRateBp?.[2]), cap: bpToPct(s.capBp), selfPurchase: !!s.selfPurchase,
  trigger: s.binding?.trigger ?? 'visit', model: s.binding?.model ?? 'expiring', expireDays: String(s.binding?.expireDays ?? 30),
  protectDays: String(s.binding?.protectDays ?? 0), storeScanRebinds: !!s.binding?.storeScanRebinds,
  levels: (s.levels ?? []).map((l) => ({
    id: l.id, name: l.name, tier1: bpToPct(l.tier1Bp), tier2On: l.tier2Bp !== null && l.tier2Bp !== undefined, tier2: bpToPct(l.tier2Bp ?? 0),
    upOn: !!l.upgrade, sales: fenToYuan(l.upgrade?.netSalesFen ?? 0), orders: String(l.upgrade?.completedOrders ?? 0), days: String(l.upgrade?.periodDays ?? 90),
  })),
  cycle: s.settlement?.cycle ?? 'weekly', mode: s.settlement?.mode ?? 'auto', freezeDays: String(s.freezeDays ?? 7),
  minW: fenToYuan(s.withdrawal?.minFen ?? 0), dailyW: fenToYuan(s.withdrawal?.dailyLimitFen ?? 0), autoW: fenToYuan(s.withdrawal?.autoApproveBelowFen ?? 0),
  rules: ((s.rules ?? []) as CommissionRule[]).map((r) => ({ ...r })),
});

function fromDraft(d: Draft, base: DistSettings): DistSettings {
  const levels: DistributionLevel[] = d.levels.map((l, i) => {
    const n = l.name.trim() || `等级${i + 1}`;
    return {
      id: l.id, name: n, tier1Bp: pctToBp(l.tier1, `${n}的直推佣金比例`),
      tier2Bp: l.tier2On ? pctToBp(l.tier2, `${n}的团队佣金比例`) : null,
      upgrade: l.upOn ? { netSalesFen: yuan(l.sales, `${n}的升级净销售额`), completedOrders: int(l.orders, `${n}的升级完成订单数`), periodDays: int(l.days, `${n}的统计周期`, 1) } : null,
    };
  });
  const out: DistributionSettings = {
    enabled: d.enabled, tiers: d.tiers, approval: d.approval,
    globalRateBp: { 1: pctToBp(d.rate1, '一级佣金比例'), 2: pctToBp(d.rate2 || '0', '二级佣金比例') },
    capBp: pctToBp(d.cap, '佣金封顶比例'), selfPurchase: d.selfPurchase,
    binding: { trigger: d.trigger, model: d.model, expireDays: int(d.expireDays, '绑定有效天数', 1), protectDays: int(d.protectDays, '保护期天数'), storeScanRebinds: d.storeScanRebinds },
    levels, rules: d.rules,
    settlement: { cycle: d.cycle, mode: d.mode }, freezeDays: int(d.freezeDays, '冻结天数'),
    withdrawal: { minFen: yuan(d.minW, '最低提现金额'), dailyLimitFen: yuan(d.dailyW, '每日提现限额'), autoApproveBelowFen: yuan(d.autoW, '自动审核额度') },
  };
  return { ...base, ...out } as DistSettings;
}

function Chips<T extends string | number>({ value, options, onChange, testid }: { value: T; options: { v: T; label: string }[]; onChange: (v: T) => void; testid: string }) {
  return (
    <View className="adm__chips" data-testid={testid}>
      {options.map((o) => (
        <Text key={String(o.v)} className={`chip ${value === o.v ? 'chip--on' : ''}`} onClick={() => onChange(o.v)}>{o.label}</Text>
      ))}
    </View>
  );
}

function Field({ label, value, onChange, suffix, testid, type = 'digit' }: { label: string; value: string; onChange: (v: string) => void; suffix?: string; testid: string; type?: 'digit' | 'number' | 'text' }) {
  return (
    <View className="field" data-testid={testid}>
      <Text className="field__label">{label}</Text>
      <Input className="field__input" type={type} value={value} onInput={(e) => onChange(e.detail.value)} />
      {suffix && <Text className="muted">{suffix}</Text>}
    </View>
  );
}

function Settings() {
  const [base, setBase] = useState<DistSettings | null>(null);
  const [d, setD] = useState<Draft | null>(null);
  const [error, setError] = useState('');
  const [saveError, setSaveError] = useState('');
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => {
    setError('');
    try { const s = await adminGetDistSettings(); setBase(s); setD(toDraft(s)); } catch (e) { setError(errorMessage(e)); }
  }, []);
  useEffect(() => { void load(); }, [load]);
  const up = (patch: Partial<Draft>) => setD((x) => (x ? { ...x, ...patch } : x));
  const upLevel = (i: number, patch: Partial<LevelDraft>) => setD((x) => (x ? { ...x, levels: x.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) } : x));

  const save = async () => {
    if (!d || !base || saving) return;
    setSaveError('');
    let next: DistSettings;
    try { next = fromDraft(d, base); } catch (e) { const m = e instanceof Error ? e.message : '输入有误'; setSaveError(m); toast(m); return; }
    if (!(await confirmDialog('保存分销设置', '新的设置对之后付款的订单生效，已产生的佣金不变。', '保存'))) return;
    setSaving(true);
    try {
      const r = await adminSaveDistSettings(next);
      const saved = (r?.settings ?? next) as DistSettings;
      setBase(saved); setD(toDraft(saved));
      toast('已保存', 'success');
    } catch (e) {
      const m = errorMessage(e);
      setSaveError(m);
      toast(m);
    } finally { setSaving(false); }
  };

  return (
    <View className="page">
      <StateView loading={!d && !error} error={error} onRetry={load}>
        {d && (
          <View data-testid="dist-settings-form">
            <View className="card">
              <View className="between"><Text className="title">开启分销</Text><Switch checked={d.enabled} color="#fa4126" onChange={(e) => up({ enabled: e.detail.value })} /></View>
              <Text className="muted">成为分销商永久免费，不收取任何费用，也不设购买门槛。</Text>
              <View className="field"><Text className="field__label">分销层级</Text><Chips testid="set-tiers" value={d.tiers} onChange={(v) => up({ tiers: v })} options={[{ v: 1, label: '一级' }, { v: 2, label: '二级（团队佣金）' }]} /></View>
              <View className="field"><Text className="field__label">加入审核</Text><Chips testid="set-approval" value={d.approval} onChange={(v) => up({ approval: v })} options={[{ v: 'auto', label: '自动通过' }, { v: 'manual', label: '商家审核' }]} /></View>
            </View>
            <View className="card">
              <Text className="title">佣金比例</Text>
              <Field testid="set-rate1" label="一级佣金" value={d.rate1} onChange={(v) => up({ rate1: v })} suffix="%" />
              {d.tiers === 2 && <Field testid="set-rate2" label="二级佣金" value={d.rate2} onChange={(v) => up({ rate2: v })} suffix="%" />}
              <Field testid="set-cap" label="佣金封顶" value={d.cap} onChange={(v) => up({ cap: v })} suffix="% 实付金额" />
              <View className="between field"><Text className="field__label">自购返佣</Text><Switch checked={d.selfPurchase} color="#fa4126" onChange={(e) => up({ selfPurchase: e.detail.value })} /></View>
              <Text className="muted">按商品/分类单独设置的比例优先于等级比例和全局比例；计佣金额为买家实付（不含运费）。</Text>
            </View>
            <RulesEditor rules={d.rules} tiers={d.tiers} onChange={(rules) => up({ rules })} />
            <View className="card">
              <Text className="title">客户绑定</Text>
              <View className="field"><Text className="field__label">绑定时机</Text><Chips testid="set-trigger" value={d.trigger} onChange={(v) => up({ trigger: v })} options={[{ v: 'visit', label: '首次访问' }, { v: 'first_order', label: '首次下单' }]} /></View>
              <View className="field"><Text className="field__label">绑定规则</Text><Chips testid="set-model" value={d.model} onChange={(v) => up({ model: v })} options={[{ v: 'permanent', label: '永久绑定' }, { v: 'expiring', label: '有效期' }, { v: 'last_touch', label: '最后分享人' }]} /></View>
              {d.model === 'expiring' && <Field testid="set-expire" label="有效天数" value={d.expireDays} onChange={(v) => up({ expireDays: v })} type="number" suffix="天" />}
              {d.model === 'last_touch' && <Field testid="set-protect" label="保护期" value={d.protectDays} onChange={(v) => up({ protectDays: v })} type="number" suffix="天" />}
              <View className="between field"><Text className="field__label">门店扫码改绑</Text><Switch checked={d.storeScanRebinds} color="#fa4126" onChange={(e) => up({ storeScanRebinds: e.detail.value })} /></View>
            </View>
            <View className="card">
              <Text className="title">分销等级</Text>
              <Text className="muted">升级只看本人净销售额（扣除退款）和完成订单数，不按拉人头。</Text>
              {d.levels.map((l, i) => (
                <View key={l.id} className="adm__level" data-testid="set-level">
                  <Field testid={`set-level-name-${l.id}`} label="名称" value={l.name} onChange={(v) => upLevel(i, { name: v })} type="text" />
                  <Field testid={`set-level-t1-${l.id}`} label="直推比例" value={l.tier1} onChange={(v) => upLevel(i, { tier1: v })} suffix="%" />
                  {d.tiers === 2 && (
                    <View className="between field"><Text className="field__label">团队佣金</Text><Switch checked={l.tier2On} color="#fa4126" onChange={(e) => upLevel(i, { tier2On: e.detail.value })} /></View>
                  )}
                  {d.tiers === 2 && l.tier2On && <Field testid={`set-level-t2-${l.id}`} label="团队比例" value={l.tier2} onChange={(v) => upLevel(i, { tier2: v })} suffix="%" />}
                  {i > 0 && (
                    <>
                      <View className="between field"><Text className="field__label">自动升级</Text><Switch checked={l.upOn} color="#fa4126" onChange={(e) => upLevel(i, { upOn: e.detail.value })} /></View>
                      {l.upOn && (
                        <>
                          <Field testid={`set-level-sales-${l.id}`} label="净销售额" value={l.sales} onChange={(v) => upLevel(i, { sales: v })} suffix="元" />
                          <Field testid={`set-level-orders-${l.id}`} label="完成订单" value={l.orders} onChange={(v) => upLevel(i, { orders: v })} type="number" suffix="单" />
                          <Field testid={`set-level-days-${l.id}`} label="统计周期" value={l.days} onChange={(v) => upLevel(i, { days: v })} type="number" suffix="天" />
                        </>
                      )}
                    </>
                  )}
                </View>
              ))}
            </View>
            <View className="card">
              <Text className="title">结算与提现</Text>
              <View className="field"><Text className="field__label">结算周期</Text><Chips testid="set-cycle" value={d.cycle} onChange={(v) => up({ cycle: v })} options={[{ v: 'daily', label: '每日' }, { v: 'weekly', label: '每周' }, { v: 'monthly', label: '每月' }]} /></View>
              <View className="field"><Text className="field__label">结算方式</Text><Chips testid="set-mode" value={d.mode} onChange={(v) => up({ mode: v })} options={[{ v: 'auto', label: '自动结算' }, { v: 'manual', label: '商家审核批次' }]} /></View>
              <Field testid="set-freeze" label="冻结天数" value={d.freezeDays} onChange={(v) => up({ freezeDays: v })} type="number" suffix="天（不少于退货期）" />
              <Field testid="set-min" label="最低提现" value={d.minW} onChange={(v) => up({ minW: v })} suffix="元" />
              <Field testid="set-daily" label="每日限额" value={d.dailyW} onChange={(v) => up({ dailyW: v })} suffix="元" />
              <Field testid="set-auto" label="自动审核" value={d.autoW} onChange={(v) => up({ autoW: v })} suffix="元以下" />
            </View>
            {saveError && <View className="card red" data-testid="dist-settings-error">{saveError}</View>}
          </View>
        )}
      </StateView>
      {d && (
        <View className="bottom-bar">
          <View className={`btn btn--primary btn--block ${saving ? 'btn--disabled' : ''}`} data-testid="dist-settings-save" onClick={save}>{saving ? '保存中…' : '保存设置'}</View>
        </View>
      )}
    </View>
  );
}

export default function AdminDistSettings() { return <Gate><Settings /></Gate>; }

import { useEffect, useMemo, useState } from 'react';
import { View, Text, Input, ScrollView } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { yuanToFen } from '@core/money';
import type { CommissionRule, RuleScope } from '@core/distribution/settings';
import { fetchCategories, fetchProducts } from '../services/api';
import { formatFen } from '../utils/money';
import { confirmDialog, toast } from '../utils/ui';
import './RulesEditor.css';

/**
 * The 佣金规则 section of the distribution settings page: lists the per-SKU / product / category rules and
 * edits them in a bottom sheet. Changes go into the page's draft; the page's 保存设置 persists them (the server's
 * compliance validator has the last word). Rates are entered in % (≤ 2 decimals) and kept as integer bp;
 * amounts are entered in 元 and kept as integer fen.
 */

type RuleType = 'rate' | 'fixed' | 'excluded';
interface TierRow { min: string; pct: string }
interface RuleDraft { id: string; scope: RuleScope; targetId: string; type: RuleType; tier: 1 | 2 | 0; pct: string; fixed: string; amountTiers: TierRow[] }

export const SCOPE_TEXT: Record<RuleScope, string> = { product: '商品', category: '类目', sku: '规格' };
const TIER_TEXT: Record<number, string> = { 1: '直推', 2: '团队' };

/** bp → '12.5' (display only, through the money formatter: 1250 bp has the same digits as 12.50 元). */
export const bpText = (bp: number) => formatFen(bp).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');

class RuleError extends Error {}
const PCT_RE = /^\d+(\.\d{1,2})?$/;
/** '12.5' % → 1250 bp, integer; at most 2 decimals; 0…100 %. */
export function percentToBp(s: string, field: string): number {
  const t = s.trim();
  if (!PCT_RE.test(t)) throw new RuleError(`${field}须为数字，最多两位小数`);
  const bp = Math.round(Number(t) * 100);
  if (!Number.isSafeInteger(bp) || bp > 10000) throw new RuleError(`${field}不能超过 100%`);
  return bp;
}
function yuanInput(s: string, field: string): number {
  const t = s.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(t)) throw new RuleError(`${field}须为金额，最多两位小数`);
  try { return yuanToFen(t); } catch { throw new RuleError(`${field}格式不正确`); }
}

const newId = () => `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const toRuleDraft = (r: CommissionRule): RuleDraft => ({
  id: r.id, scope: r.scope, targetId: r.targetId,
  type: r.excluded ? 'excluded' : typeof r.perUnitFen === 'number' ? 'fixed' : 'rate',
  tier: r.tier ?? (r.excluded ? 0 : 1),
  pct: typeof r.bp === 'number' ? bpText(r.bp) : '',
  fixed: typeof r.perUnitFen === 'number' ? formatFen(r.perUnitFen) : '',
  amountTiers: (r.amountTiers ?? []).map((t) => ({ min: formatFen(t.minBaseFen), pct: bpText(t.bp) })),
});

/** Builds the stored rule from the draft, or throws a Chinese message. */
export function fromRuleDraft(d: RuleDraft, others: CommissionRule[]): CommissionRule {
  const targetId = d.targetId.trim();
  if (!targetId) throw new RuleError(d.scope === 'sku' ? '请输入规格编号' : `请选择${SCOPE_TEXT[d.scope]}`);
  if (targetId.length > 128) throw new RuleError('规格编号不能超过128个字符');
  const rule: CommissionRule = { id: d.id, scope: d.scope, targetId };
  if (d.tier === 1 || d.tier === 2) rule.tier = d.tier;
  const key = (r: CommissionRule) => `${r.scope}:${r.targetId}:${r.tier ?? '*'}`;
  if (others.some((o) => o.id !== d.id && key(o) === key(rule))) throw new RuleError('该对象在此层级已有佣金规则，请直接编辑原规则');
  if (d.type === 'excluded') { rule.excluded = true; return rule; }
  if (d.type === 'fixed') { rule.perUnitFen = yuanInput(d.fixed, '每件佣金'); return rule; }
  rule.bp = percentToBp(d.pct, '佣金比例');
  if (d.amountTiers.length > 0) {
    if (d.amountTiers.length > 20) throw new RuleError('阶梯最多20档');
    const tiers = d.amountTiers.map((t, i) => ({ minBaseFen: yuanInput(t.min, `第${i + 1}档起始金额`), bp: percentToBp(t.pct, `第${i + 1}档比例`) }));
    tiers.sort((a, b) => a.minBaseFen - b.minBaseFen);
    for (let i = 1; i < tiers.length; i++) if (tiers[i].minBaseFen === tiers[i - 1].minBaseFen) throw new RuleError('阶梯起始金额不能重复');
    rule.amountTiers = tiers;
  }
  return rule;
}

export function ruleRateText(r: CommissionRule): string {
  if (r.excluded) return '不参与分销';
  const who = TIER_TEXT[r.tier ?? 1];
  if (typeof r.perUnitFen === 'number') return `${who} 每件 ¥${formatFen(r.perUnitFen)}`;
  return `${who} ${bpText(r.bp ?? 0)}%`;
}

interface Props {
  rules: CommissionRule[];
  /** settings tiers: with 1, rules apply to 直推 only */
  tiers: 1 | 2;
  onChange: (rules: CommissionRule[]) => void;
}

interface Option { id: string; name: string }

function Chips<T extends string | number>({ value, options, onChange, prefix }: { value: T; options: { v: T; label: string }[]; onChange: (v: T) => void; prefix: string }) {
  return (
    <View className="adm__chips">
      {options.map((o) => (
        <Text key={String(o.v)} data-testid={`${prefix}-${String(o.v)}`} className={`chip ${value === o.v ? 'chip--on' : ''}`} onClick={() => onChange(o.v)}>{o.label}</Text>
      ))}
    </View>
  );
}

export default function RulesEditor({ rules, tiers, onChange }: Props) {
  const [cats, setCats] = useState<Option[]>([]);
  const [prods, setProds] = useState<Option[]>([]);
  const [found, setFound] = useState<Option[]>([]);
  const [known, setKnown] = useState<Option[]>([]);
  const [edit, setEdit] = useState<RuleDraft | null>(null);
  const [keyword, setKeyword] = useState('');
  const [err, setErr] = useState('');

  useEffect(() => {
    let alive = true;
    fetchCategories().then((cs) => { if (alive) setCats(cs.map((c) => ({ id: c._id, name: c.name }))); }).catch(() => undefined);
    fetchProducts({ page: 1, pageSize: 50 }).then((p) => { if (alive) { const xs = p.items.map((x) => ({ id: x._id, name: x.title })); setProds(xs); setFound(xs); } }).catch(() => undefined);
    return () => { alive = false; };
  }, []);

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of cats) m.set(`category:${c.id}`, c.name);
    for (const p of [...prods, ...known]) m.set(`product:${p.id}`, p.name);
    return m;
  }, [cats, prods, known]);
  const search = async () => {
    const k = keyword.trim();
    if (!k) { setFound(prods); return; }
    try {
      const r = await fetchProducts({ keyword: k, page: 1, pageSize: 50 });
      const xs = r.items.map((x) => ({ id: x._id, name: x.title }));
      setFound(xs); setKnown((old) => [...old, ...xs]);
    } catch { toast('搜索失败，请重试'); }
  };
  const targetName = (r: { scope: RuleScope; targetId: string }) => names.get(`${r.scope}:${r.targetId}`) ?? r.targetId;

  const open = (r?: CommissionRule) => {
    setErr(''); setKeyword(''); setFound(prods);
    setEdit(r ? toRuleDraft(r) : { id: newId(), scope: 'product', targetId: '', type: 'rate', tier: 1, pct: '', fixed: '', amountTiers: [] });
  };
  const up = (patch: Partial<RuleDraft>) => setEdit((x) => (x ? { ...x, ...patch } : x));
  const upTier = (i: number, patch: Partial<TierRow>) => setEdit((x) => (x ? { ...x, amountTiers: x.amountTiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) } : x));

  const commit = () => {
    if (!edit) return;
    let rule: CommissionRule;
    try { rule = fromRuleDraft(edit, rules); } catch (e) { const m = e instanceof Error ? e.message : '输入有误'; setErr(m); toast(m); return; }
    const i = rules.findIndex((r) => r.id === rule.id);
    onChange(i >= 0 ? rules.map((r, j) => (j === i ? rule : r)) : [...rules, rule]);
    setEdit(null);
  };
  const remove = async (r: CommissionRule) => {
    if (!(await confirmDialog('删除规则', `删除「${SCOPE_TEXT[r.scope]} ${targetName(r)}」的佣金规则？保存设置后生效。`, '删除'))) return;
    onChange(rules.filter((x) => x.id !== r.id));
  };

  const options: Option[] = edit?.scope === 'category' ? cats : edit?.scope === 'product' ? found : [];
  const tierOptions: { v: 0 | 1 | 2; label: string }[] = edit?.type === 'excluded'
    ? [{ v: 0, label: '全部层级' }, { v: 1, label: '直推' }, ...(tiers === 2 ? [{ v: 2 as const, label: '团队' }] : [])]
    : [{ v: 1, label: '直推（一级）' }, ...(tiers === 2 ? [{ v: 2 as const, label: '团队（二级）' }] : [])];

  return (
    <View className="card" data-testid="rules-section">
      <View className="between">
        <Text className="title">佣金规则</Text>
        <View className="btn btn--sm btn--outline" data-testid="rules-add" onClick={() => open()}>添加规则</View>
      </View>
      <Text className="muted">按商品、类目或规格单独设置，优先于等级和全局比例；修改后点击「保存设置」生效。</Text>
      {rules.length === 0 && <View className="muted rules__empty">暂无规则，全部商品按等级或全局比例计佣</View>}
      {rules.map((r) => (
        <View key={r.id} className="rules__item" data-testid="rule-item" data-scope={r.scope} data-target={r.targetId}>
          <View className="rules__main">
            <Text className="rules__scope">{SCOPE_TEXT[r.scope]}</Text>
            <Text className="rules__name">{targetName(r)}</Text>
          </View>
          <View className="rules__meta">
            <Text className={r.excluded ? 'muted' : 'red'} data-testid="rule-rate">{ruleRateText(r)}</Text>
            {r.excluded && r.tier && <Text className="muted">（仅{TIER_TEXT[r.tier]}）</Text>}
          </View>
          {r.amountTiers && r.amountTiers.length > 0 && (
            <Text className="muted rules__tiers" data-testid="rule-tiers">
              {r.amountTiers.map((t) => `满¥${formatFen(t.minBaseFen)} 按${bpText(t.bp)}%`).join('；')}
            </Text>
          )}
          <View className="adm__actions">
            <View className="btn btn--sm" data-testid="rule-edit" onClick={() => open(r)}>编辑</View>
            <View className="btn btn--sm btn--warn" data-testid="rule-delete" onClick={() => void remove(r)}>删除</View>
          </View>
        </View>
      ))}

      <Popup visible={!!edit} position="bottom" round closeable onClose={() => setEdit(null)}>
        {edit && (
          <ScrollView scrollY className="rules__sheet">
            <View className="adm__form" data-testid="rule-form">
              <Text className="title">{rules.some((r) => r.id === edit.id) ? '编辑佣金规则' : '添加佣金规则'}</Text>
              <View className="field">
                <Text className="field__label">适用范围</Text>
                <Chips prefix="rule-scope" value={edit.scope} onChange={(v) => { up({ scope: v, targetId: '' }); setKeyword(''); setFound(prods); }}
                  options={[{ v: 'product', label: '商品' }, { v: 'category', label: '类目' }, { v: 'sku', label: '规格' }]} />
              </View>
              {edit.scope === 'sku' ? (
                <View className="field" data-testid="rule-target">
                  <Text className="field__label">规格编号</Text>
                  <Input className="field__input" type="text" value={edit.targetId} placeholder="请输入规格编号" onInput={(e) => up({ targetId: e.detail.value })} />
                </View>
              ) : (
                <View className="rules__targets">
                  {edit.scope === 'product' && (
                    <View className="row rules__search" data-testid="rule-target-search">
                      <Input className="adm__input rules__search-input" type="text" value={keyword} placeholder="搜索商品名称" confirmType="search"
                        onInput={(e) => setKeyword(e.detail.value)} onConfirm={() => void search()} />
                      <View className="btn btn--sm" onClick={() => void search()}>搜索</View>
                    </View>
                  )}
                  <View className="rules__options" data-testid="rule-target">
                    {options.length === 0 && <Text className="muted">{edit.scope === 'product' ? '没有匹配的商品' : '暂无类目'}</Text>}
                    {options.map((o) => (
                      <Text key={o.id} data-testid="rule-target-opt" data-id={o.id}
                        className={`chip ${edit.targetId === o.id ? 'chip--on' : ''}`} onClick={() => up({ targetId: o.id })}>{o.name}</Text>
                    ))}
                  </View>
                  {edit.targetId && <Text className="muted">已选：{targetName(edit)}</Text>}
                </View>
              )}
              <View className="field">
                <Text className="field__label">佣金方式</Text>
                <Chips prefix="rule-type" value={edit.type}
                  onChange={(v) => up({ type: v, tier: v === 'excluded' ? 0 : edit.tier === 0 ? 1 : edit.tier, ...(v !== 'rate' ? { amountTiers: [] } : {}) })}
                  options={[{ v: 'rate', label: '比例' }, { v: 'fixed', label: '固定金额' }, { v: 'excluded', label: '不参与分销' }]} />
              </View>
              <View className="field">
                <Text className="field__label">适用层级</Text>
                <Chips prefix="rule-tier" value={edit.tier} onChange={(v) => up({ tier: v })} options={tierOptions} />
              </View>
              {edit.type === 'rate' && (
                <View className="field" data-testid="rule-percent">
                  <Text className="field__label">佣金比例</Text>
                  <Input className="field__input" type="digit" value={edit.pct} placeholder="如 12.5" onInput={(e) => up({ pct: e.detail.value })} />
                  <Text className="muted">%</Text>
                </View>
              )}
              {edit.type === 'fixed' && (
                <View className="field" data-testid="rule-fixed">
                  <Text className="field__label">每件佣金</Text>
                  <Input className="field__input" type="digit" value={edit.fixed} placeholder="如 5.00" onInput={(e) => up({ fixed: e.detail.value })} />
                  <Text className="muted">元（不超过该件实付）</Text>
                </View>
              )}
              {edit.type === 'rate' && (
                <View className="rules__amount" data-testid="rule-amount-tiers">
                  <View className="between">
                    <Text className="rules__at-title">金额阶梯（可选）</Text>
                    <View className="btn btn--sm" data-testid="rule-at-add" onClick={() => up({ amountTiers: [...edit.amountTiers, { min: '', pct: '' }] })}>添加一档</View>
                  </View>
                  <Text className="muted">订单计佣金额达到起始金额时，按该档比例替代上面的比例。</Text>
                  {edit.amountTiers.map((t, i) => (
                    <View key={i} className="rules__at row" data-testid="rule-at-row">
                      <Text>满 ¥</Text>
                      <Input className="adm__input rules__at-input" type="digit" value={t.min} data-testid="rule-at-min" onInput={(e) => upTier(i, { min: e.detail.value })} />
                      <Text>按</Text>
                      <Input className="adm__input rules__at-input" type="digit" value={t.pct} data-testid="rule-at-pct" onInput={(e) => upTier(i, { pct: e.detail.value })} />
                      <Text>%</Text>
                      <Text className="red rules__at-del" data-testid="rule-at-del" onClick={() => up({ amountTiers: edit.amountTiers.filter((_, j) => j !== i) })}>删除</Text>
                    </View>
                  ))}
                </View>
              )}
              {err && <Text className="red" data-testid="rule-error">{err}</Text>}
              <View className="btn btn--primary btn--block rules__save" data-testid="rule-save" onClick={commit}>确定</View>
            </View>
          </ScrollView>
        )}
      </Popup>
    </View>
  );
}

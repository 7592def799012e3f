/**
 * The merchant's distribution settings (the `settings` doc `_id: 'distribution'`) and the compliance validator
 * that every save goes through (DESIGN §9). The validator is strict: it rebuilds the document from known keys
 * only, and an unknown key is refused — with a compliance reason when the key looks like something §9 forbids
 * (a third tier, a fee / purchase / paid membership / spend threshold, a head-count upgrade, a recruiting reward).
 */
import { fail, ok, type Fail, type Result } from '../errors';
import { BP_ONE, type Fen } from '../money';
import type { SettlementCycle } from '../time';

export type DistributionTiers = 1 | 2;
export type CommissionTier = 1 | 2;
export type ApprovalMode = 'auto' | 'manual';
export type BindingTrigger = 'visit' | 'first_order';
export type BindingModel = 'permanent' | 'expiring' | 'last_touch';
export type SettlementMode = 'auto' | 'manual';
export type RuleScope = 'sku' | 'product' | 'category';

export interface BindingPolicy {
  trigger: BindingTrigger;
  model: BindingModel;
  /** 'expiring': a binding lasts this many days (≥ 1). */
  expireDays: number;
  /** 'last_touch': after a (re)bind, nobody else can take the buyer for this many days (≥ 0). */
  protectDays: number;
  /** Whether a store QR scan may take a buyer who already has an active binding. */
  storeScanRebinds: boolean;
}

export interface LevelUpgrade {
  /** own net sales (after refunds) over the rolling period */
  netSalesFen: Fen;
  /** own completed orders over the rolling period */
  completedOrders: number;
  periodDays: number;
}

export interface DistributionLevel {
  id: string;
  name: string;
  tier1Bp: number;
  /** null = this level does not grant 团队佣金 (tier 2) */
  tier2Bp: number | null;
  /** null = not reached by upgrade (the entry level, or manual only) */
  upgrade: LevelUpgrade | null;
}

export interface AmountTier {
  /** the tier applies when the order's commission base (Σ line bases) ≥ minBaseFen */
  minBaseFen: Fen;
  bp: number;
}

export interface CommissionRule {
  id: string;
  scope: RuleScope;
  /** skuId, productId or categoryId */
  targetId: string;
  /** no commission on matching lines (both tiers, unless `tier` is set) */
  excluded?: boolean;
  bp?: number;
  /** fixed commission per unit, capped at the line's base */
  perUnitFen?: Fen;
  /** only with `bp`: the highest tier with minBaseFen ≤ the order's commission base replaces `bp` */
  amountTiers?: AmountTier[];
  /**
   * Which tier the rule applies to. A rate rule without `tier` applies to tier 1 only (tier 2 falls through to
   * the next source); an exclusion without `tier` applies to both tiers.
   */
  tier?: CommissionTier;
}

export interface WithdrawalSettings {
  minFen: Fen;
  dailyLimitFen: Fen;
  /** requests strictly below this amount are approved automatically; 0 = always manual */
  autoApproveBelowFen: Fen;
}

export interface DistributionSettings {
  enabled: boolean;
  tiers: DistributionTiers;
  approval: ApprovalMode;
  globalRateBp: { 1: number; 2: number };
  capBp: number;
  selfPurchase: boolean;
  binding: BindingPolicy;
  levels: DistributionLevel[];
  rules: CommissionRule[];
  settlement: { cycle: SettlementCycle; mode: SettlementMode };
  freezeDays: number;
  withdrawal: WithdrawalSettings;
}

export const DEFAULT_DISTRIBUTION_SETTINGS: Readonly<DistributionSettings> = Object.freeze({
  enabled: true,
  tiers: 2,
  approval: 'auto',
  globalRateBp: { 1: 1000, 2: 300 },
  capBp: 5000,
  selfPurchase: false,
  binding: { trigger: 'visit', model: 'expiring', expireDays: 30, protectDays: 7, storeScanRebinds: false },
  levels: [
    { id: 'normal', name: '普通', tier1Bp: 1000, tier2Bp: null, upgrade: null },
    { id: 'senior', name: '高级', tier1Bp: 1200, tier2Bp: 300, upgrade: { netSalesFen: 100000, completedOrders: 5, periodDays: 90 } },
    { id: 'gold', name: '金牌', tier1Bp: 1500, tier2Bp: 500, upgrade: { netSalesFen: 500000, completedOrders: 20, periodDays: 90 } },
  ],
  rules: [],
  settlement: { cycle: 'weekly', mode: 'auto' },
  freezeDays: 7,
  withdrawal: { minFen: 100, dailyLimitFen: 2000000, autoApproveBelowFen: 50000 },
} as DistributionSettings);

/** A fresh, mutable copy of the defaults. */
export function defaultDistributionSettings(): DistributionSettings {
  return JSON.parse(JSON.stringify(DEFAULT_DISTRIBUTION_SETTINGS)) as DistributionSettings;
}

/**
 * The settings to use at run time from a stored doc (possibly missing or from an older version): missing
 * top-level keys are filled from the defaults. It does not validate; saving goes through
 * `validateDistributionSettings`.
 */
export function resolveDistributionSettings(stored: unknown): DistributionSettings {
  const d = defaultDistributionSettings();
  if (!stored || typeof stored !== 'object') return d;
  const s = stored as Record<string, unknown>;
  const out = { ...d } as unknown as Record<string, unknown>;
  for (const k of Object.keys(d)) if (s[k] !== undefined && s[k] !== null) out[k] = s[k];
  const r = out as unknown as DistributionSettings;
  if (r.binding && typeof r.binding === 'object') r.binding = { ...d.binding, ...r.binding };
  if (r.withdrawal && typeof r.withdrawal === 'object') r.withdrawal = { ...d.withdrawal, ...r.withdrawal };
  if (r.settlement && typeof r.settlement === 'object') r.settlement = { ...d.settlement, ...r.settlement };
  if (r.globalRateBp && typeof r.globalRateBp === 'object') r.globalRateBp = { ...d.globalRateBp, ...r.globalRateBp };
  return r;
}

/** The level a new distributor starts at: the first level. */
export function entryLevelId(settings: Pick<DistributionSettings, 'levels'>): string {
  return settings.levels[0]?.id ?? 'normal';
}

// ---------------------------------------------------------------------------------------------------------
// Compliance messages (Chinese, shown to the merchant as-is)

export const COMPLIANCE_MESSAGES = {
  TOO_MANY_TIERS: '分销层级最多两级，不得设置三级及以上佣金',
  JOIN_FEE: '成为分销员或获得佣金不得收取费用、要求购买商品、开通付费会员或设置消费门槛',
  HEADCOUNT_UPGRADE: '等级升级不得以发展人数为条件',
  RECRUIT_REWARD: '不得设置拉人头奖励：佣金只能来自真实销售',
  HEADCOUNT: '不得以发展人数或团队规模作为佣金、奖励或资格条件',
  CAP_RANGE: '佣金上限必须在0%到100%之间',
  RATE_OVER_CAP: '佣金比例不得超过佣金上限',
  LEVEL_SUM_OVER_CAP: '一级与二级佣金之和不得超过佣金上限',
  GLOBAL_SUM_OVER_CAP: '默认一级与二级佣金之和不得超过佣金上限',
  FREEZE_TOO_SHORT: '冻结期不得短于退货期',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Strict validation helpers

class Refusal extends Error {
  constructor(readonly f: Fail) {
    super(f.message);
  }
}

function compliance(message: string, path: string): never {
  throw new Refusal(fail('COMPLIANCE_VIOLATION', message, { path }));
}

function invalid(message: string, path: string): never {
  throw new Refusal(fail('INVALID_INPUT', message, { path }));
}

const TIER3_RE = /tier[_-]?[3-9]|level[_-]?[3-9]|third|three|depth|layer|[3-9](st|nd|rd|th)?tier|三级|多级/i;
const HEADCOUNT_RE = /recruit|invit|referr|team|downline|down_line|member|head|people|person|fans|follower|subordinate|direct|child|descendant|group|size|人数|下线|团队/i;
const TEAM_RE = /team|downline|down_line|headcount|head_count|subordinate|descendant|fans|membercount|member_count|peoplecount|人数|下线|团队/i;
const FEE_RE = /fee|purchase|buy|membership|vip|spend|threshold|deposit|gift|package|pay|price|cost|charge|入门|会员|门槛|购买|消费/i;
const REWARD_RE = /recruit|invit|referr|reward|bonus|award|prize|newuser|new_user|signup|register|downline|拉新|奖励|邀请/i;

/** Refuses an unknown key, with the compliance reason when the key names something §9 forbids. */
function refuseUnknownKey(key: string, path: string, inUpgrade: boolean): never {
  const p = path ? `${path}.${key}` : key;
  if (TIER3_RE.test(key)) compliance(COMPLIANCE_MESSAGES.TOO_MANY_TIERS, p);
  if (inUpgrade && HEADCOUNT_RE.test(key)) compliance(COMPLIANCE_MESSAGES.HEADCOUNT_UPGRADE, p);
  if (REWARD_RE.test(key)) compliance(COMPLIANCE_MESSAGES.RECRUIT_REWARD, p);
  if (TEAM_RE.test(key)) compliance(COMPLIANCE_MESSAGES.HEADCOUNT, p);
  if (FEE_RE.test(key)) compliance(COMPLIANCE_MESSAGES.JOIN_FEE, p);
  if (inUpgrade) compliance(COMPLIANCE_MESSAGES.HEADCOUNT_UPGRADE, p);
  invalid(`不支持的设置项：${p}`, p);
}

function obj(v: unknown, path: string, label: string, allowed: readonly string[], inUpgrade = false): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) invalid(`${label}格式不正确`, path);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) refuseUnknownKey(k, path, inUpgrade);
  }
  return o;
}

function int(v: unknown, path: string, label: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) invalid(`${label}必须是整数`, path);
  if (v < min || v > max) invalid(`${label}必须在${min}到${max}之间`, path);
  return v === 0 ? 0 : v;
}

function bool(v: unknown, path: string, label: string): boolean {
  if (typeof v !== 'boolean') invalid(`${label}必须是开或关`, path);
  return v;
}

function oneOf<T extends string | number>(v: unknown, values: readonly T[], path: string, label: string): T {
  if (!values.includes(v as T)) invalid(`${label}取值不正确`, path);
  return v as T;
}

function str(v: unknown, path: string, label: string, maxLen: number): string {
  if (typeof v !== 'string' || v.trim() === '') invalid(`${label}不能为空`, path);
  if (v.length > maxLen) invalid(`${label}不能超过${maxLen}个字符`, path);
  return v;
}

/** A rate in basis points: an integer 0…capBp (0…10000 before the cap is known). */
function rate(v: unknown, path: string, label: string, capBp: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) invalid(`${label}必须是整数（万分比）`, path);
  if (v < 0) invalid(`${label}不能为负数`, path);
  if (v > capBp) compliance(`${COMPLIANCE_MESSAGES.RATE_OVER_CAP}（${label}）`, path);
  return v === 0 ? 0 : v;
}

const MAX_FEN = 1e12;
const MAX_DAYS = 3650;

export interface ValidateSettingsContext {
  /** the shop's return window; the freeze must be at least as long */
  returnWindowDays: number;
}

/**
 * The compliance validator (DESIGN §9). Returns the normalised settings (known keys only) or a refusal:
 * `COMPLIANCE_VIOLATION` for a rule §9 forbids, `INVALID_INPUT` for a malformed value; the message is Chinese
 * and `details.path` names the offending field.
 */
export function validateDistributionSettings(input: unknown, ctx: ValidateSettingsContext): Result<DistributionSettings> {
  try {
    return ok(validateOrThrow(input, ctx));
  } catch (e) {
    if (e instanceof Refusal) return e.f;
    throw e;
  }
}

const TOP_KEYS = [
  'enabled',
  'tiers',
  'approval',
  'globalRateBp',
  'capBp',
  'selfPurchase',
  'binding',
  'levels',
  'rules',
  'settlement',
  'freezeDays',
  'withdrawal',
] as const;

function validateOrThrow(input: unknown, ctx: ValidateSettingsContext): DistributionSettings {
  // `_id`, `updatedAt`, `updatedBy` may travel with a stored doc; they are not settings and are dropped.
  let raw = input;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const { _id: _a, updatedAt: _b, updatedBy: _c, ...rest } = raw as Record<string, unknown>;
    raw = rest;
  }
  const o = obj(raw, '', '分销设置', TOP_KEYS);
  for (const k of TOP_KEYS) if (o[k] === undefined) invalid(`缺少设置项：${k}`, k);

  // tiers first: a third tier is the first thing §9 forbids
  if (typeof o.tiers === 'number' && Number.isInteger(o.tiers) && o.tiers > 2) compliance(COMPLIANCE_MESSAGES.TOO_MANY_TIERS, 'tiers');
  const tiers = oneOf(o.tiers, [1, 2] as const, 'tiers', '分销层级');

  if (typeof o.capBp !== 'number' || !Number.isSafeInteger(o.capBp)) invalid('佣金上限必须是整数（万分比）', 'capBp');
  if (o.capBp < 0 || o.capBp > BP_ONE) compliance(COMPLIANCE_MESSAGES.CAP_RANGE, 'capBp');
  const capBp = o.capBp;

  const enabled = bool(o.enabled, 'enabled', '分销开关');
  const approval = oneOf(o.approval, ['auto', 'manual'] as const, 'approval', '审核方式');
  const selfPurchase = bool(o.selfPurchase, 'selfPurchase', '自购返佣');

  // global rates: keys '1' and '2' only
  const gr = o.globalRateBp;
  if (gr && typeof gr === 'object' && !Array.isArray(gr)) {
    for (const k of Object.keys(gr)) {
      if (k !== '1' && k !== '2') {
        if (/^\d+$/.test(k) && Number(k) > 2) compliance(COMPLIANCE_MESSAGES.TOO_MANY_TIERS, `globalRateBp.${k}`);
        refuseUnknownKey(k, 'globalRateBp', false);
      }
    }
  }
  const g = obj(gr, 'globalRateBp', '默认佣金比例', ['1', '2']);
  const globalRateBp = {
    1: rate(g['1'], 'globalRateBp.1', '默认一级佣金比例', capBp),
    2: rate(g['2'], 'globalRateBp.2', '默认二级佣金比例', capBp),
  };
  if (globalRateBp[1] + (tiers === 2 ? globalRateBp[2] : 0) > capBp) compliance(COMPLIANCE_MESSAGES.GLOBAL_SUM_OVER_CAP, 'globalRateBp');

  // binding policy
  const b = obj(o.binding, 'binding', '绑定规则', ['trigger', 'model', 'expireDays', 'protectDays', 'storeScanRebinds']);
  const binding: BindingPolicy = {
    trigger: oneOf(b.trigger, ['visit', 'first_order'] as const, 'binding.trigger', '绑定时机'),
    model: oneOf(b.model, ['permanent', 'expiring', 'last_touch'] as const, 'binding.model', '绑定方式'),
    expireDays: int(b.expireDays, 'binding.expireDays', '绑定有效天数', 1, MAX_DAYS),
    protectDays: int(b.protectDays, 'binding.protectDays', '保护期天数', 0, MAX_DAYS),
    storeScanRebinds: bool(b.storeScanRebinds, 'binding.storeScanRebinds', '门店扫码改绑'),
  };

  // levels
  if (!Array.isArray(o.levels) || o.levels.length === 0) invalid('至少需要一个分销等级', 'levels');
  if (o.levels.length > 20) invalid('分销等级不能超过20个', 'levels');
  const levelIds = new Set<string>();
  const levels: DistributionLevel[] = o.levels.map((lv: unknown, i: number) => {
    const p = `levels.${i}`;
    const l = obj(lv, p, '分销等级', ['id', 'name', 'tier1Bp', 'tier2Bp', 'upgrade']);
    const id = str(l.id, `${p}.id`, '等级编号', 40);
    if (levelIds.has(id)) invalid(`等级编号重复：${id}`, `${p}.id`);
    levelIds.add(id);
    const name = str(l.name, `${p}.name`, '等级名称', 20);
    const tier1Bp = rate(l.tier1Bp, `${p}.tier1Bp`, `等级「${name}」一级佣金比例`, capBp);
    const tier2Bp = l.tier2Bp === null ? null : rate(l.tier2Bp, `${p}.tier2Bp`, `等级「${name}」二级佣金比例`, capBp);
    if (tier1Bp + (tiers === 2 && tier2Bp !== null ? tier2Bp : 0) > capBp) {
      compliance(`等级「${name}」${COMPLIANCE_MESSAGES.LEVEL_SUM_OVER_CAP}`, p);
    }
    let upgrade: LevelUpgrade | null = null;
    if (l.upgrade !== null) {
      const u = obj(l.upgrade, `${p}.upgrade`, '升级条件', ['netSalesFen', 'completedOrders', 'periodDays'], true);
      upgrade = {
        netSalesFen: int(u.netSalesFen, `${p}.upgrade.netSalesFen`, '升级所需销售额（分）', 0, MAX_FEN),
        completedOrders: int(u.completedOrders, `${p}.upgrade.completedOrders`, '升级所需完成订单数', 0, 1e7),
        periodDays: int(u.periodDays, `${p}.upgrade.periodDays`, '统计周期天数', 1, MAX_DAYS),
      };
    }
    return { id, name, tier1Bp, tier2Bp, upgrade };
  });

  // rules
  if (!Array.isArray(o.rules)) invalid('佣金规则格式不正确', 'rules');
  if (o.rules.length > 1000) invalid('佣金规则不能超过1000条', 'rules');
  const ruleIds = new Set<string>();
  const targets = new Set<string>();
  const rules: CommissionRule[] = o.rules.map((rv: unknown, i: number) => {
    const p = `rules.${i}`;
    const r = obj(rv, p, '佣金规则', ['id', 'scope', 'targetId', 'excluded', 'bp', 'perUnitFen', 'amountTiers', 'tier']);
    const id = str(r.id, `${p}.id`, '规则编号', 64);
    if (ruleIds.has(id)) invalid(`规则编号重复：${id}`, `${p}.id`);
    ruleIds.add(id);
    const scope = oneOf(r.scope, ['sku', 'product', 'category'] as const, `${p}.scope`, '规则适用范围');
    const targetId = str(r.targetId, `${p}.targetId`, '规则适用对象', 128);
    const rule: CommissionRule = { id, scope, targetId };
    if (r.tier !== undefined) {
      if (typeof r.tier === 'number' && Number.isInteger(r.tier) && r.tier > 2) compliance(COMPLIANCE_MESSAGES.TOO_MANY_TIERS, `${p}.tier`);
      rule.tier = oneOf(r.tier, [1, 2] as const, `${p}.tier`, '规则适用层级');
    }
    const key = `${scope}:${targetId}:${rule.tier ?? '*'}`;
    if (targets.has(key)) invalid(`同一对象重复设置了佣金规则：${targetId}`, p);
    targets.add(key);
    const excluded = r.excluded === undefined ? false : bool(r.excluded, `${p}.excluded`, '不参与分销');
    if (excluded) {
      if (r.bp !== undefined || r.perUnitFen !== undefined || r.amountTiers !== undefined) {
        invalid('不参与分销的规则不能同时设置佣金', p);
      }
      rule.excluded = true;
      return rule;
    }
    const hasBp = r.bp !== undefined;
    const hasFixed = r.perUnitFen !== undefined;
    if (hasBp === hasFixed) invalid('佣金规则必须且只能设置比例或固定金额之一', p);
    if (hasBp) rule.bp = rate(r.bp, `${p}.bp`, '规则佣金比例', capBp);
    if (hasFixed) rule.perUnitFen = int(r.perUnitFen, `${p}.perUnitFen`, '每件固定佣金（分）', 0, MAX_FEN);
    if (r.amountTiers !== undefined) {
      if (!hasBp) invalid('阶梯佣金只能与比例佣金一起使用', `${p}.amountTiers`);
      if (!Array.isArray(r.amountTiers) || r.amountTiers.length === 0 || r.amountTiers.length > 20) {
        invalid('阶梯佣金需要1到20个区间', `${p}.amountTiers`);
      }
      let prev = -1;
      rule.amountTiers = r.amountTiers.map((tv: unknown, j: number) => {
        const tp = `${p}.amountTiers.${j}`;
        const t = obj(tv, tp, '阶梯区间', ['minBaseFen', 'bp']);
        const minBaseFen = int(t.minBaseFen, `${tp}.minBaseFen`, '阶梯起始金额（分）', 0, MAX_FEN);
        if (minBaseFen <= prev) invalid('阶梯区间必须按起始金额从小到大排列且不重复', tp);
        prev = minBaseFen;
        return { minBaseFen, bp: rate(t.bp, `${tp}.bp`, '阶梯佣金比例', capBp) };
      });
    }
    return rule;
  });

  const s = obj(o.settlement, 'settlement', '结算设置', ['cycle', 'mode']);
  const settlement = {
    cycle: oneOf(s.cycle, ['daily', 'weekly', 'monthly'] as const, 'settlement.cycle', '结算周期'),
    mode: oneOf(s.mode, ['auto', 'manual'] as const, 'settlement.mode', '结算方式'),
  };

  if (typeof o.freezeDays !== 'number' || !Number.isSafeInteger(o.freezeDays)) invalid('冻结天数必须是整数', 'freezeDays');
  const rw = Number.isSafeInteger(ctx.returnWindowDays) && ctx.returnWindowDays > 0 ? ctx.returnWindowDays : 0;
  if (o.freezeDays < rw) compliance(`${COMPLIANCE_MESSAGES.FREEZE_TOO_SHORT}（退货期${rw}天）`, 'freezeDays');
  const freezeDays = int(o.freezeDays, 'freezeDays', '冻结天数', 0, 365);

  const w = obj(o.withdrawal, 'withdrawal', '提现设置', ['minFen', 'dailyLimitFen', 'autoApproveBelowFen']);
  const withdrawal: WithdrawalSettings = {
    minFen: int(w.minFen, 'withdrawal.minFen', '最低提现金额（分）', 1, MAX_FEN),
    dailyLimitFen: int(w.dailyLimitFen, 'withdrawal.dailyLimitFen', '每日提现限额（分）', 1, MAX_FEN),
    autoApproveBelowFen: int(w.autoApproveBelowFen, 'withdrawal.autoApproveBelowFen', '自动审核额度（分）', 0, MAX_FEN),
  };
  if (withdrawal.dailyLimitFen < withdrawal.minFen) invalid('每日提现限额不能低于最低提现金额', 'withdrawal.dailyLimitFen');
  if (withdrawal.autoApproveBelowFen > withdrawal.dailyLimitFen) invalid('自动审核额度不能高于每日提现限额', 'withdrawal.autoApproveBelowFen');

  return { enabled, tiers, approval, globalRateBp, capBp, selfPurchase, binding, levels, rules, settlement, freezeDays, withdrawal };
}

/**
 * Validates a promotion's commission override (`promotions[].commission`) against the cap: `{enabled, bp?}`,
 * bp an integer ≤ capBp. Returns the normalised override.
 */
export function validatePromotionCommission(input: unknown, capBp: number): Result<{ enabled: boolean; bp?: number }> {
  try {
    const o = obj(input, 'commission', '活动佣金设置', ['enabled', 'bp']);
    const enabled = bool(o.enabled, 'commission.enabled', '活动佣金开关');
    const out: { enabled: boolean; bp?: number } = { enabled };
    if (o.bp !== undefined && o.bp !== null) out.bp = rate(o.bp, 'commission.bp', '活动佣金比例', capBp);
    return ok(out);
  } catch (e) {
    if (e instanceof Refusal) return e.f;
    throw e;
  }
}

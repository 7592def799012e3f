/**
 * Commission of a paid order (DESIGN §5.3), pure: given the order lines, the buyer's binding, the binder and
 * the binder's inviter, the settings and the promotions, it returns the commission lines to snapshot on the
 * order and to write as ledger entries, plus the reasons why anything was not (or less) earned.
 *
 * Per line and tier, first match wins: SKU rule → product rule → promotion override → category rule → level
 * rate → global default. Base = the line's payable (after every discount, shipping excluded). Amounts floor via
 * core/money; a fixed amount is capped at the base; tier 1 + tier 2 on a line is capped at
 * floor(base × capBp / 10000), reducing tier 2 first. At most 2 beneficiaries per line, never the buyer unless
 * self-purchase is on.
 */
import { cumulativeShare, mulBp, mulQty, assertFen, BP_ONE, type Fen } from '../money';
import { bindingActive, type Binding, type DistributorStatus } from './binding';
import type { CommissionRule, CommissionTier, DistributionLevel, DistributionSettings } from './settings';

export type CommissionRuleSource = 'sku' | 'product' | 'promotion' | 'category' | 'level' | 'global';
export type CommissionRate = { type: 'bp'; bp: number } | { type: 'fixed'; perUnitFen: Fen };

export type CommissionReasonCode =
  | 'NO_BINDING'
  | 'BINDING_EXPIRED'
  | 'PRODUCT_EXCLUDED'
  | 'PROMOTION_EXCLUDED'
  | 'SELF_PURCHASE_OFF'
  | 'DISTRIBUTOR_INACTIVE'
  | 'TIER2_NOT_GRANTED'
  | 'CAPPED'
  | 'DISTRIBUTION_DISABLED'
  | 'REFUNDED';

/** Chinese text for the "why earned or not" view. REFUNDED is for the caller's view of refunded orders. */
export const COMMISSION_REASON_MESSAGES: Readonly<Record<CommissionReasonCode, string>> = {
  NO_BINDING: '下单时买家未绑定分销员',
  BINDING_EXPIRED: '下单时绑定关系已过期',
  PRODUCT_EXCLUDED: '该商品不参与分销',
  PROMOTION_EXCLUDED: '该活动商品不参与分销',
  SELF_PURCHASE_OFF: '自购不返佣',
  DISTRIBUTOR_INACTIVE: '分销员未通过审核或已被冻结',
  TIER2_NOT_GRANTED: '上级分销员的等级未开通团队佣金',
  CAPPED: '佣金超过上限，已按上限计算',
  DISTRIBUTION_DISABLED: '商家未开启分销',
  REFUNDED: '订单已退款，佣金已冲回',
};

export interface CommissionReason {
  code: CommissionReasonCode;
  message: string;
  /** set when the reason concerns one line */
  lineId?: string;
  /** set when the reason concerns one tier */
  tier?: CommissionTier;
}

/** The parts of a QuoteLine the commission needs. */
export interface CommissionLineInput {
  lineId: string;
  skuId: string;
  productId: string;
  categoryId: string;
  qty: number;
  /** paid for the line after every discount, shipping excluded: the commission base */
  payable: Fen;
  promotionIds?: readonly string[];
}

export interface DistributorRef {
  openid: string;
  status: DistributorStatus;
  levelId: string;
  inviterId?: string | null;
}

export interface PromotionCommissionRef {
  id: string;
  commission?: { enabled: boolean; bp?: number };
}

export interface ComputeCommissionInput {
  order: { lines: readonly CommissionLineInput[]; buyer: string };
  /** the buyer's binding at payment (null = none) */
  binding: Binding | null;
  /** the distributor doc of binding.distributorId */
  binder: DistributorRef | null;
  /** the distributor doc of binder.inviterId (for tier 2) */
  inviter: DistributorRef | null;
  settings: DistributionSettings;
  promotions?: readonly PromotionCommissionRef[];
  now: number;
  /** the buyer's own distributor doc when the buyer is a distributor (self-purchase) */
  buyerDistributor?: DistributorRef | null;
  /** that distributor's inviter (tier 2 of a self-purchase) */
  buyerInviter?: DistributorRef | null;
}

export interface CommissionLine {
  lineId: string;
  tier: CommissionTier;
  beneficiary: string;
  baseFen: Fen;
  amountFen: Fen;
  rate: CommissionRate;
  ruleSource: CommissionRuleSource;
  /** the order line's quantity (the denominator of proportional reversals) */
  qty: number;
}

export interface CommissionBeneficiary {
  openid: string;
  tier: CommissionTier;
  levelId: string;
}

export interface CommissionResult {
  /** only non-zero amounts; at most one per (line, tier) */
  lines: CommissionLine[];
  beneficiaries: CommissionBeneficiary[];
  reasons: CommissionReason[];
  /** the order's commission base: Σ line bases */
  orderBaseFen: Fen;
  totalFen: Fen;
}

export type ResolvedRate =
  | { excluded: true; source: CommissionRuleSource }
  | { excluded: false; rate: CommissionRate; source: CommissionRuleSource };

export interface ResolveRateInput {
  line: Pick<CommissionLineInput, 'skuId' | 'productId' | 'categoryId' | 'promotionIds'>;
  tier: CommissionTier;
  /** the beneficiary's level (tier 1: the binder's; tier 2: the inviter's) */
  levelId: string | null;
  settings: Pick<DistributionSettings, 'rules' | 'levels' | 'globalRateBp'>;
  promotions: readonly PromotionCommissionRef[];
  /** the order's commission base (amount tiers are keyed on it) */
  orderBaseFen: Fen;
}

function ruleMatchesTier(r: CommissionRule, tier: CommissionTier): boolean {
  if (r.excluded) return r.tier === undefined || r.tier === tier;
  return (r.tier ?? 1) === tier;
}

function findRule(rules: readonly CommissionRule[], scope: CommissionRule['scope'], targetId: string, tier: CommissionTier) {
  for (const r of rules) if (r.scope === scope && r.targetId === targetId && ruleMatchesTier(r, tier)) return r;
  return undefined;
}

/** The bp of a bp rule for an order base: the highest amount tier reached, else the rule's bp. */
export function ruleBp(rule: Pick<CommissionRule, 'bp' | 'amountTiers'>, orderBaseFen: Fen): number {
  let bp = rule.bp ?? 0;
  if (rule.amountTiers) {
    for (const t of rule.amountTiers) if (orderBaseFen >= t.minBaseFen) bp = t.bp;
  }
  return bp;
}

function fromRule(rule: CommissionRule, source: CommissionRuleSource, orderBaseFen: Fen): ResolvedRate {
  if (rule.excluded) return { excluded: true, source };
  if (rule.perUnitFen !== undefined) return { excluded: false, source, rate: { type: 'fixed', perUnitFen: rule.perUnitFen } };
  return { excluded: false, source, rate: { type: 'bp', bp: ruleBp(rule, orderBaseFen) } };
}

export function findLevel(levels: readonly DistributionLevel[], levelId: string | null | undefined): DistributionLevel | undefined {
  return levelId == null ? undefined : levels.find((l) => l.id === levelId);
}

/** Does a distributor at `levelId` earn 团队佣金 (tier 2)? An unknown level falls back to the global rate. */
export function tier2Granted(settings: Pick<DistributionSettings, 'levels' | 'globalRateBp'>, levelId: string | null | undefined): boolean {
  const level = findLevel(settings.levels, levelId);
  return level ? level.tier2Bp !== null : settings.globalRateBp[2] > 0;
}

/**
 * The rate for one line and tier, first match wins: SKU rule → product rule → promotion override → category
 * rule → level rate → global default. A rate rule without `tier` applies to tier 1; an exclusion without `tier`
 * to both. A promotion with `commission.enabled === false` excludes the line (both tiers); its `bp` overrides
 * tier 1. (Tier-2 eligibility is checked by the caller: `tier2Granted`.)
 */
export function resolveRate(input: ResolveRateInput): ResolvedRate {
  const { line, tier, levelId, settings, promotions, orderBaseFen } = input;
  const rules = settings.rules;
  const sku = findRule(rules, 'sku', line.skuId, tier);
  if (sku) return fromRule(sku, 'sku', orderBaseFen);
  const product = findRule(rules, 'product', line.productId, tier);
  if (product) return fromRule(product, 'product', orderBaseFen);
  if (line.promotionIds && line.promotionIds.length > 0) {
    let overrideBp: number | undefined;
    for (const pid of line.promotionIds) {
      const p = promotions.find((x) => x.id === pid);
      if (!p || !p.commission) continue;
      if (p.commission.enabled === false) return { excluded: true, source: 'promotion' };
      if (overrideBp === undefined && p.commission.bp !== undefined && p.commission.bp !== null) overrideBp = p.commission.bp;
    }
    if (overrideBp !== undefined && tier === 1) return { excluded: false, source: 'promotion', rate: { type: 'bp', bp: overrideBp } };
  }
  const category = findRule(rules, 'category', line.categoryId, tier);
  if (category) return fromRule(category, 'category', orderBaseFen);
  const level = findLevel(settings.levels, levelId);
  if (level) {
    const bp = tier === 1 ? level.tier1Bp : level.tier2Bp;
    if (bp !== null) return { excluded: false, source: 'level', rate: { type: 'bp', bp } };
  }
  return { excluded: false, source: 'global', rate: { type: 'bp', bp: settings.globalRateBp[tier] } };
}

/** The amount of a rate on a line: floor(base × bp / 10000), or perUnitFen × qty capped at the base. */
export function rateAmount(rate: CommissionRate, baseFen: Fen, qty: number): Fen {
  if (baseFen <= 0) return 0;
  if (rate.type === 'bp') return mulBp(baseFen, rate.bp);
  return Math.min(mulQty(rate.perUnitFen, qty), baseFen);
}

/** The per-line cap: floor(base × capBp / 10000), capBp clamped to 0…10000. */
export function lineCapFen(baseFen: Fen, capBp: number): Fen {
  if (baseFen <= 0) return 0;
  const bp = Math.max(0, Math.min(BP_ONE, Math.floor(capBp)));
  return mulBp(baseFen, bp);
}

/**
 * Applies the per-line cap to the two tier amounts: tier 2 is reduced first, then tier 1.
 * Returns the capped amounts and whether anything was cut.
 */
export function applyCap(t1: Fen, t2: Fen, capFen: Fen): { t1: Fen; t2: Fen; capped: boolean } {
  if (t1 + t2 <= capFen) return { t1, t2, capped: false };
  const a1 = Math.min(t1, capFen);
  const a2 = Math.max(0, Math.min(t2, capFen - a1));
  return { t1: a1, t2: a2, capped: true };
}

function reason(code: CommissionReasonCode, extra: { lineId?: string; tier?: CommissionTier } = {}): CommissionReason {
  const r: CommissionReason = { code, message: COMMISSION_REASON_MESSAGES[code] };
  if (extra.lineId !== undefined) r.lineId = extra.lineId;
  if (extra.tier !== undefined) r.tier = extra.tier;
  return r;
}

/** The commission set of a paid order. Pure and deterministic; see the module comment for the rules. */
export function computeCommission(input: ComputeCommissionInput): CommissionResult {
  const { order, binding, settings, now } = input;
  const promotions = input.promotions ?? [];
  const buyer = order.buyer;
  const reasons: CommissionReason[] = [];
  let orderBaseFen = 0;
  for (const l of order.lines) {
    assertFen(l.payable, `payable of ${l.lineId}`);
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) throw new RangeError(`qty of ${l.lineId} must be a positive integer`);
    orderBaseFen += Math.max(0, l.payable);
  }
  const empty = (): CommissionResult => ({ lines: [], beneficiaries: [], reasons, orderBaseFen, totalFen: 0 });

  if (!settings.enabled) {
    reasons.push(reason('DISTRIBUTION_DISABLED'));
    return empty();
  }

  // Who earns tier 1, and whose inviter is the tier-2 candidate.
  let earner: DistributorRef;
  let upline: DistributorRef | null;
  const buyerDist = input.buyerDistributor;
  const buyerIsDistributor = !!buyerDist && buyerDist.openid === buyer && (buyerDist.status === 'active' || buyerDist.status === 'frozen');
  if (buyerIsDistributor || (input.binder && input.binder.openid === buyer)) {
    // self-purchase: the buyer is a distributor buying for themselves
    if (!settings.selfPurchase) {
      reasons.push(reason('SELF_PURCHASE_OFF'));
      return empty();
    }
    if (buyerIsDistributor) {
      earner = buyerDist as DistributorRef;
      upline = input.buyerInviter ?? null;
    } else {
      earner = input.binder as DistributorRef;
      upline = input.inviter;
    }
  } else {
    if (!binding) {
      reasons.push(reason('NO_BINDING'));
      return empty();
    }
    if (!bindingActive(binding, now)) {
      reasons.push(reason('BINDING_EXPIRED'));
      return empty();
    }
    if (!input.binder || input.binder.openid !== binding.distributorId) {
      reasons.push(reason('NO_BINDING'));
      return empty();
    }
    earner = input.binder;
    upline = input.inviter;
  }
  if (earner.status !== 'active') {
    reasons.push(reason('DISTRIBUTOR_INACTIVE', { tier: 1 }));
    return empty();
  }

  // Tier 2: two tiers configured, the earner's own inviter, active, and their level grants 团队佣金.
  let second: DistributorRef | null = null;
  if (settings.tiers === 2 && earner.inviterId) {
    const cand = upline && upline.openid === earner.inviterId ? upline : null;
    if (!cand || cand.openid === earner.openid) {
      // inviter doc not supplied (or inconsistent): no tier 2
    } else if (cand.openid === buyer && !settings.selfPurchase) {
      reasons.push(reason('SELF_PURCHASE_OFF', { tier: 2 }));
    } else if (cand.status !== 'active') {
      reasons.push(reason('DISTRIBUTOR_INACTIVE', { tier: 2 }));
    } else if (!tier2Granted(settings, cand.levelId)) {
      reasons.push(reason('TIER2_NOT_GRANTED', { tier: 2 }));
    } else {
      second = cand;
    }
  }

  const lines: CommissionLine[] = [];
  const seen = new Set<string>();
  const addReason = (r: CommissionReason) => {
    const k = `${r.code}|${r.lineId ?? ''}|${r.tier ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      reasons.push(r);
    }
  };
  for (const line of order.lines) {
    const base = Math.max(0, line.payable);
    if (base === 0) continue;
    const r1 = resolveRate({ line, tier: 1, levelId: earner.levelId, settings, promotions, orderBaseFen });
    const r2 = second ? resolveRate({ line, tier: 2, levelId: second.levelId, settings, promotions, orderBaseFen }) : null;
    for (const r of [r1, r2]) {
      if (r && r.excluded) addReason(reason(r.source === 'promotion' ? 'PROMOTION_EXCLUDED' : 'PRODUCT_EXCLUDED', { lineId: line.lineId }));
    }
    const raw1 = r1.excluded ? 0 : rateAmount(r1.rate, base, line.qty);
    const raw2 = r2 && !r2.excluded ? rateAmount(r2.rate, base, line.qty) : 0;
    const capped = applyCap(raw1, raw2, lineCapFen(base, settings.capBp));
    if (capped.capped) addReason(reason('CAPPED', { lineId: line.lineId }));
    if (!r1.excluded && capped.t1 > 0) {
      lines.push({ lineId: line.lineId, tier: 1, beneficiary: earner.openid, baseFen: base, amountFen: capped.t1, rate: r1.rate, ruleSource: r1.source, qty: line.qty });
    }
    if (second && r2 && !r2.excluded && capped.t2 > 0) {
      lines.push({ lineId: line.lineId, tier: 2, beneficiary: second.openid, baseFen: base, amountFen: capped.t2, rate: r2.rate, ruleSource: r2.source, qty: line.qty });
    }
  }

  const beneficiaries: CommissionBeneficiary[] = [];
  if (lines.some((l) => l.tier === 1)) beneficiaries.push({ openid: earner.openid, tier: 1, levelId: earner.levelId });
  if (second && lines.some((l) => l.tier === 2)) beneficiaries.push({ openid: second.openid, tier: 2, levelId: second.levelId });
  let totalFen = 0;
  for (const l of lines) totalFen += l.amountFen;
  return { lines, beneficiaries, reasons, orderBaseFen, totalFen };
}

/**
 * The signed amount (≤ 0) of the reversal / clawback entry for refunding `qty` more units of a line whose
 * commission entry was `amountFen` over `lineQty` units, after `refundedQtyBefore` units were already refunded.
 * Partial reversals add up to floor(amount·k/n) after k units, and to exactly −amountFen on a full refund.
 */
export function reversalFor(entry: { amountFen: Fen; lineQty: number }, refund: { refundedQtyBefore: number; qty: number }): Fen {
  const share = cumulativeShare(entry.amountFen, refund.refundedQtyBefore, refund.qty, entry.lineQty);
  return share === 0 ? 0 : -share;
}

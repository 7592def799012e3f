// Client service for distribution (issue 3): the `distribution` function (buyer + distributor) and the
// distribution actions of `admin`. Normalisers keep the pages independent of small payload differences.
import { callCloud } from './cloud';
import { formatFen } from '../utils/money';

type Any = Record<string, any>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const arr = <T = Any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const optNum = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ListPage<T> { items: T[]; hasMore: boolean; total?: number }
const pageOf = <T>(raw: unknown, map: (x: Any) => T): ListPage<T> => {
  const r = (raw ?? {}) as Any;
  const items = Array.isArray(raw) ? (raw as Any[]) : arr(r.items ?? r.list ?? r.data);
  return { items: items.map(map), hasMore: !!r.hasMore, total: typeof r.total === 'number' ? r.total : undefined };
};

export type CommissionState = 'pending' | 'frozen' | 'settleable' | 'settled' | 'withdrawn';
export const STATE_TEXT: Record<string, string> = {
  pending: '待结算', frozen: '冻结', settleable: '可结算', settled: '已结算', withdrawn: '已提现',
};
export const DIST_STATUS_TEXT: Record<string, string> = {
  none: '未加入', pending: '审核中', active: '正常', frozen: '已冻结', rejected: '未通过',
};
export const SOURCE_TEXT: Record<string, string> = {
  share_card: '分享卡片', moments: '朋友圈', qrcode: '小程序码', store_qr: '门店码', code: '邀请码', merchant: '商家调整',
};
export const REASON_TEXT: Record<string, string> = {
  NO_BINDING: '下单时未绑定', BINDING_EXPIRED: '绑定已过期', PRODUCT_EXCLUDED: '该商品不参与分佣',
  SELF_PURCHASE_OFF: '自购不返佣', DISTRIBUTOR_INACTIVE: '分销商状态异常', TIER2_NOT_GRANTED: '等级未开通团队佣金',
  CAPPED: '已按封顶比例计算', REFUNDED: '已退款',
};
/** Names of the default levels (core DEFAULT_DISTRIBUTION_SETTINGS), used when a payload carries only the id. */
const LEVEL_NAME: Record<string, string> = { normal: '普通', senior: '高级', gold: '金牌' };
export const WITHDRAW_STATUS_TEXT: Record<string, string> = {
  pending_review: '待审核', approved: '已通过，打款中', paying: '打款中', paid: '已到账', rejected: '已拒绝', failed: '打款失败',
};
export const BATCH_STATUS_TEXT: Record<string, string> = {
  proposed: '待审核', approved: '已批准', marking: '结算中', marked: '结算中', done: '已完成', rejected: '已驳回',
};

export interface Balances { pending: number; frozen: number; settleable: number; settled: number; withdrawn: number; available: number }
export interface DistLevel { id: string; name: string }
export interface DistProgress { label: string; current: number; target: number; money: boolean }
export interface DistMe {
  isDistributor: boolean;
  status: string; // none | pending | active | frozen | rejected
  code: string;
  level: DistLevel | null;
  nextLevel: DistLevel | null;
  progress: DistProgress[];
  periodDays: number | null;
  balances: Balances;
  approval?: string;
  inviter?: { openid: string; nickname: string } | null;
  withdrawal?: { minFen: number; dailyLimitFen: number; autoApproveBelowFen: number };
  stats: { netSalesFen: number; completedOrders: number } | null;
}

const toBalances = (b: Any): Balances => {
  const settled = num(b.settled ?? b.settledFen);
  const withdrawn = num(b.withdrawn ?? b.withdrawnFen);
  return {
    pending: num(b.pending ?? b.pendingFen),
    frozen: num(b.frozen ?? b.frozenFen),
    settleable: num(b.settleable ?? b.settleableFen),
    settled,
    withdrawn,
    available: typeof (b.available ?? b.availableFen ?? b.withdrawable ?? b.balance ?? b.balanceFen) === 'number'
      ? num(b.available ?? b.availableFen ?? b.withdrawable ?? b.balance ?? b.balanceFen)
      : settled - withdrawn,
  };
};

const toLevel = (l: unknown): DistLevel | null => {
  if (!l) return null;
  if (typeof l === 'string') return { id: l, name: l };
  const o = l as Any;
  return { id: str(o.id ?? o._id ?? o.levelId), name: str(o.name ?? o.id) };
};

const toProgress = (raw: unknown): DistProgress[] => {
  const p = (raw ?? null) as Any | null;
  if (!p) return [];
  if (Array.isArray(p)) {
    return p.map((x: Any) => ({ label: str(x.label ?? x.name), current: num(x.current), target: num(x.target), money: !!x.money || /Fen$/.test(str(x.key)) }));
  }
  const out: DistProgress[] = [];
  const cur = (p.current ?? p) as Any;
  const tgt = (p.target ?? p.required ?? p.next ?? {}) as Any;
  const salesCur = cur.netSalesFen ?? p.netSalesFen;
  const salesTgt = tgt.netSalesFen ?? p.targetNetSalesFen;
  if (typeof salesTgt === 'number' && salesTgt > 0) out.push({ label: '自购及推广净销售额', current: num(salesCur), target: salesTgt, money: true });
  const ordCur = cur.completedOrders ?? p.completedOrders;
  const ordTgt = tgt.completedOrders ?? p.targetCompletedOrders;
  if (typeof ordTgt === 'number' && ordTgt > 0) out.push({ label: '已完成订单', current: num(ordCur), target: ordTgt, money: false });
  return out;
};

export function toMe(raw: unknown): DistMe {
  const r = (raw ?? {}) as Any;
  const d = (r.distributor ?? r) as Any | null;
  const status = str(d?.status ?? r.status) || 'none';
  const isDistributor = !!d && !!(d.code || d._id) && status !== 'none';
  const prog = (r.progress ?? d?.progress) as Any | undefined;
  return {
    isDistributor,
    status: isDistributor ? status : (status === 'none' ? 'none' : status),
    code: str(d?.code ?? r.code),
    level: toLevel(r.level ?? d?.level ?? d?.levelId),
    nextLevel: toLevel(r.nextLevel ?? prog?.nextLevel ?? prog?.next?.level),
    progress: toProgress(prog),
    periodDays: optNum(prog?.periodDays ?? r.periodDays),
    balances: toBalances((r.balances ?? r.balance ?? {}) as Any),
    approval: r.approval,
    inviter: r.inviter ? { openid: str(r.inviter.openid ?? r.inviter._id), nickname: str(r.inviter.nickname) } : null,
    stats: r.stats ? { netSalesFen: num(r.stats.netSalesFen), completedOrders: num(r.stats.completedOrders) } : null,
    withdrawal: r.withdrawal ? { minFen: num(r.withdrawal.minFen), dailyLimitFen: num(r.withdrawal.dailyLimitFen), autoApproveBelowFen: num(r.withdrawal.autoApproveBelowFen) } : undefined,
  };
}

export interface MyBinding { distributorId: string; nickname: string; code: string; source: string; boundAt: number; expiresAt: number | null }
export interface ShareInfo { code: string; path: string; query: string; scene: string; qrcodeUrl: string; fileID: string; title?: string }

// ---- buyer / distributor ----
export const distMe = async (): Promise<DistMe> => toMe(await callCloud<unknown>('distribution', { action: 'me' }));
export const distJoin = async (inviteCode?: string): Promise<DistMe> =>
  toMe(await callCloud<unknown>('distribution', { action: 'join', ...(inviteCode ? { inviteCode } : {}) }));
export type BindSource = 'share_card' | 'moments' | 'qrcode' | 'code';
export const distBind = (code: string, source: BindSource, scene?: string) =>
  callCloud<Any>('distribution', { action: 'bind', code, source, ...(scene ? { scene } : {}) });
export const distMyBinding = async (): Promise<MyBinding | null> => {
  const r = (await callCloud<Any | null>('distribution', { action: 'myBinding' })) ?? null;
  const b = (r && 'binding' in r ? r.binding : r) as Any | null;
  if (!b || !(b.distributorId || b.nickname)) return null;
  const who = (b.distributor ?? {}) as Any;
  return {
    distributorId: str(b.distributorId),
    nickname: str(b.nickname ?? b.distributorName ?? who.nickname) || '专属顾问',
    code: str(b.code ?? who.code),
    source: str(b.source),
    boundAt: num(b.boundAt),
    expiresAt: optNum(b.expiresAt),
  };
};
export const distShare = async (productId?: string): Promise<ShareInfo> => {
  const r = await callCloud<Any>('distribution', { action: 'share', ...(productId ? { productId } : {}) });
  const qr = (r.qrcode ?? r.qr ?? {}) as Any;
  return {
    code: str(r.code),
    path: str(r.path),
    query: str(r.query),
    scene: str(r.scene),
    qrcodeUrl: str(r.qrcodeUrl ?? r.qrUrl ?? qr.url ?? r.fileURL ?? qr.fileID ?? r.fileID),
    fileID: str(r.fileID ?? qr.fileID),
    title: r.title,
  };
};

export interface TeamMember { openid: string; nickname: string; avatar: string; code: string; level: string; status: string; joinedAt: number }
export const distTeam = async (page = 1) => pageOf<TeamMember>(await callCloud<unknown>('distribution', { action: 'team', page }), (m) => ({
  openid: str(m.openid ?? m._id), nickname: str(m.nickname) || '微信用户', avatar: str(m.avatar), code: str(m.code),
  level: str(m.levelName ?? m.level?.name ?? LEVEL_NAME[str(m.levelId)] ?? m.levelId), status: str(m.status), joinedAt: num(m.joinedAt),
}));

export interface Buyer { openid: string; nickname: string; avatar: string; source: string; boundAt: number; expiresAt: number | null; orders: number | null; salesFen: number | null; active: boolean }
export const distBuyers = async (page = 1) => pageOf<Buyer>(await callCloud<unknown>('distribution', { action: 'buyers', page }), (b) => ({
  openid: str(b.openid ?? b.buyer ?? b._id), nickname: str(b.nickname) || '微信用户', avatar: str(b.avatar), source: str(b.source),
  boundAt: num(b.boundAt), expiresAt: optNum(b.expiresAt), orders: optNum(b.orders ?? b.orderCount), salesFen: optNum(b.salesFen ?? b.netSalesFen),
  active: b.active !== false,
}));

export interface PromoOrder {
  orderId: string; buyerName: string; status: string; payableFen: number; createdAt: number; title: string; image: string;
  amountFen: number; state: string; entries: { tier: number; amountFen: number; state: string; kind: string }[];
  reasons: { code: string; message: string }[]; earned: boolean;
}
export const distOrders = async (page = 1) => pageOf<PromoOrder>(await callCloud<unknown>('distribution', { action: 'orders', page }), (o) => {
  const entries = arr(o.entries ?? o.commissions).map((e: Any) => ({ tier: num(e.tier) || 1, amountFen: num(e.amountFen), state: str(e.state), kind: str(e.kind) || 'accrue' }));
  const amountFen = typeof o.amountFen === 'number' ? o.amountFen : typeof o.commissionFen === 'number' ? o.commissionFen : entries.reduce((s, e) => s + e.amountFen, 0);
  const reasons = arr(o.reasons ?? o.commission?.reasons).map((x: Any) => ({ code: str(x.code), message: str(x.message) || REASON_TEXT[str(x.code)] || str(x.code) }));
  const line0 = arr(o.lines)[0] as Any | undefined;
  return {
    orderId: str(o.orderId ?? o._id), buyerName: str(o.buyerName ?? o.buyer?.nickname ?? o.nickname) || '微信用户',
    status: str(o.status ?? o.orderStatus), payableFen: num(o.payableFen ?? o.baseFen), createdAt: num(o.createdAt ?? o.paidAt),
    title: str(o.title ?? line0?.title), image: str(o.image ?? line0?.image),
    amountFen, state: str(o.state ?? entries[0]?.state), entries, reasons, earned: o.earned ?? amountFen > 0,
  };
});

export interface LedgerEntry { _id: string; orderId: string; tier: number; kind: string; amountFen: number; baseFen: number; rateText: string; state: string; createdAt: number; freezeUntil: number | null }
const rateText = (r: Any | undefined): string => {
  if (!r) return '';
  if (r.type === 'fixed') return `每件 ¥${formatFen(num(r.perUnitFen))}`;
  if (typeof r.bp === 'number') return `${(r.bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  return '';
};
export const distCommissions = async (state?: string, page = 1) =>
  pageOf<LedgerEntry>(await callCloud<unknown>('distribution', { action: 'commissions', page, ...(state ? { state } : {}) }), (e) => ({
    _id: str(e._id), orderId: str(e.orderId), tier: num(e.tier) || 1, kind: str(e.kind) || 'accrue', amountFen: num(e.amountFen),
    baseFen: num(e.baseFen), rateText: rateText(e.rate), state: str(e.state), createdAt: num(e.createdAt), freezeUntil: optNum(e.freezeUntil),
  }));

export interface RankRow { rank: number; openid: string; nickname: string; avatar: string; amountFen: number; me: boolean }
export const distRanking = async (period?: string): Promise<{ items: RankRow[]; mine: RankRow | null }> => {
  const r = await callCloud<Any>('distribution', { action: 'ranking', ...(period ? { period } : {}) });
  const map = (x: Any, i: number): RankRow => ({
    rank: num(x.rank) || i + 1, openid: str(x.openid ?? x._id), nickname: str(x.nickname) || '微信用户', avatar: str(x.avatar),
    amountFen: num(x.amountFen ?? x.salesFen ?? x.commissionFen), me: !!x.me,
  });
  const items = (Array.isArray(r) ? r : arr(r?.items ?? r?.list)).map(map);
  return { items, mine: r && !Array.isArray(r) && r.mine ? map(r.mine, 0) : null };
};

export interface Withdrawal { _id: string; amountFen: number; status: string; reason: string; createdAt: number; openid: string; nickname: string }
const toWithdrawal = (w: Any): Withdrawal => ({
  _id: str(w._id), amountFen: num(w.amountFen), status: str(w.status), reason: str(w.reason), createdAt: num(w.createdAt),
  openid: str(w.openid), nickname: str(w.nickname),
});
export const distWithdraw = async (requestId: string, amountFen: number): Promise<Withdrawal> => {
  const r = await callCloud<Any>('distribution', { action: 'withdraw', requestId, amountFen });
  return toWithdrawal((r.withdrawal ?? r) as Any);
};
export const distWithdrawals = async (page = 1) =>
  pageOf<Withdrawal>(await callCloud<unknown>('distribution', { action: 'withdrawals', page }), toWithdrawal);

// ---- merchant ----
export interface DistSettings {
  enabled: boolean;
  tiers: 1 | 2;
  approval: 'auto' | 'manual';
  globalRateBp: { 1: number; 2: number };
  capBp: number;
  selfPurchase: boolean;
  binding: { trigger: 'visit' | 'first_order'; model: 'permanent' | 'expiring' | 'last_touch'; expireDays: number; protectDays: number; storeScanRebinds: boolean };
  levels: { id: string; name: string; tier1Bp: number; tier2Bp: number | null; upgrade: { netSalesFen: number; completedOrders: number; periodDays: number } | null }[];
  rules: Any[];
  settlement: { cycle: 'daily' | 'weekly' | 'monthly'; mode: 'auto' | 'manual' };
  freezeDays: number;
  withdrawal: { minFen: number; dailyLimitFen: number; autoApproveBelowFen: number };
  [k: string]: unknown;
}
export const adminGetDistSettings = async (): Promise<DistSettings> => {
  const r = await callCloud<Any>('admin', { action: 'distribution.settings.get' });
  return (r.settings ?? r) as DistSettings;
};
export const adminSaveDistSettings = (settings: DistSettings) =>
  callCloud<Any>('admin', { action: 'distribution.settings.save', settings });

export interface AdminDistributor { openid: string; nickname: string; code: string; status: string; levelId: string; levelName: string; inviterId: string | null; joinedAt: number; frozenReason: string }
export const adminListDistributors = async (q: { status?: string; keyword?: string; page?: number }) =>
  pageOf<AdminDistributor>(await callCloud<unknown>('admin', { action: 'distributors.list', page: 1, ...q }), (d) => ({
    openid: str(d.openid ?? d._id), nickname: str(d.nickname) || '微信用户', code: str(d.code), status: str(d.status),
    levelId: str(d.levelId), levelName: str(d.levelName ?? d.level?.name ?? d.levelId), inviterId: d.inviterId ?? null,
    joinedAt: num(d.joinedAt), frozenReason: str(d.frozenReason),
  }));
export const adminDistributorAction = (action: 'approve' | 'reject' | 'freeze' | 'unfreeze', openid: string, reason?: string) =>
  callCloud<Any>('admin', { action: `distributors.${action}`, openid, ...(reason ? { reason } : {}) });
export const adminSetLevel = (openid: string, levelId: string, reason: string) =>
  callCloud<Any>('admin', { action: 'distributors.setLevel', openid, levelId, reason });
export const adminMoveBinding = (buyer: string, to: string, reason: string) =>
  callCloud<Any>('admin', { action: 'bindings.move', buyer, to, reason });

export interface Batch { _id: string; period: string; mode: string; status: string; totals: { entries: number; amountFen: number; distributors: number }; createdAt: number; doneAt: number | null }
const toBatch = (b: Any): Batch => ({
  _id: str(b._id), period: str(b.period ?? b.periodKey), mode: str(b.mode), status: str(b.status),
  totals: { entries: num(b.totals?.entries), amountFen: num(b.totals?.amountFen), distributors: num(b.totals?.distributors) },
  createdAt: num(b.createdAt), doneAt: optNum(b.doneAt),
});
export interface Statement { _id: string; openid: string; nickname: string; amountFen: number; entries: number; byTier: Record<string, number> }
export const adminListSettlements = async (q: { status?: string; page?: number } = {}) =>
  pageOf<Batch>(await callCloud<unknown>('admin', { action: 'settlements.list', page: 1, ...q }), toBatch);
export const adminSettlementDetail = async (id: string): Promise<{ batch: Batch; statements: Statement[] }> => {
  const r = await callCloud<Any>('admin', { action: 'settlements.detail', id });
  return {
    batch: toBatch((r.batch ?? r) as Any),
    statements: arr(r.statements).map((s: Any) => ({
      _id: str(s._id), openid: str(s.openid), nickname: str(s.nickname) || str(s.openid).slice(-6), amountFen: num(s.amountFen),
      entries: num(s.entries), byTier: (s.byTier ?? {}) as Record<string, number>,
    })),
  };
};
export const adminSettlementAction = (action: 'approve' | 'reject', id: string, reason?: string) =>
  callCloud<Any>('admin', { action: `settlements.${action}`, id, ...(reason ? { reason } : {}) });
export const adminListWithdrawals = async (q: { status?: string; page?: number } = {}) =>
  pageOf<Withdrawal>(await callCloud<unknown>('admin', { action: 'withdrawals.list', page: 1, ...q }), toWithdrawal);
export const adminWithdrawalAction = (action: 'approve' | 'reject', id: string, reason?: string) =>
  callCloud<Any>('admin', { action: `withdrawals.${action}`, id, ...(reason ? { reason } : {}) });

/** Expected tier-1 commission for a product (the 分享赚 figure), computed by the server's commission rules. */
export const distExpected = async (productId: string): Promise<number | null> => {
  const r = await callCloud<Any>('distribution', { action: 'expected', productId });
  return optNum(r.expectedFen);
};

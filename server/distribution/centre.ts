/** Read side of the distributor centre (me, team, buyers, orders, commissions, ranking, share, withdrawals). */
import { ok, type Result } from '../../core/errors';
import { evaluateLevel } from '../../core/distribution/levels';
import { buildScene, sharePath, shareQuery } from '../../core/distribution/codes';
import { COMMISSION_REASON_MESSAGES } from '../../core/distribution/commission';
import { DAY_MS, periodBounds, periodKey } from '../../core/time';
import { db, cmd, sdk } from '../cloud';
import { usersById, type UserLite } from '../users';
import { logEvent } from '../log';
import { getDistributor, type DistributorDoc } from './distributors';
import { loadDistributionSettings } from './settings';
import { getWallet } from './wallet';
import { expectedCommission, type CommissionEntry, type CommissionOrderDoc } from './commission';

export const PAGE_SIZE = 20;

export interface BalancesView {
  pending: number;
  frozen: number;
  settleable: number;
  settled: number;
  withdrawn: number;
  available: number;
}

/** Balances by state: one aggregate over the distributor's entries + the wallet doc. */
export async function balancesOf(openid: string): Promise<BalancesView> {
  const $ = db().command.aggregate;
  const [agg, wallet] = await Promise.all([
    db().collection('commissions').aggregate().match({ beneficiary: openid }).group({ _id: '$state', sum: $.sum('$amountFen') }).limit(10).end(),
    getWallet(openid),
  ]);
  const b: BalancesView = { pending: 0, frozen: 0, settleable: 0, settled: 0, withdrawn: wallet.withdrawnFen ?? 0, available: 0 };
  for (const row of (agg.list ?? []) as { _id: keyof BalancesView; sum: number }[]) {
    if (row._id in b) b[row._id] = row.sum;
  }
  b.available = b.settled - b.withdrawn;
  return b;
}

/** Own (tier-1) net sales and completed orders over the rolling period. */
async function levelStats(openid: string, since: number): Promise<{ netSalesFen: number; completedOrders: number }> {
  const $ = db().command.aggregate;
  const _ = cmd();
  const r = await db()
    .collection('orders')
    .aggregate()
    .match({ 'commission.beneficiaries.0.openid': openid, status: 'completed', completedAt: _.gte(since) })
    .group({ _id: null, net: $.sum($.subtract(['$payableFen', $.add(['$shippingFen', '$refundedFen'])])), n: $.sum(1) })
    .limit(1)
    .end();
  const row = (r.list ?? [])[0] as { net?: number; n?: number } | undefined;
  return { netSalesFen: Math.max(0, row?.net ?? 0), completedOrders: row?.n ?? 0 };
}

export async function me(openid: string, now: number): Promise<Result<Record<string, unknown>>> {
  const settings = await loadDistributionSettings(now);
  const common = { approval: settings.approval, enabled: settings.enabled, withdrawal: settings.withdrawal };
  let d = await getDistributor(openid);
  if (!d) return ok({ isDistributor: false, status: 'none', code: '', level: null, nextLevel: null, progress: [], balances: null, ...common });
  const periodDays = Math.max(1, ...settings.levels.map((l) => l.upgrade?.periodDays ?? 0));
  const [stats, balances, inviter] = await Promise.all([
    levelStats(openid, now - periodDays * DAY_MS),
    balancesOf(openid),
    d.inviterId ? db().collection('users').doc(d.inviterId).get() : Promise.resolve({ data: null }),
  ]);
  const override = (d as DistributorDoc & { levelOverride?: boolean }).levelOverride ? d.levelId : null;
  const ev = evaluateLevel({ levels: settings.levels, currentLevelId: d.levelId, stats, manualOverride: override });
  if (d.status === 'active' && ev.levelId !== d.levelId) {
    // upgrade by own sales (never head-count); conditional on the level we read
    const _ = cmd();
    const u = await db()
      .collection('distributors')
      .where({ _id: openid, levelId: d.levelId })
      .update({ data: { levelId: ev.levelId, levelHistory: _.push([{ from: d.levelId, to: ev.levelId, reason: '达到升级条件', by: 'system', at: now }]) } });
    if ((u?.stats?.updated ?? 0) > 0) {
      logEvent('distributor_upgraded', { openid, from: d.levelId, to: ev.levelId });
      d = { ...d, levelId: ev.levelId };
    }
  }
  const level = settings.levels.find((l) => l.id === d!.levelId) ?? null;
  const next = ev.progress.next;
  const progress = next
    ? [
        { label: '推广净销售额', key: 'netSalesFen', current: next.netSalesFen.have, target: next.netSalesFen.need, money: true },
        { label: '已完成订单', key: 'completedOrders', current: next.completedOrders.have, target: next.completedOrders.need, money: false },
      ]
    : [];
  const inv = (inviter as { data: UserLite | null }).data;
  return ok({
    isDistributor: true,
    status: d.status,
    code: d.code,
    joinedAt: d.joinedAt,
    level: level ? { id: level.id, name: level.name, tier1Bp: level.tier1Bp, tier2Bp: level.tier2Bp } : { id: d.levelId, name: d.levelId },
    nextLevel: next ? { id: next.id, name: next.name } : null,
    progress,
    periodDays: next?.periodDays ?? null,
    stats,
    balances,
    inviter: d.inviterId ? { openid: d.inviterId, nickname: inv?.nickname ?? '' } : null,
    ...common,
  });
}

export async function team(openid: string, page: number, now: number) {
  const r = await db()
    .collection('distributors')
    .where({ inviterId: openid })
    .orderBy('joinedAt', 'desc')
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .field({ code: true, status: true, levelId: true, joinedAt: true })
    .get();
  const rows = (r.data as DistributorDoc[]) ?? [];
  const [users, settings] = await Promise.all([usersById(rows.map((x) => x._id)), loadDistributionSettings(now)]);
  const items = rows.slice(0, PAGE_SIZE).map((x) => ({
    openid: x._id,
    nickname: users.get(x._id)?.nickname ?? '',
    avatar: users.get(x._id)?.avatar ?? '',
    code: x.code,
    status: x.status,
    levelId: x.levelId,
    levelName: settings.levels.find((l) => l.id === x.levelId)?.name ?? x.levelId,
    joinedAt: x.joinedAt,
  }));
  return { items, hasMore: rows.length > PAGE_SIZE, page };
}

export async function buyers(openid: string, page: number, now: number) {
  const r = await db()
    .collection('bindings')
    .where({ distributorId: openid })
    .orderBy('boundAt', 'desc')
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .get();
  const rows = (r.data as { _id: string; source: string; boundAt: number; expiresAt: number | null }[]) ?? [];
  const users = await usersById(rows.map((x) => x._id));
  const items = rows.slice(0, PAGE_SIZE).map((b) => ({
    openid: b._id,
    nickname: users.get(b._id)?.nickname ?? '',
    avatar: users.get(b._id)?.avatar ?? '',
    source: b.source,
    boundAt: b.boundAt,
    expiresAt: b.expiresAt,
    active: b.expiresAt === null || now < b.expiresAt,
  }));
  return { items, hasMore: rows.length > PAGE_SIZE, page };
}

/** Orders of the buyers I serve (or where I earned): snapshot reasons + my entries and their states. */
export async function orders(openid: string, page: number) {
  const _ = cmd();
  const r = await db()
    .collection('orders')
    .where(_.or([{ 'commission.binding.distributorId': openid }, { 'commission.beneficiaries.openid': openid }]))
    .orderBy('createdAt', 'desc')
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .field({ openid: true, status: true, payableFen: true, refundedFen: true, createdAt: true, paidAt: true, lines: true, commission: true })
    .get();
  const rows = ((r.data as CommissionOrderDoc[]) ?? []).slice(0, PAGE_SIZE);
  const ids = rows.map((o) => o._id);
  const [entriesRes, users] = await Promise.all([
    ids.length ? db().collection('commissions').where({ orderId: _.in(ids), beneficiary: openid }).limit(1000).get() : Promise.resolve({ data: [] }),
    usersById(rows.map((o) => o.openid)),
  ]);
  const byOrder = new Map<string, CommissionEntry[]>();
  for (const e of (entriesRes.data as CommissionEntry[]) ?? []) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e]);
  const items = rows.map((o) => {
    const entries = (byOrder.get(o._id) ?? []).map((e) => ({ _id: e._id, lineId: e.lineId, tier: e.tier, kind: e.kind, amountFen: e.amountFen, state: e.state }));
    const reasons = [...(o.commission?.reasons ?? [])];
    if ((o.refundedFen ?? 0) > 0) reasons.push({ code: 'REFUNDED', message: COMMISSION_REASON_MESSAGES.REFUNDED });
    const amountFen = entries.reduce((s, e) => s + e.amountFen, 0);
    return {
      orderId: o._id,
      buyer: o.openid,
      buyerName: users.get(o.openid)?.nickname ?? '',
      status: o.status,
      payableFen: o.payableFen,
      createdAt: o.createdAt,
      title: o.lines[0]?.title ?? '',
      image: o.lines[0]?.image ?? '',
      lines: o.lines.map((l) => ({ lineId: l.lineId, title: l.title, qty: l.qty, payable: l.payable, refundedQty: l.refundedQty })),
      amountFen,
      entries,
      reasons,
      earned: amountFen > 0,
    };
  });
  return { items, hasMore: ((r.data as unknown[]) ?? []).length > PAGE_SIZE, page };
}

export async function commissions(openid: string, state: string | undefined, page: number) {
  const where: Record<string, unknown> = { beneficiary: openid };
  if (state) where.state = state;
  const r = await db()
    .collection('commissions')
    .where(where)
    .orderBy('createdAt', 'desc')
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .get();
  const rows = (r.data as CommissionEntry[]) ?? [];
  return { items: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE, page };
}

/** Ranking by commission earned this month (all unreversed states), one aggregate. */
export async function ranking(openid: string, now: number) {
  const $ = db().command.aggregate;
  const _ = cmd();
  const month = periodBounds(periodKey(now, 'monthly'));
  const r = await db()
    .collection('commissions')
    .aggregate()
    .match({ createdAt: _.gte(month.startMs).and(_.lt(month.endMs)) })
    .group({ _id: '$beneficiary', amountFen: $.sum('$amountFen') })
    .sort({ amountFen: -1 })
    .limit(200)
    .end();
  const all = ((r.list ?? []) as { _id: string; amountFen: number }[]).filter((x) => x.amountFen > 0);
  const top = all.slice(0, 20);
  const users = await usersById([...top.map((x) => x._id), openid]);
  const row = (x: { _id: string; amountFen: number }, i: number) => ({
    rank: i + 1,
    openid: x._id,
    nickname: users.get(x._id)?.nickname ?? '',
    avatar: users.get(x._id)?.avatar ?? '',
    amountFen: x.amountFen,
    me: x._id === openid,
  });
  const idx = all.findIndex((x) => x._id === openid);
  return { period: month.key, items: top.map(row), mine: idx >= 0 ? row(all[idx], idx) : null };
}

export async function withdrawals(openid: string, page: number) {
  const r = await db()
    .collection('withdrawals')
    .where({ openid })
    .orderBy('createdAt', 'desc')
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .get();
  const rows = (r.data as unknown[]) ?? [];
  return { items: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE, page };
}

/** Share surfaces + a 小程序码 PNG (generated once per code+product, kept in storage). */
export async function share(d: DistributorDoc, productId: string | undefined, now: number) {
  const target = { code: d.code, productId };
  let scene: string;
  try {
    scene = buildScene(target);
  } catch {
    scene = buildScene({ code: d.code }); // product id too long for the 32-char scene: the home page
  }
  const cloudPath = `wxacode/${d.code}${productId && scene.includes('&p=') ? `-${productId}` : ''}.png`;
  const cloud = sdk();
  let fileID = '';
  let tempFileURL = '';
  // an earlier upload is remembered on the distributor doc: ask for its URL first (a hit = no openapi call)
  const known = (d as DistributorDoc & { qrcodes?: Record<string, string> }).qrcodes?.[cloudPath.replace(/[./]/g, '_')];
  for (const id of [known].filter((x): x is string => !!x)) {
    try {
      const t = (await cloud.getTempFileURL({ fileList: [id] })) as { fileList?: unknown[] } | void;
      const f = t?.fileList?.[0] as { tempFileURL?: string; status?: number } | undefined;
      if (f?.tempFileURL) {
        fileID = id;
        tempFileURL = f.tempFileURL;
        break;
      }
    } catch {
      /* not cached */
    }
  }
  if (!fileID) {
    const img = (await (cloud as unknown as { openapi: { wxacode: { getUnlimited(x: unknown): Promise<{ buffer: Buffer; contentType?: string }> } } }).openapi.wxacode.getUnlimited({
      scene,
      page: 'pages/index/index',
      checkPath: false,
    })) as { buffer: Buffer };
    const up = await cloud.uploadFile({ cloudPath, fileContent: img.buffer });
    fileID = up.fileID;
    await db()
      .collection('distributors')
      .doc(d._id)
      .update({ data: { [`qrcodes.${cloudPath.replace(/[./]/g, '_')}`]: fileID } });
    const t = (await cloud.getTempFileURL({ fileList: [fileID] })) as { fileList?: unknown[] } | void;
    tempFileURL = (t?.fileList?.[0] as { tempFileURL?: string } | undefined)?.tempFileURL ?? '';
  }
  const expectedFen = productId ? await expectedCommission(d, productId, now) : null;
  return {
    expectedFen,
    code: d.code,
    path: sharePath(target),
    query: shareQuery(target),
    scene,
    qrcode: { fileID, url: tempFileURL },
    fileID,
    qrcodeUrl: tempFileURL,
    title: '好物推荐，一起来逛逛',
  };
}

/** Shared setup for the distribution integration tests (not a test file itself). */
import { defaultDistributionSettings, type DistributionSettings } from '../../core/distribution/settings';
import { call, rid, type LocalCloud } from '../helpers/cloud';
import { addressDoc, MERCHANT } from '../helpers/fixtures';

export const DAY = 86_400_000;

export function distSettings(patch: Partial<DistributionSettings> = {}): DistributionSettings {
  return {
    ...defaultDistributionSettings(),
    settlement: { cycle: 'daily', mode: 'auto' },
    freezeDays: 7,
    withdrawal: { minFen: 100, dailyLimitFen: 10000, autoApproveBelowFen: 5000 },
    ...patch,
  };
}

/** Writes the settings doc and lets every warm instance's 30 s cache expire. */
export async function useDistSettings(lc: LocalCloud, patch: Partial<DistributionSettings> = {}): Promise<void> {
  if (lc.db.get('settings', 'distribution')) lc.db.remove('settings', 'distribution');
  lc.db.insert('settings', { _id: 'distribution', ...distSettings(patch) });
  await lc.clock.advance(31_000);
}

/** A distributor straight into the database (status active unless given). */
export function mkDistributor(
  lc: LocalCloud,
  openid: string,
  code: string,
  opts: { inviter?: string; levelId?: string; status?: string } = {},
): void {
  const inviterDoc = opts.inviter ? lc.db.get('distributors', opts.inviter) : null;
  const ancestors = inviterDoc ? [inviterDoc._id, ...(inviterDoc.ancestors ?? [])] : [];
  lc.db.insert('distributors', {
    _id: openid,
    code,
    status: opts.status ?? 'active',
    levelId: opts.levelId ?? 'normal',
    inviterId: opts.inviter ?? null,
    ancestors,
    joinedAt: lc.clock.now(),
    levelHistory: [],
  });
  lc.db.insert('distributor_codes', { _id: code, openid, createdAt: lc.clock.now() });
  if (!lc.db.get('users', openid)) lc.db.insert('users', { _id: openid, nickname: `用户${openid.slice(-4)}`, avatar: '', roles: [], createdAt: 0 });
}

export function ensureBuyer(lc: LocalCloud, openid: string): void {
  if (!lc.db.get('users', openid)) lc.db.insert('users', { _id: openid, nickname: `买家${openid.slice(-4)}`, avatar: '', roles: [], createdAt: 0 });
  if (!lc.db.get('addresses', `addr_${openid}`)) lc.db.insert('addresses', addressDoc(openid));
}

export async function createOrder(lc: LocalCloud, buyer: string, lines: { skuId: string; qty: number }[]): Promise<string> {
  ensureBuyer(lc, buyer);
  const r = await call(lc, 'order', 'create', { requestId: rid(), lines, addressId: `addr_${buyer}` }, buyer);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data.order._id;
}

export async function paidOrder(lc: LocalCloud, buyer: string, lines: { skuId: string; qty: number }[]): Promise<string> {
  const id = await createOrder(lc, buyer, lines);
  const p = await lc.pay(id);
  if (!p.delivered) throw new Error('payment not delivered');
  return id;
}

export async function completeOrder(lc: LocalCloud, orderId: string, buyer: string): Promise<void> {
  const s = await call(lc, 'admin', 'orders.ship', { id: orderId, carrier: '顺丰', trackingNo: `SF${Date.now().toString().slice(-9)}` }, MERCHANT);
  if (!s.ok) throw new Error(JSON.stringify(s));
  const c = await call(lc, 'order', 'confirm', { id: orderId }, buyer);
  if (!c.ok) throw new Error(JSON.stringify(c));
}

export function entriesOf(lc: LocalCloud, orderId: string): any[] {
  return lc.db.find('commissions', { orderId }, { sort: { _id: 1 } });
}

export async function bind(lc: LocalCloud, buyer: string, code: string, source = 'share_card') {
  ensureBuyer(lc, buyer);
  return call(lc, 'distribution', 'bind', { code, source }, buyer);
}

/** Runs settleCommissions as its timer would (optionally with tuning knobs). */
export async function settle(lc: LocalCloud, knobs: Record<string, unknown> = {}): Promise<any> {
  const out = await lc.invokeRaw('settleCommissions', { Type: 'Timer', ...knobs }, { source: 'wx_trigger' });
  if (!out.ok) throw new Error(out.error.message);
  return out.result;
}

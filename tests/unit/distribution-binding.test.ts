import {
  ancestorsFor,
  bindingActive,
  canRecruit,
  checkInviter,
  decideBinding,
  DEFAULT_DISTRIBUTION_SETTINGS,
  relationshipReport,
  type Binding,
  type BindingCandidate,
  type BindingPolicy,
  type BindingSource,
} from '../../core/distribution';
import { DAY_MS } from '../../core/time';
import { fc, fcParams } from './fc-setup';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const policy = (over: Partial<BindingPolicy> = {}): BindingPolicy => ({ ...DEFAULT_DISTRIBUTION_SETTINGS.binding, ...over });
const cand = (openid: string, ancestors: string[] = [], status: BindingCandidate['status'] = 'active'): BindingCandidate => ({ openid, ancestors, status });
const bound = (distributorId: string, over: Partial<Binding> = {}): Binding => ({
  distributorId,
  source: 'share_card',
  boundAt: NOW - DAY_MS,
  expiresAt: null,
  protectedUntil: null,
  ...over,
});
const decide = (over: Partial<Parameters<typeof decideBinding>[0]> = {}) =>
  decideBinding({ buyer: 'buyer', candidate: cand('X'), current: null, source: 'share_card', policy: policy(), now: NOW, trigger: 'visit', ...over });

describe('decideBinding — always', () => {
  it('nobody binds to themselves', () => {
    const d = decide({ buyer: 'X', candidate: cand('X') });
    expect(d).toMatchObject({ action: 'refuse', reason: 'SELF' });
    expect(d.message).toMatch(/不能绑定自己/);
  });
  it('nobody binds to their own downline (full ancestor chain, not only the direct inviter)', () => {
    expect(decide({ candidate: cand('X', ['buyer']) })).toMatchObject({ action: 'refuse', reason: 'DOWNLINE' });
    expect(decide({ candidate: cand('X', ['p', 'q', 'buyer']) })).toMatchObject({ action: 'refuse', reason: 'DOWNLINE' });
    // also for a merchant move
    expect(decide({ candidate: cand('X', ['p', 'buyer']), source: 'merchant' })).toMatchObject({ action: 'refuse', reason: 'DOWNLINE' });
  });
  it('only active distributors', () => {
    for (const s of ['pending', 'frozen', 'rejected'] as const) expect(decide({ candidate: cand('X', [], s) })).toMatchObject({ action: 'refuse', reason: 'INACTIVE' });
  });
});

describe('decideBinding — policy', () => {
  it('first touch binds; "expiring" sets expiresAt = now + expireDays and nothing is protected', () => {
    const d = decide();
    expect(d.action).toBe('bind');
    expect(d.binding).toEqual({ distributorId: 'X', source: 'share_card', boundAt: NOW, expiresAt: NOW + 30 * DAY_MS, protectedUntil: null });
  });

  it('trigger mismatch keeps: a first_order policy ignores visits', () => {
    expect(decide({ policy: policy({ trigger: 'first_order' }) })).toMatchObject({ action: 'keep', reason: 'TRIGGER_MISMATCH' });
    expect(decide({ policy: policy({ trigger: 'first_order' }), trigger: 'first_order' }).action).toBe('bind');
  });

  it('"permanent": the first binding wins forever', () => {
    const p = policy({ model: 'permanent' });
    const first = decide({ policy: p }).binding as Binding;
    expect(first.expiresAt).toBeNull();
    expect(bindingActive(first, NOW + 10000 * DAY_MS)).toBe(true);
    expect(decide({ policy: p, current: first, candidate: cand('Y'), now: NOW + 1000 * DAY_MS })).toMatchObject({ action: 'keep', reason: 'ALREADY_BOUND' });
  });

  it('"expiring": others cannot take the buyer until it expires, then a new touch binds', () => {
    const first = decide().binding as Binding;
    expect(decide({ current: first, candidate: cand('Y'), now: NOW + 30 * DAY_MS - 1 })).toMatchObject({ action: 'keep', reason: 'ALREADY_BOUND' });
    const after = decide({ current: first, candidate: cand('Y'), now: NOW + 30 * DAY_MS });
    expect(after).toMatchObject({ action: 'rebind', reason: 'EXPIRED_REBIND' });
    expect(after.binding?.distributorId).toBe('Y');
    // the same distributor touching again does not extend the binding
    expect(decide({ current: first, now: NOW + DAY_MS })).toMatchObject({ action: 'keep', reason: 'SAME_DISTRIBUTOR' });
  });

  it('"last_touch": a new touch rebinds unless within the protection period', () => {
    const p = policy({ model: 'last_touch', protectDays: 7 });
    const first = decide({ policy: p }).binding as Binding;
    expect(first).toMatchObject({ expiresAt: null, protectedUntil: NOW + 7 * DAY_MS });
    expect(decide({ policy: p, current: first, candidate: cand('Y'), now: NOW + 7 * DAY_MS - 1 })).toMatchObject({ action: 'keep', reason: 'PROTECTED' });
    const r = decide({ policy: p, current: first, candidate: cand('Y'), now: NOW + 7 * DAY_MS });
    expect(r).toMatchObject({ action: 'rebind', reason: 'LAST_TOUCH_REBIND' });
    expect(r.binding?.protectedUntil).toBe(NOW + 14 * DAY_MS);
  });

  it('a store QR rebinds an active binding only when storeScanRebinds', () => {
    const current = bound('X');
    expect(decide({ current, candidate: cand('S'), source: 'store_qr' })).toMatchObject({ action: 'keep', reason: 'STORE_SCAN_NO_REBIND' });
    expect(decide({ current, candidate: cand('S'), source: 'store_qr', policy: policy({ storeScanRebinds: true }) })).toMatchObject({
      action: 'rebind',
      reason: 'STORE_SCAN_REBIND',
    });
    expect(decide({ candidate: cand('S'), source: 'store_qr' }).action).toBe('bind');
  });

  it('a merchant move always rebinds (with the cycle checks)', () => {
    const r = decide({ current: bound('X', { protectedUntil: NOW + DAY_MS }), candidate: cand('M'), source: 'merchant' });
    expect(r).toMatchObject({ action: 'rebind', reason: 'MERCHANT_MOVE' });
    expect(r.binding?.source).toBe('merchant');
  });
});

describe('recruiting', () => {
  it('ancestorsFor = [inviter, ...inviter.ancestors]; self and cycles are refused', () => {
    expect(ancestorsFor({ openid: 'B', ancestors: ['A'] })).toEqual(['B', 'A']);
    expect(checkInviter({ joiner: 'C', inviter: { openid: 'B', ancestors: ['A'] } })).toEqual({ ok: true, data: { ancestors: ['B', 'A'] } });
    const self = checkInviter({ joiner: 'B', inviter: { openid: 'B', ancestors: [] } });
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self).toMatchObject({ code: 'INVITE_REFUSED', message: expect.stringMatching(/自己/) });
    expect(checkInviter({ joiner: 'A', inviter: { openid: 'C', ancestors: ['B', 'A'] } }).ok).toBe(false);
    expect(canRecruit('A', { openid: 'C', ancestors: ['B', 'A'] })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties over random invite graphs

function must(cond: boolean, what: string): void {
  if (!cond) throw new Error(`violated: ${what}`);
}

/** Walks parent pointers from `n`; returns the chain (nearest first) or null on a cycle. */
function chainOf(parent: Map<string, string | null>, n: string): string[] | null {
  const out: string[] = [];
  let cur = parent.get(n) ?? null;
  while (cur !== null) {
    if (out.includes(cur) || cur === n) return null;
    out.push(cur);
    cur = parent.get(cur) ?? null;
  }
  return out;
}

const N = 8;
const node = fc.integer({ min: 0, max: N - 1 }).map((i) => `d${i}`);
const opArb = fc.oneof(
  // x asks to be recruited by y (x may already be a root distributor with a downline)
  fc.record({ kind: fc.constant('invite' as const), x: node, y: node }),
  // buyer b touches a share of distributor c
  fc.record({
    kind: fc.constant('touch' as const),
    x: node,
    y: node,
    dt: fc.integer({ min: 0, max: 40 * DAY_MS }),
    source: fc.constantFrom<BindingSource>('share_card', 'moments', 'qrcode', 'store_qr', 'code', 'merchant'),
  }),
);

describe('properties: random invite graphs and binding attempts', () => {
  it('the invite graph stays acyclic; no buyer is ever bound to themselves or to their own downline', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom<BindingPolicy['model']>('permanent', 'expiring', 'last_touch'),
        fc.boolean(),
        (ops, model, storeScanRebinds) => {
          const parent = new Map<string, string | null>();
          for (let i = 0; i < N; i++) parent.set(`d${i}`, null);
          const ancestors = (n: string) => chainOf(parent, n) as string[];
          const bindings = new Map<string, Binding>();
          const p = policy({ model, storeScanRebinds, expireDays: 10, protectDays: 3 });
          let now = NOW;
          for (const op of ops) {
            if (op.kind === 'invite') {
              // only a distributor without an inviter may take one (joining); chains are derived from parents
              if (parent.get(op.x) !== null) continue;
              const r = checkInviter({ joiner: op.x, inviter: { openid: op.y, ancestors: ancestors(op.y) } });
              const wouldCycle = op.x === op.y || ancestors(op.y).includes(op.x);
              must(r.ok === !wouldCycle, 'checkInviter refuses exactly the cycles');
              if (r.ok) {
                parent.set(op.x, op.y);
                must(JSON.stringify(r.data.ancestors) === JSON.stringify(ancestors(op.x)), 'ancestorsFor = the parent chain');
              }
              for (const n of parent.keys()) must(chainOf(parent, n) !== null, 'acyclic');
            } else {
              now += op.dt;
              const buyer = op.x;
              const d = decideBinding({
                buyer,
                candidate: { openid: op.y, status: 'active', ancestors: ancestors(op.y) },
                current: bindings.get(buyer) ?? null,
                source: op.source,
                policy: p,
                now,
                trigger: 'visit',
              });
              if (d.action === 'bind' || d.action === 'rebind') {
                const b = d.binding as Binding;
                must(b.distributorId === op.y, 'binds the candidate');
                must(b.distributorId !== buyer, 'never self');
                // independent check: the binder is not in the buyer's downline (walk parent pointers of the binder)
                must(!(chainOf(parent, b.distributorId) as string[]).includes(buyer), 'never to own downline');
                must(bindingActive(b, now), 'a new binding is active');
                bindings.set(buyer, b);
              } else {
                must(d.binding === undefined, 'keep/refuse carries no binding');
                if (d.action === 'refuse') must(op.y === buyer || ancestors(op.y).includes(buyer), 'refuses only self/downline');
              }
            }
          }
        },
      ),
      fcParams(),
    );
  });
});

describe('relationshipReport', () => {
  it('counts depths and flags chains that are stale, cyclic or self-referencing', () => {
    const ok = relationshipReport([
      { openid: 'A', inviterId: null, ancestors: [] },
      { openid: 'B', inviterId: 'A', ancestors: ['A'] },
      { openid: 'C', inviterId: 'B', ancestors: ['B', 'A'] },
      { openid: 'D', inviterId: 'B', ancestors: ['B', 'A'] },
    ]);
    expect(ok).toEqual({ total: 4, maxDepth: 3, byDepth: { 1: 1, 2: 1, 3: 2 }, inconsistent: [] });
    const bad = relationshipReport([
      { openid: 'A', inviterId: 'C', ancestors: ['C', 'B'] }, // cycle A→C→B→A
      { openid: 'B', inviterId: 'A', ancestors: ['A'] },
      { openid: 'C', inviterId: 'B', ancestors: ['B', 'A'] },
      { openid: 'E', inviterId: 'F', ancestors: [] }, // stale
      { openid: 'F', inviterId: null, ancestors: [] },
    ]);
    expect(bad.inconsistent.sort()).toEqual(['A', 'B', 'C', 'E']);
  });
});

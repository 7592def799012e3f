import {
  availableBalance,
  balancesByState,
  BATCH_TRANSITIONS,
  batchId,
  batchTransition,
  checkWithdrawal,
  COMMISSION_STATES,
  commissionTransition,
  DEFAULT_DISTRIBUTION_SETTINGS,
  eligibleForBatch,
  entryId,
  evaluateLevel,
  freezeOver,
  freezeUntil,
  holdsFunds,
  initialBatchStatus,
  isForward,
  parseEntryId,
  settlementPeriod,
  statementsFor,
  WITHDRAWAL_STATUSES,
  WITHDRAWAL_TRANSITIONS,
  withdrawalTransition,
  type CommissionState,
} from '../../core/distribution';
import { DAY_MS, periodBounds, periodKey, shanghaiTime } from '../../core/time';
import { fc, fcParams } from './fc-setup';

describe('commission ledger', () => {
  it('states only move forward, one step at a time through the table', () => {
    expect(commissionTransition('pending', 'frozen')).toEqual({ ok: true, data: 'frozen' });
    expect(commissionTransition('frozen', 'settleable').ok).toBe(true);
    expect(commissionTransition('settleable', 'settled').ok).toBe(true);
    for (const from of COMMISSION_STATES) {
      for (const to of COMMISSION_STATES) {
        if (!isForward(from, to)) {
          const r = commissionTransition(from, to);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.code).toBe('ILLEGAL_TRANSITION');
        }
      }
    }
    expect(isForward('settled', 'pending')).toBe(false);
    expect(isForward('pending', 'settleable')).toBe(true);
  });

  it('entry ids are deterministic and parse back', () => {
    expect(entryId('o1', 'L2', 1, 'accrue')).toBe('o1:L2:T1:accrue');
    expect(entryId('o1', 'L2', 2, 'rev-as9')).toBe('o1:L2:T2:rev-as9');
    expect(parseEntryId('o1:L2:T2:claw-as9')).toEqual({ orderId: 'o1', lineId: 'L2', tier: 2, event: 'claw-as9' });
    expect(parseEntryId('o1:L2:T3:accrue')).toBeNull();
  });

  it('freeze: completion + freezeDays, and only without an open after-sale', () => {
    const done = shanghaiTime(2026, 11, 1, 10);
    const until = freezeUntil(done, 7);
    expect(until).toBe(done + 7 * DAY_MS);
    expect(freezeOver({ state: 'frozen', freezeUntil: until }, until - 1)).toBe(false);
    expect(freezeOver({ state: 'frozen', freezeUntil: until }, until)).toBe(true);
    expect(freezeOver({ state: 'frozen', freezeUntil: until }, until, true)).toBe(false);
    expect(freezeOver({ state: 'pending' }, until)).toBe(false);
    expect(() => freezeUntil(done, -1)).toThrow();
  });

  it('balances by state are signed sums; available = settled − withdrawn (may go negative)', () => {
    const b = balancesByState([
      { state: 'pending', amountFen: 1000 },
      { state: 'pending', amountFen: -1000 },
      { state: 'frozen', amountFen: 500 },
      { state: 'settleable', amountFen: -30 },
      { state: 'settled', amountFen: 700 },
    ]);
    expect(b).toEqual({ pending: 0, frozen: 500, settleable: -30, settled: 700 });
    expect(Object.is(b.pending, -0)).toBe(false);
    expect(availableBalance(700, 800)).toBe(-100);
    expect(() => balancesByState([{ state: 'settled', amountFen: 1.5 }])).toThrow();
  });

  it('Σ balances equals Σ entries for any ledger (property)', () => {
    const entry = fc.record({ state: fc.constantFrom<CommissionState>(...COMMISSION_STATES), amountFen: fc.integer({ min: -1_000_000, max: 1_000_000 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (es) => {
        const b = balancesByState(es);
        const total = es.reduce((a, e) => a + e.amountFen, 0);
        if (b.pending + b.frozen + b.settleable + b.settled !== total) throw new Error('sum');
      }),
      fcParams(),
    );
  });
});

describe('settlement', () => {
  it('a Monday 00:30 +08:00 belongs to the new week: the closed period is the week before', () => {
    const mondayEarly = shanghaiTime(2026, 11, 23, 0, 30); // Mon 23 Nov 2026, 00:30 Shanghai (Sun 16:30 UTC)
    const p = settlementPeriod(mondayEarly, 'weekly');
    expect(p.key).toBe('2026-W47');
    expect(p.start).toBe(shanghaiTime(2026, 11, 16));
    expect(p.end).toBe(shanghaiTime(2026, 11, 23));
    // one minute before midnight Sunday → still the week before that
    expect(settlementPeriod(shanghaiTime(2026, 11, 22, 23, 59), 'weekly').key).toBe('2026-W46');
  });

  it('daily and monthly periods close at Shanghai midnight, not UTC', () => {
    const justAfter = shanghaiTime(2026, 12, 1, 0, 5); // 30 Nov 16:05 UTC
    expect(settlementPeriod(justAfter, 'daily')).toEqual({ key: '2026-11-30', start: shanghaiTime(2026, 11, 30), end: shanghaiTime(2026, 12, 1) });
    expect(settlementPeriod(justAfter, 'monthly')).toEqual({ key: '2026-11', start: shanghaiTime(2026, 11, 1), end: shanghaiTime(2026, 12, 1) });
    expect(settlementPeriod(shanghaiTime(2027, 1, 1, 0, 0), 'monthly').key).toBe('2026-12');
    expect(batchId('2026-W47')).toBe('settle:2026-W47');
  });

  it('the closed period always ends at or before now and the next starts after it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom('daily', 'weekly', 'monthly' as const), (now, cycle) => {
        const p = settlementPeriod(now, cycle);
        if (!(p.start < p.end && p.end <= now)) throw new Error('not closed');
        // the period containing now starts exactly at p.end (no gap, no overlap)
        const cur = periodBounds(periodKey(now, cycle));
        if (cur.startMs !== p.end || !(cur.startMs <= now && now < cur.endMs)) throw new Error('gap');
      }),
      fcParams(),
    );
  });

  it('batch transitions: manual proposed → approved | rejected → …; auto starts at marking', () => {
    expect(initialBatchStatus('auto')).toBe('marking');
    expect(initialBatchStatus('manual')).toBe('proposed');
    expect(batchTransition('proposed', 'approved').ok).toBe(true);
    expect(batchTransition('proposed', 'rejected').ok).toBe(true);
    expect(batchTransition('approved', 'marking').ok).toBe(true);
    expect(batchTransition('marking', 'marked').ok).toBe(true);
    expect(batchTransition('marked', 'done').ok).toBe(true);
    expect(batchTransition('proposed', 'marking').ok).toBe(false);
    expect(batchTransition('done', 'marking').ok).toBe(false);
    expect(batchTransition('rejected', 'approved').ok).toBe(false);
    expect(BATCH_TRANSITIONS.done).toEqual([]);
  });

  it('only settleable entries whose freeze ended by the cutoff, not yet in a batch, are eligible', () => {
    const cutoff = 1000;
    expect(eligibleForBatch({ state: 'settleable', freezeUntil: 1000 }, cutoff)).toBe(true);
    expect(eligibleForBatch({ state: 'settleable', freezeUntil: 1001 }, cutoff)).toBe(false);
    expect(eligibleForBatch({ state: 'settleable' }, cutoff)).toBe(true); // clawback
    expect(eligibleForBatch({ state: 'frozen', freezeUntil: 0 }, cutoff)).toBe(false);
    expect(eligibleForBatch({ state: 'settleable', freezeUntil: 0, batchId: 'settle:x' }, cutoff)).toBe(false);
  });

  it('statements: per distributor signed sums by tier', () => {
    expect(
      statementsFor([
        { beneficiary: 'b', tier: 1, amountFen: 100 },
        { beneficiary: 'a', tier: 2, amountFen: 50 },
        { beneficiary: 'b', tier: 1, amountFen: -30 },
        { beneficiary: 'b', tier: 2, amountFen: 7 },
      ]),
    ).toEqual([
      { openid: 'a', amountFen: 50, entries: 1, byTier: { 1: 0, 2: 50 } },
      { openid: 'b', amountFen: 77, entries: 3, byTier: { 1: 70, 2: 7 } },
    ]);
  });
});

describe('withdrawals', () => {
  const settings = DEFAULT_DISTRIBUTION_SETTINGS;
  const check = (amountFen: number, balanceFen = 100000, withdrawnTodayFen = 0) => checkWithdrawal({ amountFen, balanceFen, withdrawnTodayFen, settings });

  it('state machine: nothing moves back, paid / rejected / failed are terminal', () => {
    expect(withdrawalTransition('pending_review', 'approved').ok).toBe(true);
    expect(withdrawalTransition('pending_review', 'rejected').ok).toBe(true);
    expect(withdrawalTransition('approved', 'paying').ok).toBe(true);
    expect(withdrawalTransition('paying', 'paid').ok).toBe(true);
    expect(withdrawalTransition('paying', 'failed').ok).toBe(true);
    for (const s of ['paid', 'rejected', 'failed'] as const) expect(WITHDRAWAL_TRANSITIONS[s]).toEqual([]);
    expect(withdrawalTransition('paid', 'paying').ok).toBe(false);
    expect(withdrawalTransition('approved', 'paid').ok).toBe(false); // never paid without going through paying
    expect(withdrawalTransition('failed', 'paying').ok).toBe(false);
    // 'paid' is reachable only from 'paying'
    for (const s of WITHDRAWAL_STATUSES) if (s !== 'paying') expect(WITHDRAWAL_TRANSITIONS[s]).not.toContain('paid');
    expect(holdsFunds('failed')).toBe(false);
    expect(holdsFunds('rejected')).toBe(false);
    expect(holdsFunds('paying')).toBe(true);
  });

  it('checks amount, minimum, balance and daily limit with Chinese messages; auto-approves below the threshold', () => {
    expect(check(100)).toEqual({ ok: true, data: { autoApprove: true } });
    expect(check(49999)).toEqual({ ok: true, data: { autoApprove: true } });
    expect(check(50000)).toEqual({ ok: true, data: { autoApprove: false } });
    const cases: [ReturnType<typeof check>, string, RegExp][] = [
      [check(99), 'WITHDRAWAL_BELOW_MIN', /不能低于¥1\.00/],
      [check(0), 'INVALID_INPUT', /大于0/],
      [check(-100), 'INVALID_INPUT', /大于0/],
      [check(150.5), 'INVALID_INPUT', /整数/],
      [check(200, 150), 'INSUFFICIENT_BALANCE', /最多可提现¥1\.50/],
      [check(200, 0), 'INSUFFICIENT_BALANCE', /暂无可提现余额/],
      [check(200, -500), 'INSUFFICIENT_BALANCE', /暂无可提现余额/],
      [check(100000, 5000000, 1950000), 'WITHDRAWAL_LIMIT_EXCEEDED', /今日还可提现¥500\.00/],
    ];
    for (const [r, code, msg] of cases) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe(code);
        expect(r.message).toMatch(msg);
      }
    }
    expect(check(50000, 5000000, 1950000).ok).toBe(true);
    // settings may be passed as the withdrawal block itself
    expect(checkWithdrawal({ amountFen: 100, balanceFen: 100, withdrawnTodayFen: 0, settings: settings.withdrawal }).ok).toBe(true);
  });

  it('an accepted request never exceeds the balance or the day limit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 3_000_000 }), fc.integer({ min: -100000, max: 3_000_000 }), fc.integer({ min: 0, max: 2_500_000 }), (amt, bal, today) => {
        const r = checkWithdrawal({ amountFen: amt, balanceFen: bal, withdrawnTodayFen: today, settings });
        if (r.ok && !(amt >= settings.withdrawal.minFen && amt <= bal && today + amt <= settings.withdrawal.dailyLimitFen)) throw new Error('accepted too much');
        if (!r.ok && amt >= settings.withdrawal.minFen && amt <= bal && today + amt <= settings.withdrawal.dailyLimitFen) throw new Error('refused a valid request');
      }),
      fcParams(),
    );
  });
});

describe('levels', () => {
  const levels = DEFAULT_DISTRIBUTION_SETTINGS.levels;
  it('upgrades by own net sales AND completed orders; shows progress to the next level', () => {
    expect(evaluateLevel({ levels, currentLevelId: 'normal', stats: { netSalesFen: 0, completedOrders: 0 } })).toEqual({
      levelId: 'normal',
      progress: { next: { id: 'senior', name: '高级', netSalesFen: { have: 0, need: 100000 }, completedOrders: { have: 0, need: 5 }, periodDays: 90 } },
    });
    expect(evaluateLevel({ levels, currentLevelId: 'normal', stats: { netSalesFen: 100000, completedOrders: 4 } }).levelId).toBe('normal');
    expect(evaluateLevel({ levels, currentLevelId: 'normal', stats: { netSalesFen: 100000, completedOrders: 5 } }).levelId).toBe('senior');
    const gold = evaluateLevel({ levels, currentLevelId: 'normal', stats: { netSalesFen: 600000, completedOrders: 30 } });
    expect(gold).toEqual({ levelId: 'gold', progress: {} });
  });
  it('never downgrades by evaluation; a manual override wins; unknown current = entry level', () => {
    expect(evaluateLevel({ levels, currentLevelId: 'gold', stats: { netSalesFen: 0, completedOrders: 0 } }).levelId).toBe('gold');
    expect(evaluateLevel({ levels, currentLevelId: 'gold', stats: { netSalesFen: 0, completedOrders: 0 }, manualOverride: { levelId: 'normal' } }).levelId).toBe('normal');
    expect(evaluateLevel({ levels, currentLevelId: 'nope', stats: { netSalesFen: 0, completedOrders: 0 } }).levelId).toBe('normal');
  });
});

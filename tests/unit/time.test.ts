import {
  addDays,
  DAY_MS,
  formatShanghai,
  isoWeek,
  periodBounds,
  periodKey,
  previousPeriodKey,
  shanghaiDayStart,
  shanghaiParts,
  shanghaiTime,
  type SettlementCycle,
} from '../../core/time';
import { fc, fcParams } from './fc-setup';

// 2026-01-01T00:00:00+08:00 = 2025-12-31T16:00:00Z
const NEW_YEAR_2026 = Date.UTC(2025, 11, 31, 16);

describe('Asia/Shanghai clock helpers', () => {
  it('a Shanghai day starts at 16:00 UTC of the previous UTC day', () => {
    expect(shanghaiDayStart(Date.UTC(2026, 0, 1, 15, 59))).toBe(NEW_YEAR_2026); // 23:59 Shanghai
    expect(shanghaiDayStart(Date.UTC(2026, 0, 1, 16, 0))).toBe(NEW_YEAR_2026 + DAY_MS); // 00:00 next day
    expect(shanghaiDayStart(NEW_YEAR_2026)).toBe(NEW_YEAR_2026);
  });

  it('formats in Shanghai time, not UTC or the machine zone', () => {
    expect(formatShanghai(NEW_YEAR_2026)).toBe('2026-01-01 00:00');
    expect(formatShanghai(NEW_YEAR_2026 - 1, 'YYYY-MM-DD HH:mm:ss')).toBe('2025-12-31 23:59:59');
    expect(formatShanghai(Date.UTC(2026, 5, 15, 4, 5, 6), 'YYYY/MM/DD HH:mm:ss')).toBe('2026/06/15 12:05:06');
  });

  it('shanghaiTime inverts shanghaiParts', () => {
    expect(shanghaiTime(2026, 1, 1)).toBe(NEW_YEAR_2026);
    expect(shanghaiParts(NEW_YEAR_2026)).toMatchObject({ year: 2026, month: 1, day: 1, hour: 0, weekday: 4 });
  });

  it('addDays adds whole 24-hour days', () => {
    expect(addDays(NEW_YEAR_2026, 7) - NEW_YEAR_2026).toBe(7 * DAY_MS);
    expect(addDays(NEW_YEAR_2026, -1)).toBe(NEW_YEAR_2026 - DAY_MS);
  });

  it('property: day start is ≤ ms, < 1 day before it, and formats as 00:00', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), (ms) => {
        const s = shanghaiDayStart(ms);
        return s <= ms && ms - s < DAY_MS && formatShanghai(s, 'HH:mm:ss') === '00:00:00' && shanghaiDayStart(s) === s;
      }),
      fcParams(),
    );
  });
});

describe('settlement periods', () => {
  it.each<[number, SettlementCycle, string]>([
    [NEW_YEAR_2026, 'daily', '2026-01-01'],
    [NEW_YEAR_2026 - 1, 'daily', '2025-12-31'],
    [NEW_YEAR_2026, 'monthly', '2026-01'],
    [NEW_YEAR_2026 - 1, 'monthly', '2025-12'],
    // 2026-01-01 is a Thursday → ISO week 1 of 2026 (Mon 2025-12-29 … Sun 2026-01-04)
    [NEW_YEAR_2026, 'weekly', '2026-W01'],
    [shanghaiTime(2025, 12, 29), 'weekly', '2026-W01'],
    [shanghaiTime(2025, 12, 28, 23, 59), 'weekly', '2025-W52'],
    // 2021-01-01 (Friday) belongs to 2020-W53
    [shanghaiTime(2021, 1, 1), 'weekly', '2020-W53'],
    [shanghaiTime(2021, 1, 4), 'weekly', '2021-W01'],
  ])('periodKey(%p, %p) === %p', (ms, cycle, key) => {
    expect(periodKey(ms, cycle)).toBe(key);
  });

  it('bounds of a week run Monday 00:00 to the next Monday 00:00 (Shanghai)', () => {
    const b = periodBounds('2026-W01');
    expect(b.cycle).toBe('weekly');
    expect(formatShanghai(b.startMs, 'YYYY-MM-DD HH:mm')).toBe('2025-12-29 00:00');
    expect(b.endMs - b.startMs).toBe(7 * DAY_MS);
    expect(shanghaiParts(b.startMs).weekday).toBe(1);
  });

  it('bounds of a month cover its days exactly (February of a leap year)', () => {
    const b = periodBounds('2028-02');
    expect(b.startMs).toBe(shanghaiTime(2028, 2, 1));
    expect(b.endMs).toBe(shanghaiTime(2028, 3, 1));
    expect((b.endMs - b.startMs) / DAY_MS).toBe(29);
  });

  it.each(['2026-13', '2026-02-30', '2026-W54', '2026-W00', '2026-1-1', 'x', '2027-W53'])('refuses malformed key %p', (k) => {
    expect(() => periodBounds(k)).toThrow(RangeError);
  });

  it('years starting on a Thursday have a week 53 (2020, 2026); 2027 has not', () => {
    expect(periodBounds('2020-W53').startMs).toBe(shanghaiTime(2020, 12, 28));
    expect(periodBounds('2026-W53').startMs).toBe(shanghaiTime(2026, 12, 28));
    expect(periodKey(shanghaiTime(2027, 1, 3), 'weekly')).toBe('2026-W53');
  });

  it('previousPeriodKey gives the last complete period', () => {
    expect(previousPeriodKey(NEW_YEAR_2026, 'daily')).toBe('2025-12-31');
    expect(previousPeriodKey(NEW_YEAR_2026, 'weekly')).toBe('2025-W52');
    expect(previousPeriodKey(NEW_YEAR_2026, 'monthly')).toBe('2025-12');
  });

  it('property: every instant lies in the bounds of its period key, periods are contiguous', () => {
    const cycles: SettlementCycle[] = ['daily', 'weekly', 'monthly'];
    fc.assert(
      fc.property(fc.integer({ min: 946684800000, max: 4102444800000 }), fc.constantFrom(...cycles), (ms, cycle) => {
        const key = periodKey(ms, cycle);
        const b = periodBounds(key);
        return (
          b.cycle === cycle &&
          b.key === key &&
          b.startMs <= ms &&
          ms < b.endMs &&
          periodKey(b.startMs, cycle) === key &&
          periodKey(b.endMs - 1, cycle) === key &&
          periodKey(b.endMs, cycle) !== key &&
          shanghaiDayStart(b.startMs) === b.startMs &&
          (cycle !== 'weekly' || shanghaiParts(b.startMs).weekday === 1)
        );
      }),
      fcParams(),
    );
  });

  it('property: isoWeek agrees with the definition (week of the Thursday of the same Mon–Sun week)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 946684800000, max: 4102444800000 }), (ms) => {
        const { isoYear, week } = isoWeek(ms);
        const p = shanghaiParts(ms);
        const thursday = shanghaiDayStart(ms) + (4 - p.weekday) * DAY_MS;
        const tp = shanghaiParts(thursday);
        const dayOfYear = Math.round((thursday - shanghaiTime(tp.year, 1, 1)) / DAY_MS);
        return isoYear === tp.year && week === Math.floor(dayOfYear / 7) + 1;
      }),
      fcParams(),
    );
  });
});

/**
 * Time in Asia/Shanghai (UTC+8, no daylight saving since 1991), as epoch milliseconds.
 *
 * The core never reads the clock: every function takes `ms` (or `now`) as a parameter. Calendar arithmetic
 * is done by shifting to "Shanghai wall time as UTC" and using the UTC getters, which is exact because the
 * offset is constant.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export type SettlementCycle = 'daily' | 'weekly' | 'monthly';

export interface ShanghaiParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
}

function assertMs(ms: unknown, field = 'ms'): asserts ms is number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new RangeError(`${field} must be a finite epoch ms`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Shanghai wall-clock fields of an instant. */
export function shanghaiParts(ms: number): ShanghaiParts {
  assertMs(ms);
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** The instant of a Shanghai wall-clock time (month 1–12). */
export function shanghaiTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) - SHANGHAI_OFFSET_MS;
}

/** 00:00 Shanghai time of the day containing `ms`. */
export function shanghaiDayStart(ms: number): number {
  assertMs(ms);
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** `ms` plus `n` days (exact: no DST in Shanghai). */
export function addDays(ms: number, n: number): number {
  assertMs(ms);
  return ms + n * DAY_MS;
}

/** `ms` plus `n` minutes. */
export function addMinutes(ms: number, n: number): number {
  assertMs(ms);
  return ms + n * MINUTE_MS;
}

/**
 * Formats an instant in Shanghai time. Tokens: YYYY MM DD HH mm ss (anything else is literal).
 * Default pattern 'YYYY-MM-DD HH:mm'.
 */
export function formatShanghai(ms: number, pattern = 'YYYY-MM-DD HH:mm'): string {
  const p = shanghaiParts(ms);
  return pattern.replace(/YYYY|MM|DD|HH|mm|ss/g, (t) => {
    switch (t) {
      case 'YYYY':
        return pad(p.year, 4);
      case 'MM':
        return pad(p.month);
      case 'DD':
        return pad(p.day);
      case 'HH':
        return pad(p.hour);
      case 'mm':
        return pad(p.minute);
      default:
        return pad(p.second);
    }
  });
}

/** ISO-8601 week of a Shanghai calendar date: the week-numbering year and week 1–53 (weeks start Monday). */
export function isoWeek(ms: number): { isoYear: number; week: number } {
  const dayStartUtc = shanghaiDayStart(ms) + SHANGHAI_OFFSET_MS; // wall-clock midnight as UTC
  const weekday = ((new Date(dayStartUtc).getUTCDay() + 6) % 7) + 1;
  const thursday = dayStartUtc + (4 - weekday) * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(isoYear, 0, 1);
  const week = Math.floor((thursday - jan1) / DAY_MS / 7) + 1;
  return { isoYear, week };
}

/** Monday 00:00 Shanghai of ISO week 1 of `isoYear`. */
function isoWeekOneStart(isoYear: number): number {
  const jan4 = Date.UTC(isoYear, 0, 4); // wall-clock as UTC
  const weekday = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
  return jan4 - (weekday - 1) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/**
 * The settlement period containing `ms`, as a key: daily 'YYYY-MM-DD', weekly 'YYYY-Www' (ISO week,
 * Monday start, ISO week-numbering year, e.g. '2026-W01'), monthly 'YYYY-MM'. All in Shanghai time.
 */
export function periodKey(ms: number, cycle: SettlementCycle): string {
  switch (cycle) {
    case 'daily':
      return formatShanghai(ms, 'YYYY-MM-DD');
    case 'monthly':
      return formatShanghai(ms, 'YYYY-MM');
    case 'weekly': {
      const { isoYear, week } = isoWeek(ms);
      return `${pad(isoYear, 4)}-W${pad(week)}`;
    }
    default:
      throw new RangeError(`unknown cycle ${String(cycle)}`);
  }
}

export interface PeriodBounds {
  cycle: SettlementCycle;
  key: string;
  /** inclusive, epoch ms */
  startMs: number;
  /** exclusive, epoch ms (= start of the next period) */
  endMs: number;
}

/**
 * The half-open interval [startMs, endMs) of a period key made by `periodKey`. The cycle is inferred from the
 * key's shape. Throws RangeError on a malformed key or an impossible date/week.
 */
export function periodBounds(key: string): PeriodBounds {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const start = shanghaiTime(y, mo, d);
    if (formatShanghai(start, 'YYYY-MM-DD') !== key) throw new RangeError(`invalid day key ${key}`);
    return { cycle: 'daily', key, startMs: start, endMs: start + DAY_MS };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    const start = isoWeekOneStart(y) + (w - 1) * 7 * DAY_MS;
    if (w < 1 || periodKey(start, 'weekly') !== key) throw new RangeError(`invalid week key ${key}`);
    return { cycle: 'weekly', key, startMs: start, endMs: start + 7 * DAY_MS };
  }
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) throw new RangeError(`invalid month key ${key}`);
    return { cycle: 'monthly', key, startMs: shanghaiTime(y, mo, 1), endMs: shanghaiTime(y, mo + 1, 1) };
  }
  throw new RangeError(`invalid period key ${key}`);
}

/** The key of the period before the one containing `ms` (the last complete period, for settlement timers). */
export function previousPeriodKey(ms: number, cycle: SettlementCycle): string {
  const { startMs } = periodBounds(periodKey(ms, cycle));
  return periodKey(startMs - 1, cycle);
}

/**
 * CloudBase / SCF timer cron: 7 fields `sec min hour day month weekday year`, each a list of
 * `*`, `N`, `A-B`, `* /S`, `A-B/S`, `N/S` items separated by commas. `?` is treated as `*`.
 * Month names JAN..DEC and weekday names SUN..SAT are accepted. Numeric weekdays follow the
 * SCF/Vixie convention (0 or 7 = Sunday, 1 = Monday); prefer names, the WeChat docs disagree.
 * Day-of-month and weekday: when both are restricted a time matches if either matches (Vixie).
 * All fields are evaluated in UTC+8 (China time), as CloudBase does.
 */

export interface Cron {
  source: string;
  sec: Set<number>;
  min: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>; // 1..12
  weekday: Set<number>; // 0..6, 0 = Sunday
  year: Set<number> | null; // null = any year
  dayStar: boolean;
  weekdayStar: boolean;
}

const TZ_OFFSET_MS = 8 * 3600e3;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseValue(tok: string, names: string[] | null, nameBase: number, field: string): number {
  const up = tok.toUpperCase();
  if (names) {
    const i = names.indexOf(up);
    if (i >= 0) return i + nameBase;
  }
  if (!/^\d+$/.test(tok)) throw new Error(`cron: bad value "${tok}" in ${field}`);
  return Number(tok);
}

function parseField(expr: string, min: number, max: number, field: string, names: string[] | null = null, nameBase = 0): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  if (expr === '') throw new Error(`cron: empty ${field}`);
  for (const item of expr.split(',')) {
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) throw new Error(`cron: bad item "${item}" in ${field}`);
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) throw new Error(`cron: bad step "${item}" in ${field}`);
      step = Number(stepPart);
    }
    let lo: number;
    let hi: number;
    if (rangePart === '*' || rangePart === '?') {
      lo = min;
      hi = max;
      if (stepPart === undefined) star = true;
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-');
      lo = parseValue(a, names, nameBase, field);
      hi = parseValue(b, names, nameBase, field);
    } else {
      lo = parseValue(rangePart, names, nameBase, field);
      hi = stepPart !== undefined ? max : lo;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`cron: out of range "${item}" in ${field} (${min}-${max})`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 7) throw new Error(`cron: expected 7 fields (sec min hour day month weekday year), got ${parts.length}: "${source}"`);
  const [s, mi, h, d, mo, w, y] = parts;
  const weekday = parseField(w, 0, 7, 'weekday', WEEKDAYS, 0);
  if (weekday.set.has(7)) {
    weekday.set.delete(7);
    weekday.set.add(0);
  }
  const day = parseField(d, 1, 31, 'day');
  const year = y === '*' || y === '?' ? null : parseField(y, 1970, 2199, 'year').set;
  return {
    source,
    sec: parseField(s, 0, 59, 'second').set,
    min: parseField(mi, 0, 59, 'minute').set,
    hour: parseField(h, 0, 23, 'hour').set,
    day: day.set,
    month: parseField(mo, 1, 12, 'month', MONTHS, 1).set,
    weekday: weekday.set,
    year,
    dayStar: day.star,
    weekdayStar: weekday.star,
  };
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.day.has(d.getUTCDate());
  const dow = c.weekday.has(d.getUTCDay());
  if (c.dayStar && c.weekdayStar) return true;
  if (c.dayStar) return dow;
  if (c.weekdayStar) return dom;
  return dom || dow;
}

/** The first fire time strictly after `afterMs` (epoch ms), or null if none before year 2200. */
export function nextFire(c: Cron, afterMs: number): number | null {
  // work in "shifted" time: a Date whose UTC fields are China wall-clock fields
  const d = new Date(Math.floor((afterMs + TZ_OFFSET_MS) / 1000) * 1000 + 1000);
  for (let guard = 0; guard < 100000; guard++) {
    const year = d.getUTCFullYear();
    if (year >= 2200) return null;
    if (c.year && !c.year.has(year)) {
      d.setUTCFullYear(year + 1, 0, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!c.month.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(c, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!c.hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!c.min.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    if (!c.sec.has(d.getUTCSeconds())) {
      d.setUTCSeconds(d.getUTCSeconds() + 1, 0);
      continue;
    }
    return d.getTime() - TZ_OFFSET_MS;
  }
  return null;
}

/** Whether the cron has a fire time t with fromMs < t <= toMs; returns that first t or null. */
export function dueIn(c: Cron, fromMs: number, toMs: number): number | null {
  const t = nextFire(c, fromMs);
  return t !== null && t <= toMs ? t : null;
}

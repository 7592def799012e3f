/**
 * Money: integer fen (分) everywhere, rates in integer basis points, one rounding rule.
 *
 * - Storage, payloads and the core only ever hold `Fen` (a safe integer). Yuan appear in display
 *   (`formatFen`) and in import files (`yuanToFen`), nowhere else.
 * - Rounding of a share (`mulBp`, `proportion`) is floor of the magnitude: a commission or a proportional
 *   reversal is never more than the exact share. Signs are symmetric: f(-x) === -f(x).
 * - An amount split across parts uses `allocate` (largest remainder), so the parts sum exactly to the whole.
 * - Products that could exceed 2^53 are computed with BigInt, so every result is exact.
 */
import { fail, ok, type Result } from './errors';

/** An amount of money in integer fen (1 yuan = 100 fen). Always a safe integer. */
export type Fen = number;

export const FEN_PER_YUAN = 100;
/** 100% in basis points. */
export const BP_ONE = 10000;

/** Thrown when a money function receives a value that is not valid money (a bug, not a business failure). */
export class MoneyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** True when `n` is a valid fen amount: a safe integer (may be negative, e.g. a clawback). */
export function isFen(n: unknown): n is Fen {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Throws MoneyError unless `n` is a safe integer. `-0` is accepted (it equals 0). */
export function assertFen(n: unknown, field = 'amount'): asserts n is Fen {
  if (!isFen(n)) throw new MoneyError(`${field} must be an integer number of fen, got ${String(n)}`);
}

/** Throws unless `n` is a non-negative safe integer (weights, quantities, basis points). */
function assertNonNegInt(n: unknown, field: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new MoneyError(`${field} must be a non-negative integer, got ${String(n)}`);
  }
}

/** Throws unless `bp` is a valid rate in basis points: a non-negative safe integer. */
export function assertBp(bp: unknown, field = 'bp'): asserts bp is number {
  assertNonNegInt(bp, field);
}

function toSafe(b: bigint, what: string): number {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError(`${what} overflows the safe integer range`);
  }
  const n = Number(b);
  return n === 0 ? 0 : n; // never return -0
}

/** floor(a * b / d) for non-negative integers, exact. */
function mulDivFloor(a: number, b: number, d: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    // p % d is exact for integers; p - r is an exact multiple of d, so the division is exact.
    return (p - (p % d)) / d;
  }
  return toSafe((BigInt(a) * BigInt(b)) / BigInt(d), 'product');
}

export interface YuanOptions {
  /** Accept a leading minus sign (e.g. an adjustment). Default false: prices are never negative. */
  allowNegative?: boolean;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Converts yuan to fen — the only yuan→fen converter in the code base.
 *
 * Accepts a decimal string ('19.99', ' ¥19.9 ', '20', '.5', '1e3') or a number. A number is read through its
 * shortest decimal representation (`String(2.675) === '2.675'`), never through float multiplication, so
 * `yuanToFen(19.99) === 1999` and `yuanToFen(2.675) === 268`.
 * Rounding policy: more than 2 decimals are rounded half up on the decimal digits (half away from zero for
 * negative inputs). Rejected (MoneyError): empty strings, NaN/Infinity, thousands separators, other
 * characters, negative amounts unless `allowNegative`, and results outside the safe integer range.
 */
export function yuanToFen(input: string | number, opts: YuanOptions = {}): Fen {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new MoneyError(`金额格式不正确：${String(input)}`);
    s = String(input);
  } else if (typeof input === 'string') {
    s = input.trim().replace(/^[¥￥]\s*/, '');
    // also allow the currency sign after a minus: '-¥1.05'
    s = s.replace(/^([+-])[¥￥]/, '$1');
  } else {
    throw new MoneyError(`金额格式不正确：${String(input)}`);
  }
  const m = DECIMAL_RE.exec(s);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new MoneyError(`金额格式不正确：${String(input)}`);
  }
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = m[4] !== undefined ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) throw new MoneyError(`金额超出范围：${String(input)}`);

  // digits with the decimal point after `point` digits; fen = shift the point 2 to the right.
  const digits = intPart + fracPart;
  const fenPoint = intPart.length + exp + 2;
  let whole: string;
  let rest: string;
  if (fenPoint <= 0) {
    whole = '0';
    rest = '0'.repeat(-fenPoint) + digits;
  } else if (fenPoint >= digits.length) {
    whole = digits + '0'.repeat(fenPoint - digits.length);
    rest = '';
  } else {
    whole = digits.slice(0, fenPoint);
    rest = digits.slice(fenPoint);
  }
  const roundUp = rest.length > 0 && rest.charCodeAt(0) >= 53; /* '5' */
  const w = whole.replace(/^0+/, '');
  let fen: number;
  if (w.length <= 15) {
    fen = Number(w || '0') + (roundUp ? 1 : 0); // < 10^15 + 1: exact
  } else {
    fen = toSafe(BigInt(w) + BigInt(roundUp ? 1 : 0), `金额超出范围：${String(input)}`);
  }
  if (fen === 0) return 0;
  if (negative) {
    if (!opts.allowNegative) throw new MoneyError(`金额不能为负数：${String(input)}`);
    fen = -fen;
  }
  return fen;
}

/** `yuanToFen` as a Result (INVALID_INPUT with a Chinese message naming `field`), for import rows and handlers. */
export function parseYuan(input: unknown, field = '金额', opts: YuanOptions = {}): Result<Fen> {
  if (typeof input !== 'string' && typeof input !== 'number') {
    return fail('INVALID_INPUT', `${field}格式不正确`, { field });
  }
  try {
    return ok(yuanToFen(input, opts));
  } catch {
    return fail('INVALID_INPUT', `${field}格式不正确`, { field, value: input });
  }
}

export interface FormatFenOptions {
  /** Prefix a currency sign: `true` → '¥', or a custom string. Placed after the minus: '-¥1.05'. */
  symbol?: boolean | string;
  /** Drop trailing zero decimals: 1200 → '12', 1230 → '12.3'. Default false ('12.00'). */
  trimZeros?: boolean;
  /** Group the integer part with commas: 123456700 → '1,234,567.00'. Default false. */
  thousands?: boolean;
}

/** Formats fen as yuan for display: 1230 → '12.30', -105 → '-1.05', with `{symbol:true}` → '¥12.30'. */
export function formatFen(fen: Fen, opts: FormatFenOptions = {}): string {
  assertFen(fen, 'fen');
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const cents = abs % 100;
  let yuan = String((abs - cents) / 100);
  if (opts.thousands) yuan = yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let frac = cents < 10 ? `0${cents}` : String(cents);
  if (opts.trimZeros) frac = frac.replace(/0+$/, '');
  const sym = opts.symbol === true ? '¥' : typeof opts.symbol === 'string' ? opts.symbol : '';
  return `${negative ? '-' : ''}${sym}${yuan}${frac ? `.${frac}` : ''}`;
}

/**
 * floor(base × bp / 10000), exact (BigInt when the product exceeds 2^53). The floor applies to the magnitude,
 * so `mulBp(-b, bp) === -mulBp(b, bp)`. For 0 ≤ bp ≤ 10000 and base ≥ 0: 0 ≤ result ≤ base.
 * Example: a 1-fen order at 10% (1000 bp) → 0.
 */
export function mulBp(base: Fen, bp: number): Fen {
  assertFen(base, 'base');
  assertBp(bp);
  const r = mulDivFloor(Math.abs(base), bp, BP_ONE);
  return base < 0 && r !== 0 ? -r : r;
}

/**
 * floor(amount × part / whole), exact; magnitude floored, sign symmetric. `part` and `whole` are
 * non-negative integers (e.g. quantities), `whole > 0`. Used for proportional reversals.
 */
export function proportion(amount: Fen, part: number, whole: number): Fen {
  assertFen(amount, 'amount');
  assertNonNegInt(part, 'part');
  assertNonNegInt(whole, 'whole');
  if (whole === 0) throw new MoneyError('whole must be positive');
  const r = mulDivFloor(Math.abs(amount), part, whole);
  return amount < 0 && r !== 0 ? -r : r;
}

/**
 * Splits `total` into parts proportional to `weights` by largest remainder; the parts sum exactly to `total`.
 *
 * - Each part is floor(|total|·w/W) or one more; the leftover fen go to the largest remainders, ties to the
 *   earlier index. So `allocate(299, [1000,1000,1000])` → `[100, 100, 99]`.
 * - A zero weight gets 0 (unless every weight is zero).
 * - All weights zero: split equally (as if all weights were 1) — e.g. `allocate(5, [0,0])` → `[3, 2]`.
 * - Negative total: the split of |total|, negated (sign symmetric).
 * - Weights must be non-negative safe integers (e.g. line amounts in fen). Empty weights: `[]` for a zero
 *   total, otherwise a MoneyError.
 * - When weights are line amounts and |total| ≤ Σ weights, every part is ≤ its weight.
 */
export function allocate(total: Fen, weights: readonly number[]): Fen[] {
  assertFen(total, 'total');
  if (!Array.isArray(weights)) throw new MoneyError('weights must be an array');
  weights.forEach((w, i) => assertNonNegInt(w, `weights[${i}]`));
  const n = weights.length;
  if (n === 0) {
    if (total === 0) return [];
    throw new MoneyError('cannot allocate a non-zero total over no weights');
  }
  const allZero = weights.every((w) => w === 0);
  const ws = allZero ? weights.map(() => 1) : weights.slice();
  const T = Math.abs(total);
  let W = 0;
  for (const w of ws) W += w;
  const parts: number[] = new Array(n);
  const sign = total < 0 ? -1 : 1;
  if (Number.isSafeInteger(W) && Number.isSafeInteger(T * W)) {
    // Fast exact path: every T·w ≤ T·W < 2^53.
    const rems: number[] = new Array(n);
    let assigned = 0;
    for (let i = 0; i < n; i++) {
      const p = T * ws[i];
      rems[i] = p % W;
      parts[i] = (p - rems[i]) / W;
      assigned += parts[i];
    }
    distributeLeftover(parts, T - assigned, (a, b) => rems[b] - rems[a]);
  } else {
    // Exact BigInt path for huge products (kept out of the common path: some mini-program engines lack BigInt).
    const bws = ws.map((w) => BigInt(w));
    const BW = bws.reduce((a, b) => a + b, BigInt(0));
    const BT = BigInt(T);
    const rems: bigint[] = new Array(n);
    let assigned = 0;
    for (let i = 0; i < n; i++) {
      const p = BT * bws[i];
      rems[i] = p % BW;
      parts[i] = Number(p / BW); // ≤ T, safe
      assigned += parts[i];
    }
    distributeLeftover(parts, T - assigned, (a, b) => (rems[a] === rems[b] ? 0 : rems[a] > rems[b] ? -1 : 1));
  }
  return parts.map((p) => (p === 0 ? 0 : p * sign));
}

/** Gives one more unit to the first `leftover` indices ordered by `cmp` (largest remainder), ties to the lower index. */
function distributeLeftover(parts: number[], leftover: number, cmp: (a: number, b: number) => number): void {
  if (leftover <= 0) return;
  const order = Array.from({ length: parts.length }, (_, i) => i).sort((a, b) => cmp(a, b) || a - b);
  for (let k = 0; k < leftover; k++) parts[order[k]] += 1;
}

/** Exact sum of fen amounts; throws MoneyError on a non-integer input or an unsafe result. */
export function sumFen(xs: readonly Fen[]): Fen {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    assertFen(xs[i], `xs[${i}]`);
    s += xs[i];
    if (!Number.isSafeInteger(s)) throw new MoneyError('sum overflows the safe integer range');
  }
  return s;
}

/** unitPrice × qty with a safe-integer check. */
export function mulQty(unit: Fen, qty: number): Fen {
  assertFen(unit, 'unit');
  assertNonNegInt(qty, 'qty');
  const p = unit * qty;
  if (!Number.isSafeInteger(p)) throw new MoneyError('amount overflows the safe integer range');
  return p === 0 ? 0 : p;
}

/**
 * The part of `total` that corresponds to `delta` more units out of `whole`, after `before` units were already
 * taken: floor(total·(before+delta)/whole) − floor(total·before/whole).
 *
 * Use it for anything reversed in pieces (commission on a partial refund, refund of a line by quantity or
 * by fen): the running sum after k units is always floor(total·k/whole), whatever the split, and reaches
 * exactly `total` when before + delta = whole — no 1-fen residue, never more than `total`.
 */
export function cumulativeShare(total: Fen, before: number, delta: number, whole: number): Fen {
  assertNonNegInt(before, 'before');
  assertNonNegInt(delta, 'delta');
  assertNonNegInt(whole, 'whole');
  if (before + delta > whole) throw new MoneyError('before + delta exceeds whole');
  const r = proportion(total, before + delta, whole) - proportion(total, before, whole);
  return r === 0 ? 0 : r;
}

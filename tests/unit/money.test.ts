import {
  allocate,
  assertFen,
  cumulativeShare,
  formatFen,
  isFen,
  MoneyError,
  mulBp,
  mulQty,
  parseYuan,
  proportion,
  sumFen,
  yuanToFen,
} from '../../core/money';
import { fc, fcParams } from './fc-setup';

const MAX = Number.MAX_SAFE_INTEGER;
const big = (n: number) => BigInt(n);

describe('isFen / assertFen', () => {
  it('accepts safe integers (including negatives) and rejects floats, NaN, unsafe and non-numbers', () => {
    expect(isFen(0)).toBe(true);
    expect(isFen(-105)).toBe(true);
    expect(isFen(MAX)).toBe(true);
    expect(isFen(1.5)).toBe(false);
    expect(isFen(0.1 + 0.2)).toBe(false);
    expect(isFen(NaN)).toBe(false);
    expect(isFen(MAX + 1)).toBe(false);
    expect(isFen('100')).toBe(false);
    expect(() => assertFen(19.99, 'price')).toThrow(/price/);
    expect(() => assertFen(1999)).not.toThrow();
  });
});

describe('yuanToFen — the only yuan→fen converter', () => {
  it.each<[string | number, number]>([
    ['19.99', 1999],
    [19.99, 1999],
    [2.675, 268],
    ['2.675', 268],
    ['2.674', 267],
    ['0.005', 1],
    ['0.0049999', 0],
    ['12', 1200],
    [' 7.1 ', 710],
    ['¥12.30', 1230],
    ['￥0.5', 50],
    ['.5', 50],
    ['5.', 500],
    ['1e3', 100000],
    ['1.5e-2', 2],
    [0, 0],
    ['-0', 0],
    [0.1 + 0.2, 30],
    [1.005, 101],
    ['90071992547409.91', MAX],
  ])('yuanToFen(%p) === %p', (input, fen) => {
    expect(yuanToFen(input)).toBe(fen);
  });

  it.each<unknown>(['', '  ', 'abc', '1,000', '1.2.3', '12元', '-1', '-0.01', NaN, Infinity, -3, '90071992547409.92', null, {}])(
    'rejects %p',
    (input) => {
      expect(() => yuanToFen(input as string)).toThrow(MoneyError);
    },
  );

  it('accepts negative amounts only with allowNegative, rounding half away from zero', () => {
    expect(yuanToFen('-1.05', { allowNegative: true })).toBe(-105);
    expect(yuanToFen('-¥1.05', { allowNegative: true })).toBe(-105);
    expect(yuanToFen('-0.005', { allowNegative: true })).toBe(-1);
    expect(yuanToFen(-2.675, { allowNegative: true })).toBe(-268);
  });

  it('parseYuan returns INVALID_INPUT naming the field instead of throwing', () => {
    expect(parseYuan('19.99', '售价')).toEqual({ ok: true, data: 1999 });
    const r = parseYuan('abc', '售价');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('INVALID_INPUT');
      expect(r.message).toContain('售价');
    }
    expect(parseYuan(undefined, '售价').ok).toBe(false);
  });

  it('property: formatFen then yuanToFen round-trips every fen amount', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (f) => yuanToFen(formatFen(f)) === f && yuanToFen(formatFen(f, { symbol: true })) === f),
      fcParams(),
    );
  });

  it('property: a JS number of yuan with ≤ 2 decimals converts exactly (no float multiplication)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (f) => yuanToFen(f / 100) === f),
      fcParams(),
    );
  });

  it('property: extra decimals round half up on the decimal digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99999 }), (f, extra) => {
        // yuan string = f/100 followed by 5 more digits `extra`
        const s = `${formatFen(f)}${String(extra).padStart(5, '0')}`;
        const expected = f + (extra >= 50000 ? 1 : 0);
        return yuanToFen(s) === expected;
      }),
      fcParams(),
    );
  });
});

describe('formatFen', () => {
  it.each<[number, object, string]>([
    [1230, {}, '12.30'],
    [-105, {}, '-1.05'],
    [0, {}, '0.00'],
    [5, {}, '0.05'],
    [-5, {}, '-0.05'],
    [1230, { symbol: true }, '¥12.30'],
    [-105, { symbol: true }, '-¥1.05'],
    [1200, { trimZeros: true }, '12'],
    [1230, { trimZeros: true }, '12.3'],
    [123456700, { thousands: true }, '1,234,567.00'],
    [MAX, {}, '90071992547409.91'],
  ])('formatFen(%p, %p) === %p', (fen, opts, out) => {
    expect(formatFen(fen, opts)).toBe(out);
  });

  it('refuses non-integer fen', () => {
    expect(() => formatFen(12.5)).toThrow(MoneyError);
  });

  it('property: sign symmetric — formatFen(-f) is "-" + formatFen(f)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX }), (f) => formatFen(-f) === `-${formatFen(f)}`),
      fcParams(),
    );
  });
});

describe('mulBp — floor(base × bp / 10000)', () => {
  it('a 1-fen order at 10% earns 0 fen', () => {
    expect(mulBp(1, 1000)).toBe(0);
  });
  it('floors, never rounds up', () => {
    expect(mulBp(9999, 3333)).toBe(3332); // 3332.6667
    expect(mulBp(199, 5000)).toBe(99); // 99.5
    expect(mulBp(10000, 1)).toBe(1);
  });
  it('is exact beyond 2^53 intermediate products', () => {
    expect(mulBp(MAX, 10000)).toBe(MAX);
    expect(mulBp(MAX, 9999)).toBe(Number((big(MAX) * 9999n) / 10000n));
    expect(mulBp(MAX, 1)).toBe(Number(big(MAX) / 10000n));
  });
  it('is sign symmetric and never returns -0', () => {
    expect(mulBp(-199, 5000)).toBe(-99);
    expect(Object.is(mulBp(-1, 1000), 0)).toBe(true);
  });
  it('refuses fractional base or rate and negative rates', () => {
    expect(() => mulBp(1.5, 100)).toThrow(MoneyError);
    expect(() => mulBp(100, 1.5)).toThrow(MoneyError);
    expect(() => mulBp(100, -1)).toThrow(MoneyError);
  });

  it('property: equals the exact BigInt floor, is an integer and 0 ≤ result ≤ base for bp ≤ 10000', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 10000 }), (b, bp) => {
        const r = mulBp(b, bp);
        return (
          Number.isSafeInteger(r) &&
          r >= 0 &&
          r <= b &&
          BigInt(r) === (big(b) * big(bp)) / 10000n &&
          mulBp(-b, bp) === (r === 0 ? 0 : -r)
        );
      }),
      fcParams(),
    );
  });

  it('property: monotonic in the rate and never above the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 9999 }), (b, bp) => {
        const r = mulBp(b, bp);
        return r <= mulBp(b, bp + 1) && r * 10000 <= b * bp;
      }),
      fcParams(),
    );
  });
});

describe('proportion — floor(amount × part / whole)', () => {
  it('examples', () => {
    expect(proportion(100, 1, 3)).toBe(33);
    expect(proportion(100, 2, 3)).toBe(66);
    expect(proportion(100, 3, 3)).toBe(100);
    expect(proportion(-100, 1, 3)).toBe(-33);
    expect(proportion(0, 1, 3)).toBe(0);
    expect(proportion(MAX, MAX, MAX)).toBe(MAX);
  });
  it('refuses a zero or fractional whole and a negative part', () => {
    expect(() => proportion(100, 1, 0)).toThrow(MoneyError);
    expect(() => proportion(100, 1, 2.5)).toThrow(MoneyError);
    expect(() => proportion(100, -1, 3)).toThrow(MoneyError);
  });
  it('property: exact floor, within [0, amount] when part ≤ whole, whole part gives the amount', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 1, max: MAX }), fc.nat(), (a, whole, seed) => {
        const part = seed % (whole + 1);
        const r = proportion(a, part, whole);
        return (
          Number.isSafeInteger(r) &&
          r >= 0 &&
          r <= a &&
          BigInt(r) === (big(a) * big(part)) / big(whole) &&
          proportion(a, whole, whole) === a &&
          proportion(-a, part, whole) === (r === 0 ? 0 : -r)
        );
      }),
      fcParams(),
    );
  });
});

describe('allocate — largest remainder', () => {
  it.each<[number, number[], number[]]>([
    [299, [1000, 1000, 1000], [100, 100, 99]],
    [1003, [50, 50], [502, 501]],
    [100, [1, 1, 1], [34, 33, 33]],
    [-299, [1000, 1000, 1000], [-100, -100, -99]],
    [10, [0, 5, 5], [0, 5, 5]],
    [5, [0, 0], [3, 2]],
    [0, [3, 7], [0, 0]],
    [7, [1], [7]],
    [0, [], []],
    [1, [1, 3], [0, 1]],
    [2, [1, 2, 3, 4], [0, 0, 1, 1]],
  ])('allocate(%p, %p) → %p', (total, weights, parts) => {
    expect(allocate(total, weights)).toEqual(parts);
  });

  it('refuses a non-zero total over no weights, negative or fractional weights, fractional totals', () => {
    expect(() => allocate(1, [])).toThrow(MoneyError);
    expect(() => allocate(10, [1, -1])).toThrow(MoneyError);
    expect(() => allocate(10, [0.5, 0.5])).toThrow(MoneyError);
    expect(() => allocate(10.5, [1])).toThrow(MoneyError);
  });

  it('is exact for weights whose products exceed 2^53', () => {
    const parts = allocate(MAX, [MAX, MAX, 1]);
    expect(sumFen(parts)).toBe(MAX);
    // remainders: MAX² mod (2·MAX+1) = 2^52 for the first two, MAX for the third → the leftover fen goes to the third
    expect(parts).toEqual([(MAX - 1) / 2, (MAX - 1) / 2, 1]);
  });

  const weightsArb = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat()), {
    minLength: 1,
    maxLength: 12,
  });

  it('property: conserves the total, each part is the floor share or one more, sign follows the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX, max: MAX }), weightsArb, (total, weights) => {
        const parts = allocate(total, weights);
        if (parts.length !== weights.length) return false;
        if (sumFen(parts) !== total) return false;
        const allZero = weights.every((w) => w === 0);
        const ws = weights.map((w) => (allZero ? 1n : big(w)));
        const W = ws.reduce((a, b) => a + b, 0n);
        const T = big(Math.abs(total));
        return parts.every((p, i) => {
          if (!Number.isSafeInteger(p) || Object.is(p, -0)) return false;
          if (total > 0 && p < 0) return false;
          if (total < 0 && p > 0) return false;
          const lo = (T * ws[i]) / W;
          const a = big(Math.abs(p));
          if (!allZero && weights[i] === 0 && p !== 0) return false;
          return a === lo || a === lo + 1n;
        });
      }),
      fcParams(),
    );
  });

  it('property: splitting a discount ≤ Σ line amounts never exceeds any line amount (payable ≥ 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (amounts, seed) => {
          const sum = amounts.reduce((a, b) => a + b, 0);
          const discount = sum === 0 ? 0 : seed % (sum + 1);
          const parts = allocate(discount, amounts);
          return sumFen(parts) === discount && parts.every((p, i) => p >= 0 && p <= amounts[i]);
        },
      ),
      fcParams(),
    );
  });

  it('property: deterministic and independent of the total sign (allocate(-t) = -allocate(t))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), weightsArb, (t, w) => {
        const a = allocate(t, w);
        const b = allocate(-t, w);
        return a.every((x, i) => b[i] === (x === 0 ? 0 : -x));
      }),
      fcParams(),
    );
  });
});

describe('sumFen / mulQty', () => {
  it('sums exactly and refuses floats and overflow', () => {
    expect(sumFen([])).toBe(0);
    expect(sumFen([1999, 1, -500])).toBe(1500);
    expect(() => sumFen([0.1, 0.2])).toThrow(MoneyError);
    expect(() => sumFen([MAX, 1])).toThrow(MoneyError);
    expect(mulQty(1999, 3)).toBe(5997);
    expect(() => mulQty(MAX, 2)).toThrow(MoneyError);
    expect(() => mulQty(100, 1.5)).toThrow(MoneyError);
  });
  it('property: equals the BigInt sum whenever it is safe', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e14, max: 1e14 }), { maxLength: 30 }), (xs) => {
        const ref = xs.reduce((a, b) => a + big(b), 0n);
        return BigInt(sumFen(xs)) === ref;
      }),
      fcParams(),
    );
  });
});

describe('cumulativeShare — reversal in pieces', () => {
  it('examples: a 100-fen commission over 3 units reverses 33, 33, 34', () => {
    expect([cumulativeShare(100, 0, 1, 3), cumulativeShare(100, 1, 1, 3), cumulativeShare(100, 2, 1, 3)]).toEqual([33, 33, 34]);
    expect(cumulativeShare(100, 0, 3, 3)).toBe(100);
    expect(cumulativeShare(-100, 0, 1, 3)).toBe(-33);
    expect(() => cumulativeShare(100, 2, 2, 3)).toThrow(MoneyError);
  });
  it('property: any split sums to floor(total·k/whole) after k parts and exactly to total at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(fc.integer({ min: 1, max: 1e9 }), { maxLength: 20 }),
        (total, whole, cuts) => {
          let before = 0;
          let acc = 0;
          for (const c of cuts) {
            const d = Math.min(c, whole - before);
            const r = cumulativeShare(total, before, d, whole);
            if (!Number.isSafeInteger(r) || (total >= 0 ? r < 0 : r > 0)) return false;
            acc += r;
            before += d;
            if (acc !== proportion(total, before, whole)) return false;
            if (Math.abs(acc) > Math.abs(total)) return false;
          }
          acc += cumulativeShare(total, before, whole - before, whole);
          return acc === total;
        },
      ),
      fcParams(),
    );
  });
});

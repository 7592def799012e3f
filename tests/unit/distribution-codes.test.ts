import {
  buildScene,
  CODE_ALPHABET,
  codeFromQuery,
  isDistributorCode,
  makeDistributorCode,
  normalizeDistributorCode,
  parseScene,
  shareQuery,
  sharePath,
} from '../../core/distribution';
import { fc, fcParams } from './fc-setup';

describe('distributor codes', () => {
  it('the alphabet is A–Z and 2–9 without 0 O 1 I', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    for (const c of '0O1I') expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
  });

  it('makeDistributorCode uses the injected random source, 6–8 characters', () => {
    expect(makeDistributorCode(() => 0)).toBe('AAAAAA');
    expect(makeDistributorCode(() => 0.999999, 8)).toBe('99999999');
    const seq = [0, 1 / 32, 2 / 32, 31 / 32, 0.5, 0.75];
    let i = 0;
    expect(makeDistributorCode(() => seq[i++])).toBe('ABC9S2');
    expect(() => makeDistributorCode(() => 0, 5)).toThrow();
    expect(() => makeDistributorCode(() => 1)).toThrow();
  });

  it('isDistributorCode / normalizeDistributorCode', () => {
    expect(isDistributorCode('AB3D5F')).toBe(true);
    expect(isDistributorCode('AB3D5F78')).toBe(true);
    expect(isDistributorCode('AB3D5')).toBe(false);
    expect(isDistributorCode('AB3D5O')).toBe(false); // O
    expect(isDistributorCode('ab3d5f')).toBe(false);
    expect(isDistributorCode('oABCDEFGHIJK')).toBe(false);
    expect(normalizeDistributorCode(' ab3-d5f ')).toBe('AB3D5F');
    expect(normalizeDistributorCode('AB0D5F')).toBeNull();
  });

  it('every generated code is valid (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 6, max: 8 }), (rs, len) => {
        let i = 0;
        const c = makeDistributorCode(() => rs[i++], len);
        if (!isDistributorCode(c) || c.length !== len) throw new Error(c);
      }),
      fcParams(),
    );
  });
});

describe('share surfaces', () => {
  it('scene: c=CODE&p=ID, ≤ 32 characters, round trip', () => {
    expect(buildScene({ code: 'AB3D5F' })).toBe('c=AB3D5F');
    expect(buildScene({ code: 'AB3D5F', productId: 'p001' })).toBe('c=AB3D5F&p=p001');
    expect(parseScene('c=AB3D5F&p=p001')).toEqual({ code: 'AB3D5F', productId: 'p001' });
    expect(parseScene(encodeURIComponent('c=AB3D5F&p=p001'))).toEqual({ code: 'AB3D5F', productId: 'p001' });
    expect(parseScene('AB3D5F')).toEqual({ code: 'AB3D5F' });
    expect(parseScene('c=BAD0&p=x')).toEqual({ productId: 'x' });
    expect(parseScene('')).toEqual({});
    expect(() => buildScene({ code: 'AB3D5F', productId: 'x'.repeat(22) })).toThrow(/too long/);
    expect(buildScene({ code: 'AB3D5F', productId: 'x'.repeat(21) })).toHaveLength(32);
    expect(() => buildScene({ code: 'AB3D5F', productId: '商品' })).toThrow();
    expect(() => buildScene({ code: 'nope' })).toThrow();
  });

  it('scene round trip (property)', () => {
    const code = fc.array(fc.constantFrom(...CODE_ALPHABET), { minLength: 6, maxLength: 8 }).map((a) => a.join(''));
    const pid = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(code, fc.option(pid, { nil: undefined }), (c, p) => {
        let scene: string;
        try {
          scene = buildScene({ code: c, productId: p });
        } catch {
          if (`c=${c}&p=${p}`.length <= 32) throw new Error('refused a short scene');
          return;
        }
        if (scene.length > 32) throw new Error('too long');
        const back = parseScene(scene);
        if (back.code !== c || back.productId !== p) throw new Error(`round trip ${scene}`);
      }),
      fcParams(),
    );
  });

  it('card path and Moments query carry the code', () => {
    expect(sharePath({ code: 'AB3D5F', productId: 'p001' })).toBe('/pages/product/index?id=p001&dc=AB3D5F');
    expect(sharePath({ code: 'AB3D5F' })).toBe('/pages/index/index?dc=AB3D5F');
    expect(shareQuery({ code: 'AB3D5F', productId: 'p001' })).toBe('dc=AB3D5F&id=p001');
    expect(shareQuery({ code: 'AB3D5F' })).toBe('dc=AB3D5F');
    expect(() => sharePath({ code: 'x' })).toThrow();
  });

  it('codeFromQuery reads dc (card, Moments, h5) or the 小程序码 scene', () => {
    expect(codeFromQuery({ id: 'p001', dc: 'AB3D5F' })).toEqual({ code: 'AB3D5F', via: 'dc' });
    expect(codeFromQuery({ scene: encodeURIComponent('c=AB3D5F&p=p001') })).toEqual({ code: 'AB3D5F', via: 'scene' });
    expect(codeFromQuery({ dc: 'bad' })).toBeNull();
    expect(codeFromQuery(undefined)).toBeNull();
  });
});

import { BizException, DEFAULT_MESSAGES, ERROR_CODES, fail, isErrorCode, isFail, isOk, ok, unwrap } from '../../core/errors';

describe('typed results', () => {
  it('ok wraps data; fail carries the code and the default Chinese message', () => {
    expect(ok({ id: 1 })).toEqual({ ok: true, data: { id: 1 } });
    expect(fail('OUT_OF_STOCK')).toEqual({ ok: false, code: 'OUT_OF_STOCK', message: '库存不足' });
    expect(fail('OFF_SHELF').message).toBe('商品已下架');
    expect(fail('ILLEGAL_TRANSITION').message).toBe('订单状态已变化，请刷新后重试');
    expect(fail('INTERNAL').message).toBe('系统繁忙，请稍后重试');
  });

  it('a specific message and details override the default; undefined details are omitted (JSON-safe)', () => {
    const f = fail('INVALID_INPUT', '收货地址不能为空', { field: 'addressId' });
    expect(f).toEqual({ ok: false, code: 'INVALID_INPUT', message: '收货地址不能为空', details: { field: 'addressId' } });
    expect('details' in fail('NOT_FOUND')).toBe(false);
  });

  it('every code has a Chinese default message', () => {
    for (const c of ERROR_CODES) expect(DEFAULT_MESSAGES[c]).toMatch(/[\u4e00-\u9fa5]/);
    expect(isErrorCode('OUT_OF_STOCK')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('guards, unwrap and BizException round-trip a failure', () => {
    const f = fail('CONFLICT', undefined, { id: 'o1' });
    expect(isFail(f) && !isOk(f)).toBe(true);
    expect(unwrap(ok(3))).toBe(3);
    let caught: unknown;
    try {
      unwrap(f);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BizException);
    expect((caught as BizException).toFail()).toEqual(f);
  });
});

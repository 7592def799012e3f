/**
 * Typed business results shared by the core, the functions and the client.
 *
 * Expected business failures (out of stock, illegal transition, …) are values, never throws:
 * a function returns `fail('OUT_OF_STOCK', undefined, {shortfalls})` and the handler forwards it
 * unchanged as the response envelope described in docs/contracts.md. Exceptions are reserved for bugs.
 */

/** Every code a caller may branch on. Messages are Chinese and shown to the user as-is. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'OUT_OF_STOCK'
  | 'OFF_SHELF'
  | 'UNKNOWN_SKU'
  | 'ILLEGAL_TRANSITION'
  | 'ALREADY_PAID'
  | 'AMOUNT_MISMATCH'
  | 'ORDER_EXPIRED'
  | 'AFTER_SALE_NOT_ALLOWED'
  | 'AFTER_SALE_QTY_EXCEEDED'
  | 'AFTER_SALE_OPEN'
  | 'PAYMENT_FAILED'
  | 'REFUND_FAILED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'INTERNAL'
  // distribution (issue 3)
  | 'COMPLIANCE_VIOLATION'
  | 'BINDING_REFUSED'
  | 'INVITE_REFUSED'
  | 'NOT_DISTRIBUTOR'
  | 'DISTRIBUTOR_INACTIVE'
  | 'WITHDRAWAL_BELOW_MIN'
  | 'WITHDRAWAL_LIMIT_EXCEEDED'
  | 'INSUFFICIENT_BALANCE';

/** Default Chinese message per code; callers may pass a more specific one. */
export const DEFAULT_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  INVALID_INPUT: '参数有误',
  NOT_FOUND: '内容不存在或已删除',
  FORBIDDEN: '没有权限执行此操作',
  UNAUTHENTICATED: '请先登录',
  OUT_OF_STOCK: '库存不足',
  OFF_SHELF: '商品已下架',
  UNKNOWN_SKU: '商品规格不存在',
  ILLEGAL_TRANSITION: '订单状态已变化，请刷新后重试',
  ALREADY_PAID: '订单已支付',
  AMOUNT_MISMATCH: '支付金额与订单不一致',
  ORDER_EXPIRED: '订单已超时关闭',
  AFTER_SALE_NOT_ALLOWED: '该订单当前不可申请售后',
  AFTER_SALE_QTY_EXCEEDED: '申请数量超过可售后数量',
  AFTER_SALE_OPEN: '该商品已有进行中的售后申请',
  PAYMENT_FAILED: '支付失败，请稍后重试',
  REFUND_FAILED: '退款失败，请稍后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  CONFLICT: '数据已被修改，请刷新后重试',
  INTERNAL: '系统繁忙，请稍后重试',
  COMPLIANCE_VIOLATION: '分销设置不符合合规要求',
  BINDING_REFUSED: '无法绑定该分销员',
  INVITE_REFUSED: '无法使用该邀请码',
  NOT_DISTRIBUTOR: '您还不是分销员',
  DISTRIBUTOR_INACTIVE: '分销员状态不可用',
  WITHDRAWAL_BELOW_MIN: '提现金额低于最低限额',
  WITHDRAWAL_LIMIT_EXCEEDED: '超出今日提现限额',
  INSUFFICIENT_BALANCE: '可提现余额不足',
};

export const ERROR_CODES = Object.keys(DEFAULT_MESSAGES) as ErrorCode[];

/** A business error as a plain value (safe to JSON-serialise into a response). */
export interface BizError {
  code: ErrorCode;
  /** Chinese, shown to the user. */
  message: string;
  details?: unknown;
}

export type Ok<T> = { ok: true; data: T };
export type Fail = { ok: false; code: ErrorCode; message: string; details?: unknown };
/** The response envelope of every callable function and the return type of fallible core functions. */
export type Result<T> = Ok<T> | Fail;

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

/** Builds a failure; `message` defaults to the code's Chinese message. `details` is omitted when undefined. */
export function fail(code: ErrorCode, message?: string, details?: unknown): Fail {
  const f: Fail = { ok: false, code, message: message ?? DEFAULT_MESSAGES[code] };
  if (details !== undefined) f.details = details;
  return f;
}

export function isOk<T>(r: Result<T>): r is Ok<T> {
  return r.ok === true;
}

export function isFail<T>(r: Result<T>): r is Fail {
  return r.ok === false;
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(DEFAULT_MESSAGES, x);
}

/**
 * An exception carrying a business failure, for code that must abort a multi-step operation
 * (e.g. inside a database transaction callback). Catch it and return `err.toFail()`.
 */
export class BizException extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = 'BizException';
    this.code = code;
    this.details = details;
  }
  toFail(): Fail {
    return fail(this.code, this.message, this.details);
  }
  static fromFail(f: Fail): BizException {
    return new BizException(f.code, f.message, f.details);
  }
}

/** Returns the data of an Ok result, or throws a BizException carrying the failure. */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.data;
  throw BizException.fromFail(r);
}

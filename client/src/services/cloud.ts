import Taro from '@tarojs/taro';

/** Typed business failure from a cloud function envelope ({ok:false, code, message}). */
export class ApiError extends Error {
  readonly code: string;
  readonly details?: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

type Envelope<T> = { ok: true; data: T } | { ok: false; code: string; message: string; details?: unknown };

const NETWORK_MESSAGE = '网络异常，请稍后重试';

function unwrap<T>(raw: unknown): T {
  const env = raw as Envelope<T> | null | undefined;
  if (!env || typeof env !== 'object' || typeof (env as { ok?: unknown }).ok !== 'boolean') {
    throw new ApiError('BAD_RESPONSE', '服务返回异常，请稍后重试');
  }
  if (env.ok) return env.data;
  throw new ApiError(env.code || 'INTERNAL', env.message || '系统繁忙，请稍后重试', env.details);
}

/** weapp transport: wx.cloud.callFunction (Taro.cloud is wx.cloud in weapp, undefined in h5). */
async function callWeapp<T>(name: string, data: Record<string, unknown>): Promise<T> {
  let res: { result?: unknown };
  try {
    res = (await Taro.cloud.callFunction({ name, data })) as { result?: unknown };
  } catch (e) {
    throw new ApiError('NETWORK', NETWORK_MESSAGE, e);
  }
  return unwrap<T>(res.result);
}

/** h5 transport: POST /fn/<name> on the local cloud dev server; identity is the lc_openid cookie. */
async function callH5<T>(name: string, data: Record<string, unknown>): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(`/fn/${name}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(data),
    });
  } catch (e) {
    throw new ApiError('NETWORK', NETWORK_MESSAGE, e);
  }
  let json: unknown;
  try {
    json = await resp.json();
  } catch (e) {
    throw new ApiError('NETWORK', NETWORK_MESSAGE, e);
  }
  return unwrap<T>(json);
}

/** The only place that knows the transport. The ternary is folded at build time, so each target keeps one branch. */
export const callCloud: <T>(name: string, data: Record<string, unknown>) => Promise<T> =
  process.env.TARO_ENV === 'weapp' ? callWeapp : callH5;

/** h5-only helper for the dev endpoints (/__dev/*, /__sandbox/*). */
async function devRequestH5<T>(path: string, body?: unknown): Promise<T> {
  const resp = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  if (!resp.ok) throw new ApiError('DEV', `请求失败（${resp.status}）`, json);
  const env = json as Envelope<T> | null;
  if (env && typeof env === 'object' && typeof (env as { ok?: unknown }).ok === 'boolean') return unwrap<T>(env);
  return json as T;
}
async function devRequestUnavailable<T>(): Promise<T> {
  throw new ApiError('UNSUPPORTED', '仅本地 H5 演示可用');
}
export const devPost: <T>(path: string, body?: unknown) => Promise<T> =
  process.env.TARO_ENV === 'h5' ? devRequestH5 : devRequestUnavailable;

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return '系统繁忙，请稍后重试';
}

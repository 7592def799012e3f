/**
 * defineHandler: the thin adapter between a CloudBase invocation and typed actions.
 * - validates `event.action` and the action's input with zod (Chinese messages naming the field);
 *   unknown fields (price, amount, status, openid …) are stripped and never reach the action;
 * - identity comes only from getWXContext(): client actions require an OPENID;
 * - unexpected exceptions become {ok:false, code:'INTERNAL'} and are logged.
 */
import { z, type output, type ZodError, type ZodType } from './zod';
import { BizException, fail, type Result } from '../core/errors';
import { getIdentity, nowMs } from './cloud';
import { requireMerchant } from './auth';
import { logError } from './log';

export interface Ctx {
  /** Caller openid ('' for auth:'none' actions invoked without one). */
  openid: string;
  source: string | null;
  /** Invocation time in ms. */
  now: number;
  /** The raw event (for trigger/callback handlers that need unvalidated fields). */
  event: Record<string, unknown>;
}

export type Auth = 'user' | 'merchant' | 'none';

export interface ActionDef<S extends ZodType, T> {
  input: S;
  /** 'user' (default): an OPENID is required; 'merchant': users.roles must include 'merchant'; 'none': no identity check. */
  auth?: Auth;
  run: (input: output<S>, ctx: Ctx) => Promise<Result<T>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAction = ActionDef<any, any>;

export interface HandlerSpec {
  actions: Record<string, AnyAction>;
}

/** Builds an action definition with input type inference. */
export function action<S extends ZodType, T>(def: ActionDef<S, T>): ActionDef<S, T> {
  return def;
}

const CJK = /[\u4e00-\u9fff]/;

/** Converts the first zod issue into one Chinese sentence naming the field. */
export function zodMessage(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '参数有误';
  if (issue.message && CJK.test(issue.message)) return issue.message;
  const path = issue.path.map(String).join('.') || '参数';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `缺少参数：${path}`;
  return `参数格式不正确：${path}`;
}

export { logError, logEvent } from './log';

export function defineHandler(spec: HandlerSpec): (event: unknown, context?: unknown) => Promise<Result<unknown>> {
  return async function main(rawEvent: unknown): Promise<Result<unknown>> {
    const event = (rawEvent && typeof rawEvent === 'object' ? rawEvent : {}) as Record<string, unknown>;
    const name = event.action;
    try {
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(spec.actions, name)) {
        return fail('INVALID_INPUT', '不支持的操作');
      }
      const def = spec.actions[name];
      const auth: Auth = def.auth ?? 'user';
      const id = getIdentity();
      if (auth !== 'none' && !id.openid) return fail('UNAUTHENTICATED');
      if (auth === 'merchant') {
        const gate = await requireMerchant(id.openid as string);
        if (!gate.ok) return gate;
      }
      const { action: _a, userInfo: _u, ...fields } = event;
      void _a;
      void _u;
      const parsed = def.input.safeParse(fields);
      if (!parsed.success) return fail('INVALID_INPUT', zodMessage(parsed.error));
      const ctx: Ctx = { openid: id.openid ?? '', source: id.source, now: nowMs(), event };
      return await def.run(parsed.data, ctx);
    } catch (e) {
      if (e instanceof BizException) return e.toFail();
      logError(`action:${String(name)}`, e);
      return fail('INTERNAL', '系统繁忙，请稍后重试');
    }
  };
}

// ---- shared zod building blocks with Chinese messages ----

export const zs = {
  id: (label: string) =>
    z.string({ error: `${label}不能为空` }).trim().min(1, { error: `${label}不能为空` }).max(64, { error: `${label}格式不正确` }),
  posInt: (label: string, max = 9999) =>
    z
      .number({ error: `${label}必须是正整数` })
      .int({ error: `${label}必须是正整数` })
      .min(1, { error: `${label}必须是正整数` })
      .max(max, { error: `${label}不能超过${max}` }),
  page: () => z.number({ error: '页码必须是正整数' }).int({ error: '页码必须是正整数' }).min(1, { error: '页码必须是正整数' }).max(1000).optional(),
  text: (label: string, max: number) =>
    z.string({ error: `${label}必须是文字` }).max(max, { error: `${label}不能超过${max}个字` }),
};

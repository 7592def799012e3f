import { fail, ok, type Result } from '../core/errors';
import { db } from './cloud';

/** Merchant gate: users.doc(openid).roles must include 'merchant'. */
export async function requireMerchant(openid: string): Promise<Result<true>> {
  if (!openid) return fail('UNAUTHENTICATED');
  const res = await db().collection('users').doc(openid).get();
  const user = res.data as { roles?: string[] } | null;
  if (!user || !Array.isArray(user.roles) || !user.roles.includes('merchant')) return fail('FORBIDDEN');
  return ok(true);
}

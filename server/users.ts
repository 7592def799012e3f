import { db, cmd } from './cloud';

export type UserLite = { _id: string; nickname?: string; avatar?: string };

/** Nickname and avatar of many users in one request (≤ 1000 ids). */
export async function usersById(ids: string[]): Promise<Map<string, UserLite>> {
  const m = new Map<string, UserLite>();
  const uniq = [...new Set(ids.filter(Boolean))];
  if (uniq.length === 0) return m;
  const r = await db().collection('users').where({ _id: cmd().in(uniq) }).limit(1000).field({ nickname: true, avatar: true }).get();
  for (const u of (r.data as UserLite[]) ?? []) m.set(u._id, u);
  return m;
}

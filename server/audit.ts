/** Append-only audit log of merchant and system actions (`audit_logs`). */
import { db, randomHex } from './cloud';

export async function audit(
  actor: string,
  action: string,
  target: string,
  detail: Record<string, unknown>,
  at: number,
  id?: string,
): Promise<void> {
  const _id = id ?? `${at.toString(36)}${randomHex(12)}`;
  try {
    await db().collection('audit_logs').add({ data: { _id, actor, action, target, detail, at } });
  } catch (e) {
    // A deterministic id that already exists means this entry was written by an earlier attempt.
    if (!id) throw e;
  }
}

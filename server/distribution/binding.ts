/**
 * Binding a buyer to a distributor: one `bindings` doc per buyer with `_id = buyer`.
 * First bind = add (a duplicate `_id` means a concurrent bind won: re-read and decide again); a rebind is a
 * conditional update on the binding we read (`{_id, distributorId, boundAt}`), so of any number of concurrent
 * attempts exactly one changes the doc, and only that winner appends its `binding_events` entry.
 * The event travels inside the binding write (`eventPending`, deterministic id), so a crash between the two
 * writes cannot lose it: whoever reads the binding next appends it (a duplicate id is harmless) and clears it.
 */
import { fail, ok, type Result } from '../../core/errors';
import { BINDING_REASON_MESSAGES, bindingActive, decideBinding, type Binding, type BindingSource } from '../../core/distribution/binding';
import { db, cmd, isDuplicateKeyError } from '../cloud';
import { audit } from '../audit';
import { getBindingDoc, getDistributor, distributorByCode, type BindingDoc, type DistributorDoc } from './distributors';
import { loadDistributionSettings } from './settings';

export interface BindResult {
  action: 'bind' | 'rebind' | 'keep' | 'refuse';
  reason: string;
  message: string;
  binding: BindingDoc | null;
}

export interface BindingEvent {
  _id: string;
  buyer: string;
  from: string | null;
  to: string | null;
  reason: string;
  source: BindingSource;
  by: string;
  at: number;
  note?: string;
}

/** Appends a binding's pending event (idempotent on its id) and clears it from the binding. */
export async function flushBindingEvent(buyer: string, event: BindingEvent): Promise<void> {
  try {
    await db().collection('binding_events').add({ data: event });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
  await db()
    .collection('bindings')
    .where({ _id: buyer, 'eventPending._id': event._id })
    .update({ data: { eventPending: cmd().remove() } });
}

/** Writes `next` over `current` (null = none) conditionally, with its event; true when this call won. */
async function writeBinding(buyer: string, current: BindingDoc | null, next: Binding, event: BindingEvent): Promise<boolean> {
  if (!current) {
    try {
      await db()
        .collection('bindings')
        .add({ data: { _id: buyer, ...next, eventPending: event } });
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }
  const u = await db()
    .collection('bindings')
    .where({ _id: buyer, distributorId: current.distributorId, boundAt: current.boundAt })
    .update({
      data: {
        distributorId: next.distributorId,
        source: next.source,
        boundAt: next.boundAt,
        expiresAt: next.expiresAt,
        protectedUntil: next.protectedUntil,
        eventPending: cmd().set(event),
      },
    });
  return (u?.stats?.updated ?? 0) > 0;
}

/** Reads the buyer's binding, first finishing an event a crashed writer left pending. */
async function readBinding(buyer: string): Promise<BindingDoc | null> {
  const b = await getBindingDoc(buyer);
  if (b?.eventPending) {
    await flushBindingEvent(buyer, b.eventPending);
    delete b.eventPending;
  }
  return b;
}

/**
 * A buyer opens a share (code from a card path, Moments query, 小程序码 scene or typed by hand). `trigger` is
 * 'first_order' when the client binds as the first order is placed (policy trigger first_order).
 */
export async function bindBuyer(
  buyer: string,
  candidate: DistributorDoc | null,
  source: BindingSource,
  trigger: 'visit' | 'first_order',
  now: number,
  by: string = buyer,
  note?: string,
): Promise<Result<BindResult>> {
  const settings = await loadDistributionSettings(now);
  if (!settings.enabled) return fail('FORBIDDEN', '分销功能未开启');
  if (!candidate) return fail('BINDING_REFUSED', '分销码无效');
  let current = await readBinding(buyer);
  for (let attempt = 0; attempt < 5; attempt++) {
    const d = decideBinding({
      buyer,
      candidate: { openid: candidate._id, status: candidate.status, ancestors: candidate.ancestors ?? [] },
      current,
      source,
      policy: settings.binding,
      now,
      trigger,
    });
    if (d.action === 'refuse') return fail('BINDING_REFUSED', d.message, { reason: d.reason });
    if (d.action === 'keep' || !d.binding) return ok({ action: 'keep', reason: d.reason, message: d.message, binding: current });
    const event: BindingEvent = {
      _id: `${buyer}:${d.binding.boundAt.toString(36)}:${candidate._id}`,
      buyer,
      from: current ? current.distributorId : null,
      to: candidate._id,
      reason: d.reason,
      source,
      by,
      at: now,
      ...(note ? { note } : {}),
    };
    const won = await writeBinding(buyer, current, d.binding, event);
    if (won) {
      await flushBindingEvent(buyer, event);
      return ok({ action: d.action, reason: d.reason, message: d.message, binding: { _id: buyer, ...d.binding } });
    }
    current = await readBinding(buyer); // someone else changed it: decide again on what is there now
  }
  return fail('CONFLICT', '绑定繁忙，请稍后重试');
}

export async function bindByCode(buyer: string, code: string, source: BindingSource, trigger: 'visit' | 'first_order', now: number): Promise<Result<BindResult>> {
  const candidate = await distributorByCode(code);
  return bindBuyer(buyer, candidate, source, trigger, now);
}

/** Merchant move with a recorded reason (binding event source 'merchant'). */
export async function moveBinding(buyer: string, to: string, reason: string, by: string, now: number): Promise<Result<BindResult>> {
  const candidate = await getDistributor(to);
  if (!candidate) return fail('NOT_FOUND', '目标分销员不存在');
  const r = await bindBuyer(buyer, candidate, 'merchant', 'visit', now, by, reason);
  if (r.ok && r.data.action !== 'keep') await audit(by, 'bindings.move', buyer, { to, reason, action: r.data.action }, now);
  return r;
}

/** Who serves the buyer and until when (null when nobody / expired). */
export async function myBinding(buyer: string, now: number): Promise<{ binding: (BindingDoc & { code: string; active: boolean }) | null; message?: string }> {
  const b = await readBinding(buyer);
  if (!b) return { binding: null };
  const d = await getDistributor(b.distributorId);
  const active = bindingActive(b, now) && !!d && d.status === 'active';
  if (!bindingActive(b, now)) return { binding: null, message: BINDING_REASON_MESSAGES.EXPIRED_REBIND };
  return { binding: { ...b, code: d?.code ?? '', active } };
}

// Binding capture (main package): the distributor code arrives in the share-card path (`dc=`), the Moments
// query (`dc=`), a 小程序码 `scene`, or is typed by hand. Each code is sent to `distribution.bind` once per
// session; a code seen before login is kept as pending and sent once the user is known.
import Taro from '@tarojs/taro';
import { distBind, type BindSource } from './distribution';
import { parseSceneCode, normalizeDistributorCode } from './scene';

const PENDING_KEY = 'dist_pending_code';
const sent = new Set<string>();
let ready = false;

interface Pending { code: string; source: BindSource; scene?: string }

/** Reads `dc` / `scene` from a page or launch query. Returns the code and its source, or null. */
export function codeFromQuery(query: Record<string, unknown> | undefined, scene?: number): Pending | null {
  if (!query) return null;
  const q = query as Record<string, string | undefined>;
  if (q.scene) {
    const raw = safeDecode(String(q.scene));
    const code = parseSceneCode(raw);
    if (code) return { code, source: 'qrcode', scene: raw };
  }
  if (q.dc) {
    const code = normalizeDistributorCode(safeDecode(String(q.dc)));
    if (!code) return null;
    // 1154 = opened from a Moments single page; otherwise a share card.
    const source: BindSource = q.from === 'moments' || scene === 1154 ? 'moments' : 'share_card';
    return { code, source };
  }
  return null;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Captures a code from a query: stores it as pending and tries to bind now if the user is signed in. */
export function captureBinding(query: Record<string, unknown> | undefined, scene?: number): void {
  const p = codeFromQuery(query, scene);
  if (!p) return;
  const key = `${p.code}`;
  if (sent.has(key)) return;
  try { Taro.setStorageSync(PENDING_KEY, p); } catch { /* storage unavailable: bind in memory only */ }
  if (ready) void flushPendingBinding();
}

/** Marks the user as signed in and sends a pending code, if any. */
export function bindingReady(): void {
  ready = true;
  void flushPendingBinding();
}

let inFlight: Promise<void> | null = null;
export function flushPendingBinding(): Promise<void> {
  if (inFlight) return inFlight.then(() => flushPendingBinding());
  let p: Pending | null = null;
  try { p = (Taro.getStorageSync(PENDING_KEY) || null) as Pending | null; } catch { p = null; }
  if (!p || !p.code) return Promise.resolve();
  const pending = p;
  if (sent.has(pending.code)) { clearPending(); return Promise.resolve(); }
  sent.add(pending.code);
  inFlight = distBind(pending.code, pending.source, pending.scene)
    .then(() => { clearPending(); })
    .catch(() => {
      // A business refusal (own code, unknown code, policy) is final for this session; keep nothing pending.
      clearPending();
    })
    .finally(() => { inFlight = null; });
  return inFlight;
}

function clearPending() {
  try { Taro.removeStorageSync(PENDING_KEY); } catch { /* ignore */ }
}

/** A code typed by hand (填写邀请码): bound immediately, errors returned to the caller. */
export async function bindTypedCode(code: string) {
  const c = normalizeDistributorCode(code) ?? code.trim().toUpperCase();
  const r = await distBind(c, 'code');
  sent.add(c);
  return r;
}

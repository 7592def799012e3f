/**
 * Distributor codes and the share surfaces that carry them (card path, Moments query, 小程序码 scene).
 * A code is 6–8 characters from an alphabet without the look-alikes 0/O and 1/I; never an openid.
 */

/** A–Z and 2–9 without 0, O, 1, I (32 symbols). */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_MIN_LENGTH = 6;
export const CODE_MAX_LENGTH = 8;
/** wxacode.getUnlimited: the scene is at most 32 visible characters. */
export const SCENE_MAX_LENGTH = 32;

const CODE_RE = /^[A-HJ-NP-Z2-9]{6,8}$/;
/** Characters the 小程序码 scene accepts besides letters and digits. */
const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;

/**
 * A random code drawn with `random` (a function returning [0, 1), e.g. crypto-backed in the function; the core
 * never reads randomness itself). Uniqueness is enforced by the caller (`distributor_codes._id`).
 */
export function makeDistributorCode(random: () => number, length = CODE_MIN_LENGTH): string {
  if (!Number.isInteger(length) || length < CODE_MIN_LENGTH || length > CODE_MAX_LENGTH) {
    throw new RangeError(`code length must be ${CODE_MIN_LENGTH}–${CODE_MAX_LENGTH}`);
  }
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) throw new RangeError('random() must return a number in [0, 1)');
    s += CODE_ALPHABET[Math.min(CODE_ALPHABET.length - 1, Math.floor(r * CODE_ALPHABET.length))];
  }
  return s;
}

/** True for a well-formed code (upper case, 6–8 characters of CODE_ALPHABET). */
export function isDistributorCode(s: unknown): s is string {
  return typeof s === 'string' && CODE_RE.test(s);
}

/** A code typed by hand: trimmed, upper-cased, inner spaces/dashes removed; null when not a valid code. */
export function normalizeDistributorCode(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const c = s.replace(/[\s-]/g, '').toUpperCase();
  return isDistributorCode(c) ? c : null;
}

export interface ShareTarget {
  code: string;
  productId?: string;
}

function assertCode(code: string): void {
  if (!isDistributorCode(code)) throw new RangeError(`invalid distributor code ${String(code)}`);
}

/** The 小程序码 scene: `c=CODE` or `c=CODE&p=PRODUCT`. Throws when it would exceed 32 characters or use a
 * character the scene does not accept. */
export function buildScene({ code, productId }: ShareTarget): string {
  assertCode(code);
  const scene = productId ? `c=${code}&p=${productId}` : `c=${code}`;
  if (scene.length > SCENE_MAX_LENGTH) throw new RangeError(`scene too long (${scene.length} > ${SCENE_MAX_LENGTH}): ${scene}`);
  if (!SCENE_RE.test(scene)) throw new RangeError(`scene has characters wxacode does not accept: ${scene}`);
  return scene;
}

/**
 * Reads a scene (as received in `options.scene`, possibly still URL-encoded): `c=CODE&p=ID`, or a bare code.
 * Invalid codes are dropped.
 */
export function parseScene(scene: string): { code?: string; productId?: string } {
  if (typeof scene !== 'string' || scene === '') return {};
  let s = scene;
  try {
    s = decodeURIComponent(scene);
  } catch {
    /* keep raw */
  }
  const bare = normalizeDistributorCode(s);
  if (bare && !s.includes('=')) return { code: bare };
  const out: { code?: string; productId?: string } = {};
  for (const part of s.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if ((k === 'c' || k === 'dc') && out.code === undefined) {
      const c = normalizeDistributorCode(v);
      if (c) out.code = c;
    } else if ((k === 'p' || k === 'id') && out.productId === undefined && v !== '') {
      out.productId = v;
    }
  }
  return out;
}

/** Path for a share card (`onShareAppMessage`): product page when a product is shared, else the home page. */
export function sharePath({ code, productId }: ShareTarget): string {
  assertCode(code);
  return productId
    ? `/pages/product/index?id=${encodeURIComponent(productId)}&dc=${code}`
    : `/pages/index/index?dc=${code}`;
}

/** Query for a Moments share (`onShareTimeline`): `dc=CODE&id=…` or `dc=CODE`. */
export function shareQuery({ code, productId }: ShareTarget): string {
  assertCode(code);
  return productId ? `dc=${code}&id=${encodeURIComponent(productId)}` : `dc=${code}`;
}

/**
 * The code carried by a page's launch options / query: `dc` (card, Moments, h5 link) or `scene` (小程序码).
 * Returns the code and where it came from, or null.
 */
export function codeFromQuery(query: Record<string, unknown> | null | undefined): { code: string; via: 'dc' | 'scene' } | null {
  if (!query) return null;
  const dc = normalizeDistributorCode(typeof query.dc === 'string' ? safeDecode(query.dc) : undefined);
  if (dc) return { code: dc, via: 'dc' };
  if (typeof query.scene === 'string') {
    const c = parseScene(query.scene).code;
    if (c) return { code: c, via: 'scene' };
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

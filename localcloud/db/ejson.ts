/**
 * Wire <-> storage value conversion for the local CloudBase database.
 *
 * Storage values are plain JS: numbers, strings, booleans, null, arrays, plain objects, Date
 * (and RegExp only inside queries). The 1.4.3 dialect (wx-server-sdk 4.0.2) sends canonical EJSON
 * strings; the 0.9.15 dialect (tcb-admin-node 1.23.0) sends plain JSON with `{$date: ms}` dates and
 * `{$date: {offset}}` server dates.
 */
import { EJSON } from 'bson';

/** Strip BSON options JS does not know (e.g. `x`, `l`) and keep the valid ones once. */
function jsRegExp(pattern: string, options: string): RegExp {
  const flags = Array.from(new Set((options || '').split('').filter((f) => 'gimsuy'.includes(f)))).join('');
  return new RegExp(pattern, flags);
}

function isPlainObject(v: unknown): v is Record<string, any> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Convert a value produced by `EJSON.parse(str, {relaxed:false})` into storage form. */
export function fromBson(v: any, now: () => number): any {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v !== 'object') return v;
  if (v instanceof Date) return new Date(v.getTime());
  if (v instanceof RegExp) return v;
  if (Array.isArray(v)) return v.map((x) => fromBson(x, now));
  const bt = (v as { _bsontype?: string })._bsontype;
  if (bt) {
    switch (bt) {
      case 'Int32':
      case 'Double':
        return Number(v.valueOf());
      case 'Long':
        return v.toNumber();
      case 'Decimal128':
        return Number(v.toString());
      case 'BSONRegExp':
        return jsRegExp(v.pattern, v.options);
      case 'ObjectId':
      case 'ObjectID':
        return v.toHexString();
      case 'Timestamp':
        return new Date(v.getHighBits() * 1000);
      default:
        return String(v);
    }
  }
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const off = fromBson(v.$tcb_server_date?.offset ?? 0, now);
    return new Date(now() + (Number(off) || 0));
  }
  const out: Record<string, any> = {};
  for (const k of keys) {
    const x = v[k];
    if (x === undefined) continue;
    out[k] = fromBson(x, now);
  }
  return out;
}

/** Parse a canonical EJSON string (or an already-parsed value) sent by the 1.4.3 dialect. */
export function parseWire(s: unknown, now: () => number): any {
  if (s === undefined || s === null || s === '') return undefined;
  if (typeof s === 'string') return fromBson(EJSON.parse(s, { relaxed: false }), now);
  // Some callers (or the in-process path) may already send objects: run them through EJSON for safety.
  return fromBson(EJSON.parse(JSON.stringify(s), { relaxed: false }), now);
}

/** Storage value -> canonical EJSON string (what the 1.4.3 SDK parses). */
export function toWire(doc: any): string {
  return EJSON.stringify(doc, { relaxed: false });
}

/** Parse a stored row (canonical EJSON) back into a storage value. */
export function fromStored(s: string): any {
  return fromBson(EJSON.parse(s, { relaxed: false }), () => 0);
}

/**
 * Legacy dialect (database 0.9.15): plain JSON where `{$date: ms}` is a Date and `{$date:{offset}}` is
 * the server date. `{$regex, $options}` stays as a query operator (mingo understands it).
 */
export function fromLegacy(v: any, now: () => number): any {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => fromLegacy(x, now));
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '$date') {
    const d = v.$date;
    if (typeof d === 'number') return new Date(d);
    if (typeof d === 'string') return new Date(d);
    if (d && typeof d === 'object') {
      if ('$numberLong' in d) return new Date(Number(d.$numberLong));
      return new Date(now() + (Number(d.offset) || 0));
    }
  }
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    return new Date(now() + (Number(v.$tcb_server_date?.offset) || 0));
  }
  const out: Record<string, any> = {};
  for (const k of keys) {
    if (v[k] === undefined) continue;
    out[k] = fromLegacy(v[k], now);
  }
  return out;
}

/** Storage value -> legacy response JSON (Dates as `{$date: ms}`, which 0.9.15 turns back into Date). */
export function toLegacy(v: any): any {
  if (v === null || v === undefined) return v ?? null;
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof RegExp) return { $regex: v.source, $options: v.flags };
  if (Array.isArray(v)) return v.map(toLegacy);
  if (typeof v === 'object') {
    const out: Record<string, any> = {};
    for (const k of Object.keys(v)) out[k] = toLegacy(v[k]);
    return out;
  }
  return v;
}

/** Deep clone of a storage value (Dates and RegExps preserved). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

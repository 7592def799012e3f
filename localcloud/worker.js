/* One SCF-like function instance: a worker thread with its own process.env that requires the function's
 * index.js once (warm) and serves one invocation at a time. Plain CommonJS so it runs under node, tsx and jest.
 *
 * Emulated clock: global Date is replaced by a constructor whose Date.now() and no-argument `new Date()`
 * add the clock offset sent with each invocation. Other constructor forms are untouched and instances are
 * real Dates (same prototype), so `instanceof Date` and the SDK's EJSON serialisation keep working.
 */
'use strict';
const { parentPort, workerData } = require('worker_threads');

const RealDate = Date;
let clockOffset = Number(workerData.clockOffset) || 0;
function LcDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + clockOffset).toString();
  if (args.length === 0) return Reflect.construct(RealDate, [RealDate.now() + clockOffset], new.target);
  return Reflect.construct(RealDate, args, new.target);
}
LcDate.prototype = RealDate.prototype;
LcDate.now = () => RealDate.now() + clockOffset;
LcDate.parse = RealDate.parse;
LcDate.UTC = RealDate.UTC;
Object.defineProperty(LcDate, 'name', { value: 'Date' });
globalThis.Date = LcDate;

process.on('unhandledRejection', (reason) => {
  // the node-sdk has fire-and-forget promises; never let them kill the instance
  console.error(`[localcloud:${workerData.name}] unhandled rejection:`, reason);
});

let mod = null;
let loadError = null;
try {
  mod = require(workerData.entry);
} catch (e) {
  loadError = e;
}

const PER_INVOCATION_KEYS = new Set();

function serializeError(e) {
  if (e && typeof e === 'object') return { message: String(e.message || e), stack: e.stack ? String(e.stack) : undefined, code: e.code, errCode: e.errCode };
  return { message: String(e) };
}

parentPort.on('message', async (msg) => {
  if (msg.type !== 'invoke') return;
  const { id } = msg;
  clockOffset = msg.clockOffset || 0;
  for (const k of PER_INVOCATION_KEYS) delete process.env[k];
  PER_INVOCATION_KEYS.clear();
  for (const [k, v] of Object.entries(msg.env)) {
    if (v === undefined || v === null) continue;
    process.env[k] = String(v);
    PER_INVOCATION_KEYS.add(k);
  }
  try {
    if (loadError) throw loadError;
    const main = mod && (typeof mod.main === 'function' ? mod.main : mod.default && mod.default.main);
    if (typeof main !== 'function') throw new Error(`function ${workerData.name}: index.js does not export main`);
    const event = JSON.parse(msg.event);
    const result = await main(event, msg.context);
    const json = result === undefined ? undefined : JSON.stringify(result);
    parentPort.postMessage({ type: 'result', id, ok: true, json });
  } catch (e) {
    parentPort.postMessage({ type: 'result', id, ok: false, error: serializeError(e) });
  }
});

parentPort.postMessage({ type: 'ready', loadError: loadError ? serializeError(loadError) : null });

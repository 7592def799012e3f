/**
 * Seed the demo shop.
 *
 *   npx tsx scripts/seed/seed.ts                         # local cloud at http://127.0.0.1:8787
 *   npx tsx scripts/seed/seed.ts --url http://127.0.0.1:9000 --reset
 *   npx tsx scripts/seed/seed.ts --env my-env-1a2b --secret-id AKID… --secret-key …   # real CloudBase
 *   npx tsx scripts/seed/seed.ts --env                   # real CloudBase from TCB_ENV + TENCENTCLOUD_SECRET*
 *
 * Options: --reset (first remove every document of the seeded collections — including real users and
 * addresses!), --if-empty (do nothing when `products` already has documents), --now <ms|ISO> (the clock
 * for promotion windows and createdAt; default: the current time), --no-images (skip uploads; docs still
 * reference the image paths), --create-collections (real env: create missing collections first),
 * --verify (read every document back and compare).
 *
 * Every document is written with `doc(_id).set(data)`, so running it twice leaves one copy of each.
 * Image URLs in documents: local → '/storage/<path>' (served same-origin by the local cloud),
 * real env → the `cloud://` fileID returned by uploadFile.
 *
 * In-process callers use `seedInto` (any target) or `seedLocal` (a started local cloud object) from
 * './seed-local', which does not load tcb-admin-node.
 */
export { seedInto, seedLocal, type SeedTarget, type SeedSummary, type SeedOptions, type LocalCloudLike } from './seed-local';
import { SEEDED_COLLECTIONS } from './demo-data';
import { seedInto, type SeedSummary, type SeedTarget } from './seed-local';
import { check, connect, parseArgs, pool, type Args, type Connection } from '../ops/tcb-connect';

// ---------------------------------------------------------------------------------------------
// tcb-admin-node target
// ---------------------------------------------------------------------------------------------

/** A SeedTarget writing through tcb-admin-node (local cloud via serviceUrl, or a real environment). */
export function tcbTarget(conn: Connection): SeedTarget {
  return {
    db: {
      async set(coll, id, doc) {
        check(`set ${coll}/${id}`, await conn.db.collection(coll).doc(id).set(doc));
      },
    },
    async putFile(path, buf, contentType) {
      const filename = path.split('/').pop() as string;
      let res: { fileID?: string; code?: string; message?: string } | undefined;
      let uploadError: unknown;
      try {
        // `request` formData: {value, options} makes it a proper file part (filename + content type)
        res = await conn.app.uploadFile({ cloudPath: path, fileContent: { value: buf, options: { filename, contentType } } });
      } catch (e) {
        uploadError = e;
      }
      const ok = !!res && !res.code && typeof res.fileID === 'string';
      if (conn.mode === 'cloud') {
        if (!ok) throw new Error(`uploadFile ${path} failed: ${res?.code ?? ''} ${res?.message ?? String(uploadError)}`);
        return res!.fileID as string;
      }
      if (!ok) {
        // The local cloud may not emulate uploadFile (storage.getUploadMetadata + a COS-style POST):
        // fall back to a plain HTTP PUT of the file.
        const put = await fetch(`${conn.url}/storage/${path}`, { method: 'PUT', body: new Uint8Array(buf), headers: { 'content-type': contentType } }).catch(
          (e: unknown) => ({ ok: false, status: 0, statusText: String(e) }) as const,
        );
        if (!put.ok) {
          throw new Error(
            `storing ${path} in the local cloud failed: uploadFile → ${res?.code ?? ''} ${res?.message ?? String(uploadError)}; ` +
              `PUT /storage → ${put.status} ${put.statusText}`,
          );
        }
      }
      return `/storage/${path}`;
    },
  };
}

async function listIds(conn: Connection, coll: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const res = check(
      `list ${coll}`,
      await conn.db.collection(coll).field({ _id: true }).orderBy('_id', 'asc').skip(ids.length).limit(1000).get(),
    ) as { data: { _id: string }[] };
    ids.push(...res.data.map((d) => d._id));
    if (res.data.length < 1000) return ids;
  }
}

export async function resetCollections(conn: Connection, collections: readonly string[] = SEEDED_COLLECTIONS): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const coll of collections) {
    const ids = await listIds(conn, coll);
    await pool(ids, 4, async (id) => {
      check(`remove ${coll}/${id}`, await conn.db.collection(coll).doc(id).remove());
    });
    removed[coll] = ids.length;
  }
  return removed;
}

/** JSON with sorted keys, for order-insensitive comparison. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Read every seeded document back through tcb-admin-node and compare; returns the mismatching ids. */
export async function verifySeed(conn: Connection, shop: SeedSummary['shop']): Promise<string[]> {
  const bad: string[] = [];
  for (const coll of SEEDED_COLLECTIONS) {
    const docs = shop[coll] as unknown as { _id: string }[];
    await pool(docs, 4, async (doc) => {
      const res = check(`get ${coll}/${doc._id}`, await conn.db.collection(coll).doc(doc._id).get()) as { data: unknown[] };
      if (res.data.length !== 1 || canonical(res.data[0]) !== canonical(doc)) bad.push(`${coll}/${doc._id}`);
    });
  }
  return bad;
}

function parseNow(v: string | boolean | undefined): number {
  if (typeof v !== 'string') return Date.now();
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new Error(`--now: not a time: ${v}`);
  return n;
}

export async function main(args: Args): Promise<SeedSummary | null> {
  const conn = connect(args);
  const where = conn.mode === 'local' ? `local cloud ${conn.url}` : `CloudBase env ${conn.env}`;
  if (args['create-collections']) {
    for (const coll of SEEDED_COLLECTIONS) {
      const res = await conn.db.createCollection(coll).catch((e: unknown) => ({ code: 'ERR', message: String(e) }));
      if (res?.code) console.log(`createCollection ${coll}: ${res.code} ${res.message ?? ''} (ignored)`);
    }
  }
  if (args['if-empty']) {
    const res = check('count products', await conn.db.collection('products').count()) as { total: number };
    if (res.total > 0) {
      console.log(`${where}: products already has ${res.total} documents; nothing seeded (--if-empty).`);
      return null;
    }
  }
  if (args.reset) {
    const removed = await resetCollections(conn);
    console.log(`${where}: removed ${JSON.stringify(removed)}`);
  }
  const summary = await seedInto(tcbTarget(conn), parseNow(args.now), { images: !args['no-images'] });
  console.log(`${where}: stored ${summary.files} images, wrote ${JSON.stringify(summary.docs)}`);
  if (args.verify) {
    const bad = await verifySeed(conn, summary.shop);
    if (bad.length) throw new Error(`--verify: ${bad.length} documents read back differently: ${bad.slice(0, 10).join(', ')}`);
    console.log(`${where}: verified every document by reading it back`);
  }
  return summary;
}

if (require.main === module) {
  main(parseArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

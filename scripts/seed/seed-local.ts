/**
 * Seeding without tcb-admin-node: `seedInto` writes the demo shop into any target, `seedLocal` into a
 * started local cloud object (`startLocalCloud`: direct `lc.db.set` and `lc.storage.put`, uncounted).
 * Used by the dev server, the e2e harness and the benches; the CLI (`./seed.ts`) adds a tcb-admin-node target.
 */
import { demoShop, SEEDED_COLLECTIONS, type DemoShop } from './demo-data';
import { renderImages } from './images';
import { pool } from '../ops/tcb-connect';

export interface SeedTarget {
  db: {
    /** Create or replace document `id` of `coll` with `doc` (which has no `_id` field). */
    set(coll: string, id: string, doc: Record<string, unknown>): Promise<void>;
  };
  /** Store a file; resolve to the URL or fileID that documents should reference. */
  putFile(path: string, buf: Buffer, contentType: string): Promise<string>;
}

export interface SeedSummary {
  files: number;
  docs: Record<string, number>;
  shop: DemoShop;
}

export interface SeedOptions {
  /** Skip storing images; documents reference `fallbackUrl(path)` instead (default '/storage/<path>'). */
  images?: boolean;
  fallbackUrl?: (path: string) => string;
  concurrency?: number;
}

/** Upload every image, then write every document of the demo shop at clock `now` (epoch ms). */
export async function seedInto(target: SeedTarget, now: number, options: SeedOptions = {}): Promise<SeedSummary> {
  const concurrency = options.concurrency ?? 4;
  const fallback = options.fallbackUrl ?? ((p: string) => `/storage/${p}`);
  const urls = new Map<string, string>();
  if (options.images !== false) {
    const files = [...renderImages()];
    const stored = await pool(files, concurrency, ([path, buf]) => target.putFile(path, buf, 'image/png'));
    files.forEach(([path], i) => urls.set(path, stored[i]));
  }
  const shop = demoShop(now, (path) => {
    const url = urls.get(path);
    if (url !== undefined) return url;
    if (options.images !== false) throw new Error(`image not rendered: ${path}`);
    return fallback(path);
  });
  const docs: Record<string, number> = {};
  for (const coll of SEEDED_COLLECTIONS) {
    const list = shop[coll] as unknown as { _id: string }[];
    await pool(list, concurrency, async (doc) => {
      const { _id, ...rest } = doc;
      await target.db.set(coll, _id, rest);
    });
    docs[coll] = list.length;
  }
  // distribution settings live next to the shop settings (settings/distribution)
  {
    const { _id, ...rest } = shop.distributionSettings;
    await target.db.set('settings', _id, rest as unknown as Record<string, unknown>);
    docs.settings = (docs.settings ?? 0) + 1;
  }
  return { files: urls.size, docs, shop };
}

/** The parts of a started local cloud (`startLocalCloud`) that seeding needs. */
export interface LocalCloudLike {
  db: {
    insert(coll: string, doc: Record<string, unknown>): unknown;
    get(coll: string, id: string): unknown;
    set?(coll: string, id: string, doc: Record<string, unknown>): unknown;
    replace?(coll: string, id: string, doc: Record<string, unknown>): unknown;
    remove?(coll: string, id: string): unknown;
  };
  storage: { put(path: string, buf: Buffer, contentType: string): unknown };
}

/**
 * Seed directly into a running local cloud object (uncounted direct access, no HTTP).
 * Idempotent: an existing document with the same `_id` is replaced.
 */
export async function seedLocal(lc: LocalCloudLike, now: number, options: SeedOptions = {}): Promise<SeedSummary> {
  return seedInto(
    {
      db: {
        async set(coll, id, doc) {
          const full = { _id: id, ...doc };
          if (typeof lc.db.set === 'function') {
            await lc.db.set(coll, id, doc);
            return;
          }
          if (typeof lc.db.replace === 'function' && (await lc.db.get(coll, id))) {
            await lc.db.replace(coll, id, full);
            return;
          }
          if ((await lc.db.get(coll, id)) && typeof lc.db.remove === 'function') await lc.db.remove(coll, id);
          await lc.db.insert(coll, full);
        },
      },
      async putFile(path, buf, contentType) {
        await lc.storage.put(path, buf, contentType);
        return `/storage/${path}`;
      },
    },
    now,
    { concurrency: 1, ...options },
  );
}

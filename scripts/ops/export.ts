/**
 * Export collections as JSON lines through tcb-admin-node.
 *
 *   npx tsx scripts/ops/export.ts --coll orders [--out orders.jsonl]            # local cloud (127.0.0.1:8787)
 *   npx tsx scripts/ops/export.ts --coll orders,skus --dir ./backup --env <envId> --secret-id … --secret-key …
 *
 * Pages with orderBy('_id') + skip/limit (limit ≤ 1000, the server SDK cap), so every document is read
 * exactly once while nothing else writes. Dates are written as ISO strings (JSON.stringify).
 * Connection options: see ./tcb-connect.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { check, connect, parseArgs, type Args, type Connection } from './tcb-connect';

export const PAGE_SIZE = 1000;

/** Call `onPage` with each page of `coll` in `_id` order; returns the document count. */
export async function exportCollection(conn: Connection, coll: string, onPage: (docs: Record<string, unknown>[]) => void | Promise<void>, pageSize = PAGE_SIZE): Promise<number> {
  if (pageSize < 1 || pageSize > 1000) throw new Error('pageSize must be 1..1000');
  let done = 0;
  for (;;) {
    const res = check(`read ${coll}`, await conn.db.collection(coll).orderBy('_id', 'asc').skip(done).limit(pageSize).get()) as {
      data: Record<string, unknown>[];
    };
    if (res.data.length) await onPage(res.data);
    done += res.data.length;
    if (res.data.length < pageSize) return done;
  }
}

export async function main(args: Args): Promise<Record<string, number>> {
  const colls = typeof args.coll === 'string' ? args.coll.split(',').map((c) => c.trim()).filter(Boolean) : [];
  if (!colls.length) throw new Error('usage: export.ts --coll <name[,name…]> [--out file.jsonl | --dir folder] [--url … | --env …]');
  if (typeof args.out === 'string' && colls.length > 1) throw new Error('--out takes one collection; use --dir for several');
  const conn = connect(args);
  const counts: Record<string, number> = {};
  for (const coll of colls) {
    const file = typeof args.out === 'string' ? args.out : typeof args.dir === 'string' ? path.join(args.dir, `${coll}.jsonl`) : null;
    if (file) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, '');
    }
    counts[coll] = await exportCollection(conn, coll, (docs) => {
      const text = docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
      if (file) fs.appendFileSync(file, text);
      else process.stdout.write(text);
    });
    if (file) console.error(`${coll}: ${counts[coll]} documents → ${file}`);
  }
  return counts;
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

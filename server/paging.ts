import { db } from './cloud';

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  page: number;
}

/**
 * One page of a collection, newest first by `field` (then `_id` for a stable order). Reads one extra row to
 * know whether there is more, so a page costs exactly one database request (no count).
 */
export async function pageNewestFirst<T>(
  coll: string,
  where: object,
  page: number,
  pageSize: number,
  field = 'createdAt',
): Promise<Page<T>> {
  const res = await db()
    .collection(coll)
    .where(where)
    .orderBy(field, 'desc')
    .orderBy('_id', 'desc')
    .skip((page - 1) * pageSize)
    .limit(pageSize + 1)
    .get();
  const rows = (res.data as T[]) ?? [];
  return { items: rows.slice(0, pageSize), hasMore: rows.length > pageSize, page };
}

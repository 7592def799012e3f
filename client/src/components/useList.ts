import { useCallback, useEffect, useRef, useState } from 'react';
import { useReachBottom } from '@tarojs/taro';
import { errorMessage } from '../services/cloud';

interface Page<T> { items: T[]; hasMore: boolean }

/** Paged list with loading / error / empty state and "load more" on reaching the bottom. */
export function useList<T>(fetch: (page: number) => Promise<Page<T>>, deps: unknown[] = []) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [hasMore, setHasMore] = useState(false);
  const page = useRef(1);
  const busy = useRef(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fetcher = useCallback(fetch, deps);

  const reload = useCallback(async (quiet = false) => {
    if (!quiet) setLoading(true);
    setError('');
    try {
      const r = await fetcher(1);
      page.current = 1;
      setItems(r.items);
      setHasMore(r.hasMore);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [fetcher]);

  useEffect(() => { void reload(); }, [reload]);
  useReachBottom(async () => {
    if (!hasMore || busy.current) return;
    busy.current = true;
    try {
      const r = await fetcher(page.current + 1);
      page.current += 1;
      setItems((prev) => [...prev, ...r.items]);
      setHasMore(r.hasMore);
    } catch { /* keep the list */ } finally { busy.current = false; }
  });
  return { items, loading, error, hasMore, reload };
}

import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../services/cloud';

/**
 * One record loaded from the server, with the loading / error state that <StateView> shows.
 * `load(true)` reloads quietly (after an action) without flashing the loading state.
 */
export function useLoader<T>(fetch: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const load = useCallback(async (quiet = false) => {
    if (!quiet) setLoading(true);
    setError('');
    try {
      setData(await fetch());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, deps);
  useEffect(() => { void load(); }, [load]);
  return { data, loading, error, load };
}

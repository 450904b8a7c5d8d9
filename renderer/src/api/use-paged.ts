import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '../../../shared/contract';

export interface PageOf<T> {
  items: T[];
  total: number;
  totalExact?: boolean;
}

const PAGE = 150;

/**
 * A server-paged list: the first page on load, the next ones as the table scrolls near its end.
 * A change of `key` (filters, sort) starts over; answers to an older key are dropped.
 */
export function usePaged<T>(key: string, fetchPage: (offset: number, limit: number) => Promise<Result<PageOf<T>>>) {
  const [rows, setRows] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [totalExact, setTotalExact] = useState(true);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [lastFull, setLastFull] = useState(false);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const state = useRef({ rows: [] as T[], loading: false });

  const load = useCallback(async (reset: boolean) => {
    const gen = reset ? ++generation.current : generation.current;
    const offset = reset ? 0 : state.current.rows.length;
    state.current.loading = true;
    setLoading(true);
    const r = await fetchRef.current(offset, PAGE);
    if (gen !== generation.current) return;
    state.current.loading = false;
    setLoading(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(undefined);
    const next = reset ? r.data.items : [...state.current.rows, ...r.data.items];
    state.current.rows = next;
    setRows(next);
    setTotal(r.data.total);
    setTotalExact(r.data.totalExact ?? true);
    setLastFull(r.data.items.length === PAGE);
  }, []);

  useEffect(() => {
    void load(true);
  }, [key, load]);

  const loadMore = useCallback(() => {
    if (!state.current.loading) void load(false);
  }, [load]);
  const reload = useCallback(() => load(true), [load]);
  // When the count is a lower bound, keep offering more while full pages come back.
  const available = rows.length < total ? total : !totalExact && lastFull ? rows.length + 1 : rows.length;
  return { rows, total, totalExact, available, loading, error, loadMore, reload };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent, ListPage } from '../../../shared/api/index';
import { on } from '../api';
import { errorText } from '../lib/errors';

export interface PagedList<T> {
  rows: T[] | null;
  source: ListPage<T>['source'] | null;
  notice: string | null;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  /** Fetches the first page again (keeps the further pages already on screen). */
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
}

interface Options {
  intervalMs?: number;
  events?: ApiEvent[];
}

/**
 * A list read one page at a time (keyset cursors). Auto-refresh and change events fetch
 * only the first page and put it in front of what was already loaded: a screen that polls
 * never re-lists everything. A new `key` (other filters) starts from the first page.
 */
export function usePagedList<T extends { id: string }>(load: (cursor: string | null) => Promise<ListPage<T>>, key: string, failMessage: string, opts: Options = {}): PagedList<T> {
  const [rows, setRows] = useState<T[] | null>(null);
  const [source, setSource] = useState<ListPage<T>['source'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const extra = useRef<T[]>([]);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const page = await loadRef.current(null);
      if (mine !== seq.current) return;
      const firstIds = new Set(page.rows.map((r) => r.id));
      // Later pages already loaded stay below the fresh first page.
      const rest = extra.current.filter((r) => !firstIds.has(r.id));
      setRows([...page.rows, ...rest]);
      if (rest.length === 0) setNext(page.next);
      setSource(page.source);
      setNotice(page.notice);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError(errorText(err, failMessage));
    }
    // `key` stands for the filters captured by `load`.
  }, [failMessage, key]);

  useEffect(() => {
    extra.current = [];
    setRows(null);
    setNext(null);
    void refresh();
  }, [refresh]);

  const loadMore = useCallback(async () => {
    if (!next) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const page = await loadRef.current(next);
      if (mine !== seq.current) return;
      setRows((cur) => {
        const have = new Set((cur ?? []).map((r) => r.id));
        const add = page.rows.filter((r) => !have.has(r.id));
        extra.current = [...extra.current, ...add];
        return [...(cur ?? []), ...add];
      });
      setNext(page.next);
      setNotice(page.notice);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError(errorText(err, failMessage));
    } finally {
      setLoadingMore(false);
    }
  }, [next, failMessage]);

  useEffect(() => {
    if (!opts.intervalMs) return;
    const t = setInterval(() => void refresh(), opts.intervalMs);
    return () => clearInterval(t);
  }, [refresh, opts.intervalMs]);

  const eventKey = (opts.events ?? []).join(',');
  useEffect(() => {
    if (!eventKey) return;
    const offs = eventKey.split(',').map((e) => on(e as ApiEvent, () => void refresh()));
    return () => offs.forEach((off) => off());
  }, [refresh, eventKey]);

  return { rows, source, notice, error, hasMore: next !== null, loadingMore, refresh, loadMore };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent } from '../../../shared/api/index';
import { on } from '../api';
import { errorText } from '../lib/errors';

export interface ApiQuery<T> {
  data: T | null;
  /** pt-BR message of the last failed load; the previous data stays on screen. */
  error: string | null;
  loading: boolean;
  reload(): Promise<void>;
}

interface Options {
  /** Reload every N ms while mounted (status polling). */
  intervalMs?: number;
  /** Core events that mean this data changed. */
  events?: ApiEvent[];
  /** Skip loading (e.g. nothing selected yet). */
  enabled?: boolean;
}

/**
 * Loads screen data through the Api. A new `key` (the request's parameters, serialised)
 * re-runs the load; a stale answer never overwrites a newer one.
 */
export function useApiQuery<T>(load: () => Promise<T>, key: string, failMessage: string, opts: Options = {}): ApiQuery<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const enabled = opts.enabled ?? true;

  const reload = useCallback(async () => {
    if (!enabled) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const result = await loadRef.current();
      if (mine !== seq.current) return;
      setData(result);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      setError(errorText(err, failMessage));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // `key` stands for the parameters captured by `load`.
  }, [enabled, failMessage, key]);

  useEffect(() => {
    if (!enabled) {
      setData(null);
      return;
    }
    void reload();
  }, [reload, enabled]);

  useEffect(() => {
    if (!enabled || !opts.intervalMs) return;
    const t = setInterval(() => void reload(), opts.intervalMs);
    return () => clearInterval(t);
  }, [reload, enabled, opts.intervalMs]);

  const eventKey = (opts.events ?? []).join(',');
  useEffect(() => {
    if (!enabled || !eventKey) return;
    const offs = eventKey.split(',').map((e) => on(e as ApiEvent, () => void reload()));
    return () => offs.forEach((off) => off());
  }, [reload, enabled, eventKey]);

  return { data, error, loading, reload };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';

/** Loads data with a function; `reload` runs it again. Keeps the previous data while reloading (no layout jumps). */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const counter = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++counter.current;
    const abort = new AbortController();
    setLoading(true);
    try {
      const value = await loadRef.current(abort.signal);
      if (mine === counter.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === counter.current) setError(e as Error);
    } finally {
      if (mine === counter.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, loading, reload, setData };
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

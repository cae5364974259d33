import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { readSse, type Agent, type RunEvent } from './api';

interface LiveState {
  agents: Agent[] | null;
  connected: boolean;
  subscribe(listener: (e: RunEvent) => void): () => void;
  onResync(callback: () => void): () => void;
}

const LiveContext = createContext<LiveState>({ agents: null, connected: false, subscribe: () => () => {}, onResync: () => () => {} });

/** One event stream per signed-in tab (GET /api/v1/events): run status changes and the agent list, reconnecting on loss. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<(e: RunEvent) => void>());
  const resyncs = useRef(new Set<() => void>());

  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    let connections = 0;
    const loop = async () => {
      while (!abort.signal.aborted) {
        let opened = false;
        try {
          await readSse('/events', (e) => {
            if (!opened) {
              opened = true;
              // After a reconnect, views reload what they show: events sent while the stream was down are gone.
              if (connections++ > 0) resyncs.current.forEach((r) => r());
            }
            setConnected(true);
            delay = 1000;
            if (e.event === 'agents') setAgents(JSON.parse(e.data) as Agent[]);
            else if (e.event === 'run') {
              const run = JSON.parse(e.data) as RunEvent;
              listeners.current.forEach((l) => l(run));
            }
          }, abort.signal);
        } catch {
          // reconnect below
        }
        setConnected(false);
        if (abort.signal.aborted) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 15000);
      }
    };
    void loop();
    return () => abort.abort();
  }, []);

  const subscribe = useCallback((listener: (e: RunEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const onResync = useCallback((callback: () => void) => {
    resyncs.current.add(callback);
    return () => {
      resyncs.current.delete(callback);
    };
  }, []);
  const value = useMemo<LiveState>(() => ({ agents, connected, subscribe, onResync }), [agents, connected, subscribe, onResync]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}

/** How often views with `onResync` reload anyway while the tab is visible: the safety net for changes no event told. */
export const REFRESH_MS = 15_000;

/**
 * Calls `listener` for every run event while mounted, and `onResync` after the event stream reconnected and every
 * REFRESH_MS while the page is visible. The periodic reload covers runs recorded by another replica in cluster mode,
 * whose events this replica's stream does not carry.
 */
export function useRunEvents(listener: (e: RunEvent) => void, onResync?: () => void) {
  const live = useLive();
  const latest = useRef(listener);
  const resync = useRef(onResync);
  latest.current = listener;
  resync.current = onResync;
  const { subscribe, onResync: addResync } = live;
  const periodic = onResync !== undefined;
  useEffect(() => subscribe((e) => latest.current(e)), [subscribe]);
  useEffect(() => addResync(() => resync.current?.()), [addResync]);
  useEffect(() => {
    if (!periodic) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') resync.current?.();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [periodic]);
}

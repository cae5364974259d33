import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { readSse, type Agent, type RunEvent } from './api';

interface LiveState {
  agents: Agent[] | null;
  connected: boolean;
  subscribe(listener: (e: RunEvent) => void): () => void;
}

const LiveContext = createContext<LiveState>({ agents: null, connected: false, subscribe: () => () => {} });

/** One event stream per signed-in tab (GET /api/v1/events): run status changes and the agent list, reconnecting on loss. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<(e: RunEvent) => void>());

  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    const loop = async () => {
      while (!abort.signal.aborted) {
        try {
          await readSse('/events', (e) => {
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

  const value: LiveState = {
    agents,
    connected,
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}

/** Calls `listener` for every run event while mounted. */
export function useRunEvents(listener: (e: RunEvent) => void) {
  const live = useLive();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => live.subscribe((e) => latest.current(e)), [live]);
}

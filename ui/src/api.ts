// The API client: bearer token from the login, RFC 9457 problem details turned into ApiError with per-field errors.

const TOKEN_KEY = 'gophercron.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }

  /** Messages for one field (camelCase path as the API names it, e.g. `config.command`). */
  field(name: string): string | undefined {
    const messages = this.problem.errors?.[name];
    return messages && messages.length > 0 ? messages.join(' ') : undefined;
  }

  /** Field errors under a prefix (`config.` → `{ command: '...' }`). */
  fieldsUnder(prefix: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, messages] of Object.entries(this.problem.errors ?? {})) {
      if (key.startsWith(prefix + '.')) out[key.slice(prefix.length + 1)] = messages.join(' ');
    }
    return out;
  }
}

let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (!response.ok) {
    let problem: Problem = { status: response.status, title: response.statusText };
    try {
      const text = await response.text();
      if (text) problem = { ...problem, ...JSON.parse(text) };
    } catch {
      // Not JSON: keep the status line.
    }
    if (response.status === 401 && onUnauthorized && !path.startsWith('/auth/login')) onUnauthorized();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return (await response.json()) as T;
  return (await response.text()) as T;
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent event stream with fetch, so the token goes in the Authorization header (EventSource cannot send
 * headers, and a token in a URL ends up in logs). Resolves when the stream ends; rejects on HTTP errors.
 */
export async function readSse(path: string, onEvent: (e: SseEvent) => void, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/api/v1${path}`, { headers, signal });
  if (!response.ok || !response.body) {
    let problem: Problem = { status: response.status, title: response.statusText };
    try {
      problem = { ...problem, ...(await response.json()) };
    } catch {
      // keep the status line
    }
    throw new ApiError(problem);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0 || event !== 'message') onEvent({ event, data: data.join('\n') });
    }
  }
}

// Shapes the API returns (camelCase JSON).
export interface User { id: number; account: string; name: string; isAdmin: boolean; mustChangePassword: boolean; createdAt: string; updatedAt: string }
export interface LoginResponse { token: string; expiresAt: string; mustChangePassword: boolean; user: User }
export interface Paged<T> { items: T[]; page: number; pageSize: number; total: number }
export interface Project { id: number; name: string; remark: string; role: 'admin' | 'manager' | 'viewer'; createdBy: number; createdAt: string; updatedAt: string }
export interface Member { userId: number; account: string; name: string; role: string; createdAt: string }
export interface Task {
  id: number; projectId: number; name: string; cron: string; timeZone: string; executor: string; config: Record<string, unknown>;
  timeoutSeconds: number; enabled: boolean; overlap: string; misfire: string; catchUpWindowSeconds: number | null; parallel: boolean;
  retry: { attempts: number | null; backoffSeconds: number | null }; remark: string; createdAt: string; updatedAt: string;
  nextFireAt: string | null; runningRuns: number; scheduleError: string | null; labels: Record<string, string>; warnings?: string[] | null;
}
export interface Run {
  id: number; projectId: number; taskId: number; status: string; trigger: string; scheduledAt: string; startedAt: string | null;
  finishedAt: string | null; durationMs: number | null; agent: string | null; exitCode: number | null; error: string | null; attempt: number;
  parentRunId: number | null; term: number; outputBytes: number; outputTruncated: boolean;
}
export interface Agent {
  id: string; name: string; address: string; version: string; labels: Record<string, string>; executors: string[]; projects: number[] | null;
  weight: number; configuredWeight: number; connected: boolean; connectedAt: string | null; lastHeartbeatAt: string;
}
export interface Executor { kind: string; displayName: string; description: string; configurationSchema: JsonSchema; knownToHost: boolean; agents: string[] }
export interface JsonSchema {
  type?: string | string[]; title?: string; description?: string; properties?: Record<string, JsonSchema>; required?: string[];
  enum?: unknown[]; default?: unknown; items?: JsonSchema; additionalProperties?: boolean | JsonSchema; minimum?: number; maximum?: number;
  oneOf?: JsonSchema[]; anyOf?: JsonSchema[];
}
export interface CronPreview { expression: string; timeZone: string; shortestIntervalSeconds: number | null; next: string[] }
export interface Cluster { role: string; term: number; leader: string | null; replicas: { endpoint: string; isLeader: boolean; isSelf: boolean }[] }
export interface Dashboard {
  days: { date: string; runs: Record<string, number> }[];
  tasksPerProject: { projectId: number; projectName: string; tasks: number; enabled: number }[];
  recentFailures: { runId: number; projectId: number; projectName: string; taskId: number; taskName: string; status: string; trigger: string; agent: string | null; exitCode: number | null; error: string | null; finishedAt: string | null }[];
}
export interface RunEvent { runId: number; projectId: number; taskId: number; status: string; agent: string | null }

export const TERMINAL = ['succeeded', 'failed', 'timedOut', 'killed', 'skipped', 'lost'];

/**
 * The console's only way to the server: the native API with the signed-in key, which lives in
 * sessionStorage (gone when the tab closes). Errors arrive as problem+json and become ApiError.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Reason {
  code: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: FieldProblem[];
  reasons?: Reason[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  /** Field errors by dotted path (`rule.timeWindows.0.to`), as the API names them. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field] = out[e.field] ? `${out[e.field]}; ${e.message}` : e.message;
    return out;
  }
}

const STORAGE_KEY = 'couponhub.apiKey';

export const session = {
  key(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  set(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

let unauthorized: (() => void) | null = null;
/** Called when the server stops accepting the key (revoked, rotated): the app signs out. */
export function onUnauthorized(fn: () => void): void {
  unauthorized = fn;
}

/** A random Idempotency-Key per action (getRandomValues also works on plain http, unlike randomUUID). */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    return { status: res.status, code: body.code ?? 'http_error', title: body.title ?? res.statusText, detail: body.detail ?? text, errors: body.errors, reasons: body.reasons } as Problem;
  } catch {
    return { status: res.status, code: 'http_error', title: res.statusText, detail: text.slice(0, 300) };
  }
}

/** One call to the native API; resolves with the JSON body, rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown, key: string | null = session.key()): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = idempotencyKey();
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', title: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (res.status === 401 && key && unauthorized) unauthorized();
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

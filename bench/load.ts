/**
 * One timed load run with autocannon's programmatic API, reduced to the numbers the report
 * needs. The load generator runs in this process, on the same cores as the server: that is
 * the setting of the anchors, and the ceiling run pays it exactly as the scenarios do.
 */
import autocannon from 'autocannon';

export interface NextRequest {
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A new request each time (a distinct user, coupon or Idempotency-Key per request). */
  next?: () => NextRequest;
  /** Sees every response (claimed ids, envelope codes, Server-Timing). */
  onResponse?: (status: number, body: string, headers: Record<string, unknown>) => void;
}

export interface LoadResult {
  /** Completed responses per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  completed: number;
  /** Requests written; sent − completed were in flight when the run stopped. */
  sent: number;
  ok2xx: number;
  non2xx: number;
  s5xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  connections: number;
  /** Seconds the run lasts (default 5), */
  duration?: number;
  /** or fewer, if this many requests are answered first. */
  maxRequests?: number;
}

function toRequest(spec: LoadSpec): autocannon.Request {
  const req: autocannon.Request = { method: spec.method, path: spec.path, headers: spec.headers };
  if (spec.body !== undefined) req.body = spec.body;
  const next = spec.next;
  if (next) {
    req.setupRequest = (r) => {
      const n = next();
      return { ...r, path: n.path ?? r.path, body: n.body ?? r.body, headers: n.headers ? { ...r.headers, ...n.headers } : r.headers };
    };
  }
  const onResponse = spec.onResponse;
  if (onResponse) req.onResponse = (status, body, _context, headers) => onResponse(status, body, (headers ?? {}) as Record<string, unknown>);
  return req;
}

export async function runLoad(baseUrl: string, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.duration ?? 5,
    ...(options.maxRequests ? { maxOverallRequests: options.maxRequests } : {}),
    timeout: 10,
    requests: [toRequest(spec)],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
  const completed = r.requests.total;
  const seconds = r.duration;
  return {
    rps: seconds > 0 ? completed / seconds : 0,
    p50: r.latency.p50,
    p99: r.latency.p99,
    completed,
    sent: r.requests.sent,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    s5xx: r['5xx'],
    errors: r.errors,
    statusCodes,
    seconds,
  };
}

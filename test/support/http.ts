/** A server on the test's store, with helpers for JSON requests through inject or real HTTP. */
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/server.ts';
import type { Clock, Deps } from '../../src/app/ports.ts';
import { testRuntime, type TestRuntime } from './store.ts';

export async function testServer(deps: Deps, over: { adminKey?: string } = {}): Promise<FastifyInstance> {
  return buildServer(deps, { adminKey: over.adminKey ?? 'test-admin-key-123', logLevel: 'silent', bodyLimitBytes: 1024 * 1024, serverName: 'test-host', wechatBaseUrl: 'http://127.0.0.1:9' });
}

/**
 * One store and one server for a whole test file: made (and seeded) before its tests, closed after them.
 * Read `s.rt` and `s.app` inside the tests (they exist once `before` has run).
 */
export function serverPerFile(over: { adminKey?: string; clock?: Clock; seed?: (rt: TestRuntime) => Promise<unknown> } = {}): { rt: TestRuntime; app: FastifyInstance } {
  const s = {} as { rt: TestRuntime; app: FastifyInstance };
  before(async () => {
    s.rt = await testRuntime(over.clock ? { clock: over.clock } : {});
    await over.seed?.(s.rt);
    s.app = await testServer(s.rt.deps, over.adminKey === undefined ? {} : { adminKey: over.adminKey });
  });
  after(async () => {
    await s.app.close();
    await s.rt.done();
  });
  return s;
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export async function call<T = any>(app: FastifyInstance, method: string, url: string, key: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, headers: res.headers as JsonResponse["headers"] };
}

/** Starts the server on 127.0.0.1 with a free port; returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

export async function post<T = any>(base: string, path: string, key: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: Object.fromEntries(res.headers) };
}

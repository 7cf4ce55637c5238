/**
 * Idempotency-Key on POSTs that create or spend. The first request with a key runs and its
 * response (status and body) is stored; a repeat with the same body gets that response again,
 * a repeat with another body is refused. Concurrent repeats wait for the first to finish. A
 * request interrupted by a crash is never run again under its key: its outcome is unknown.
 * The reservation is a row in the store, so this holds across processes sharing the database.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../app/ports.ts';
import { reserveKey, settleKey, storedResponse, type Reservation } from '../../app/requests/idempotency-keys.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import './types.ts';

const WAIT_STEP_MS = 20;
const WAIT_MAX_MS = 15_000;
/** A reservation older than this without a result belongs to a request that died (a crash). */
const ABANDONED_MS = 60_000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(request.method)
    .update('\u0000')
    .update(request.url)
    .update('\u0000')
    .update(request.rawBody ?? Buffer.alloc(0))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The time of this request's reservation, or null when a stored response was replayed. */
async function replayOrReserve(deps: Deps, request: FastifyRequest, reply: FastifyReply, scope: string, key: string): Promise<number | null> {
  const fp = fingerprint(request);
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    if (await reserveKey(deps, { scope, key }, fp, now)) return now;
    const row = await storedResponse(deps, { scope, key });
    if (!row) continue; // released meanwhile: try to reserve again
    if (row.fingerprint !== fp) {
      throw new DomainError(ErrorCode.idempotency_key_reused, `Idempotency-Key ${key} was used for a different request; use a new key for a new request`);
    }
    if (row.statusCode !== null) {
      reply.header('idempotent-replayed', 'true');
      reply.code(row.statusCode).type(row.statusCode >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8');
      await reply.send(row.response ?? '');
      return null;
    }
    // Reserved long ago and never answered: the server stopped mid-request. Its work may have
    // committed, so it is never run again under this key (that could issue or spend twice).
    if (Date.now() - row.createdAt > ABANDONED_MS) {
      throw new DomainError(
        ErrorCode.idempotency_in_progress,
        `the request with Idempotency-Key ${key} was interrupted before it answered; whether it took effect is unknown, so it is not run again: check its result, then use a new key`,
      );
    }
    if (Date.now() - started > WAIT_MAX_MS) {
      throw new DomainError(ErrorCode.idempotency_in_progress, `a request with Idempotency-Key ${key} is still in progress; retry shortly`);
    }
    await sleep(WAIT_STEP_MS);
  }
}

/**
 * Adds the hooks to the routes whose config says `idempotent: true` (only to those: the other
 * routes do not pay for them). Must be registered before the routes.
 */
export function registerIdempotency(app: FastifyInstance, deps: Deps): void {
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY_RE.test(key)) throw DomainError.field('header.idempotency-key', 'must be 1 to 255 printable ASCII characters');
    const scope = request.auth?.credential.id ?? 'anonymous';
    const reservedAt = await replayOrReserve(deps, request, reply, scope, key);
    if (reservedAt !== null) request.idempotency = { scope, key, reservedAt, done: false };
  };

  // settleKey never throws: the use case has answered (its writes may have committed), and a
  // key that could not be written must not turn that answer into an error.
  const settle = (request: FastifyRequest, k: Reservation, response: { statusCode: number; body: string } | null) =>
    settleKey(deps, k, response, (err, attempt, willRetry) =>
      request.log.error({ err, idempotencyKey: k.key, attempt, willRetry }, `the Idempotency-Key could not be ${response ? 'completed' : 'released'}${willRetry ? '; trying again in the background' : '; giving up: it stays reserved until purged'}`),
    );

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const idem = request.idempotency;
    if (!idem || idem.done) return payload;
    idem.done = true;
    const body = typeof payload === 'string' ? payload : String(payload ?? '');
    await settle(request, idem, reply.statusCode >= 500 ? null : { statusCode: reply.statusCode, body });
    return payload;
  };

  const onResponse = async (request: FastifyRequest) => {
    const idem = request.idempotency;
    if (idem && !idem.done) await settle(request, idem, null);
  };

  const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    route.preHandler = add(route.preHandler, preHandler as never);
    route.onSend = add(route.onSend, onSend as never);
    route.onResponse = add(route.onResponse, onResponse as never);
  });
}

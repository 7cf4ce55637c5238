/**
 * Idempotency-Key on POSTs that create or spend. The first request with a key runs and its
 * response (status and body) is stored; a repeat with the same body gets that response again,
 * a repeat with another body is refused. Concurrent repeats wait for the first to finish. A
 * request interrupted by a crash is never run again under its key: its outcome is unknown.
 * The reservation is a row in the store, so this holds across processes sharing the database.
 *
 * Two ways: routes with `config: { idempotent: true }` reserve the key in a transaction of its own
 * before the handler and store the response after it (three commits with the use case's); a hot
 * route may instead take the key with its answer inside the use case's own transaction (one
 * commit: `idempotentInTransaction` and answerUnderKey), so a crash leaves the work with its
 * answer or neither.
 */
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../app/ports.ts';
import { reserveKey, settleKey, storedResponse, type KeyedOutcome, type KeyedRequest, type Reservation, type StoredAnswer } from '../../app/requests/idempotency-keys.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import './types.ts';

const WAIT_STEP_MS = 20;
const WAIT_MAX_MS = 15_000;
/** A reservation older than this without a result belongs to a request that died (a crash). */
const ABANDONED_MS = 60_000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_JSON = 'application/problem+json';

/** What the key's request was: method, URL and raw body, hashed in one call. */
function fingerprint(request: FastifyRequest): string {
  const head = Buffer.from(`${request.method}\u0000${request.url}\u0000`);
  return hash('sha256', request.rawBody ? Buffer.concat([head, request.rawBody]) : head, 'hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TAKEN = Symbol('taken');
const REPLAYED = Symbol('replayed');

/**
 * Tries `attempt` (which takes the key: alone, or with the work in one transaction) until it
 * gets the key; meanwhile a stored response is replayed, another request's body is refused, and
 * a request in progress is waited for. REPLAYED when a stored response was sent.
 */
async function takeOrReplay<T>(deps: Deps, reply: FastifyReply, k: KeyedRequest, attempt: () => Promise<T | typeof TAKEN>): Promise<T | typeof REPLAYED> {
  const started = Date.now();
  for (;;) {
    const got = await attempt();
    if (got !== TAKEN) return got;
    // Taken: read the key until it is answered or released (then try to take it again).
    for (let row = await storedResponse(deps, k); row; row = await storedResponse(deps, k)) {
      if (row.fingerprint !== k.fingerprint) {
        throw new DomainError(ErrorCode.idempotency_key_reused, `Idempotency-Key ${k.key} was used for a different request; use a new key for a new request`);
      }
      if (row.statusCode !== null) {
        reply.header('idempotent-replayed', 'true');
        reply.code(row.statusCode).type(row.statusCode >= 400 ? PROBLEM_JSON : JSON_TYPE);
        await reply.send(row.response ?? '');
        return REPLAYED;
      }
      // Reserved long ago and never answered: the server stopped mid-request. Its work may have
      // committed, so it is never run again under this key (that could issue or spend twice).
      if (Date.now() - row.createdAt > ABANDONED_MS) {
        throw new DomainError(
          ErrorCode.idempotency_in_progress,
          `the request with Idempotency-Key ${k.key} was interrupted before it answered; whether it took effect is unknown, so it is not run again: check its result, then use a new key`,
        );
      }
      if (Date.now() - started > WAIT_MAX_MS) {
        throw new DomainError(ErrorCode.idempotency_in_progress, `a request with Idempotency-Key ${k.key} is still in progress; retry shortly`);
      }
      await sleep(WAIT_STEP_MS);
    }
  }
}

/** The request's Idempotency-Key with its scope (the caller's credential) and fingerprint; null without the header. */
export function idempotencyKeyOf(request: FastifyRequest): KeyedRequest | null {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return null;
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !KEY_RE.test(key)) throw DomainError.field('header.idempotency-key', 'must be 1 to 255 printable ASCII characters');
  return { scope: request.auth?.credential.id ?? 'anonymous', key, fingerprint: fingerprint(request) };
}

/**
 * Answers a request whose use case takes its Idempotency-Key inside its own transaction (a route
 * with `config: { idempotentInTransaction: true }`): `run` gets `answer`, which turns the use
 * case's result into the status and JSON body (serialized by the route's response schema) stored
 * with the key and sent as they are. A taken key is replayed, refused or waited for as on the
 * generic path; a refusal (nothing written but the key's reservation) is thrown, and its
 * response settles the key in onSend, as on the generic path.
 */
export async function answerUnderKey<T>(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  k: KeyedRequest,
  statusCode: number,
  body: (value: T) => unknown,
  run: (answer: (value: T) => StoredAnswer) => Promise<KeyedOutcome<T>>,
): Promise<FastifyReply> {
  const answer = (value: T): StoredAnswer => {
    const bytes = reply.code(statusCode).serialize(body(value)); // a string from the route's response schema
    return { statusCode, body: typeof bytes === 'string' ? bytes : Buffer.from(bytes as ArrayBuffer).toString('utf8') };
  };
  const outcome = await takeOrReplay(deps, reply, k, async () => {
    const o = await run(answer);
    return o.kind === 'taken' ? TAKEN : o;
  });
  if (outcome === REPLAYED) return reply;
  if (outcome.kind === 'refused') {
    request.idempotency = { ...outcome.reservation, done: false };
    throw outcome.error;
  }
  return reply.code(outcome.answer.statusCode).type(JSON_TYPE).send(outcome.answer.body);
}

/**
 * Adds the hooks to the routes whose config says `idempotent: true` (only to those: the other
 * routes do not pay for them). Must be registered before the routes.
 */
export function registerIdempotency(app: FastifyInstance, deps: Deps): void {
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const k = idempotencyKeyOf(request);
    if (!k) return;
    const reservedAt = await takeOrReplay(deps, reply, k, async () => {
      const now = Date.now();
      return (await reserveKey(deps, k, k.fingerprint, now)) ? now : TAKEN;
    });
    if (reservedAt !== REPLAYED) request.idempotency = { scope: k.scope, key: k.key, reservedAt, done: false };
  };

  // settleKey never throws: the use case has answered (its writes may have committed), and a
  // key that could not be written must not turn that answer into an error.
  const settle = (request: FastifyRequest, k: Reservation, response: { statusCode: number; body: string } | null) =>
    settleKey(deps, k, response, (err, attempt, willRetry) =>
      request.log.error({ err, idempotencyKey: k.key, attempt, willRetry }, `the Idempotency-Key could not be ${response ? 'completed' : 'released'}${willRetry ? '; trying again in the background' : '; giving up: it stays reserved until purged'}`),
    );

  const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
  // Callback-style hooks: most requests have nothing to settle (a redemption's key is settled in
  // its own transaction), and they go on at once instead of through a promise each.
  const onSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void => {
    const idem = request.idempotency;
    if (!idem || idem.done) return done(null, payload);
    idem.done = true;
    const body = typeof payload === 'string' ? payload : String(payload ?? '');
    void settle(request, idem, reply.statusCode >= 500 ? null : { statusCode: reply.statusCode, body }).then(
      () => done(null, payload),
      (e: unknown) => done(asError(e)),
    );
  };

  const onResponse = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    const idem = request.idempotency;
    if (!idem || idem.done) return done();
    void settle(request, idem, null).then(
      () => done(),
      (e: unknown) => done(asError(e)),
    );
  };

  const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent && !route.config?.idempotentInTransaction) return;
    // A route taking its key in its own transaction does so in the handler (answerUnderKey); the
    // hooks below then only settle a refusal's reservation.
    if (route.config?.idempotent) route.preHandler = add(route.preHandler, preHandler as never);
    route.onSend = add(route.onSend, onSend as never);
    route.onResponse = add(route.onResponse, onResponse as never);
  });
}

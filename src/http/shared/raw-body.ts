/**
 * One JSON body parser for every dialect: it keeps the raw bytes on request.rawBody (partner
 * signatures are computed over the body exactly as sent) and turns broken JSON into a
 * DomainError that each dialect answers in its own envelope.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import './types.ts';

export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  const parse = (request: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: unknown) => void): void => {
    const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (e) {
      done(new DomainError(ErrorCode.invalid_json, `the request body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parse);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'buffer' }, parse);
}

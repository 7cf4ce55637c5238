/**
 * An Idempotency-Key is stored with its request's fingerprint, and a repeat must match it to be
 * replayed — across upgrades too: keys stored by an earlier version are still in the database.
 * So the fingerprint is pinned: SHA-256 of method, NUL, URL, NUL, raw body, in hex.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { idempotencyKeyOf } from '../../../src/http/shared/idempotency.ts';

const request = (rawBody: Buffer | undefined) =>
  ({ method: 'POST', url: '/v1/redemptions?x=1', rawBody, headers: { 'idempotency-key': 'k-1' }, auth: undefined }) as unknown as FastifyRequest;

const expected = (body: Buffer) => createHash('sha256').update('POST').update('\u0000').update('/v1/redemptions?x=1').update('\u0000').update(body).digest('hex');

describe('idempotency › fingerprint', () => {
  it('is SHA-256 of method, URL and raw body, as stored by earlier versions', () => {
    const body = Buffer.from('{"code":"R0000000001","order":{"id":"o-1","amount":5000}}');
    assert.equal(idempotencyKeyOf(request(body))?.fingerprint, expected(body));
    assert.equal(idempotencyKeyOf(request(undefined))?.fingerprint, expected(Buffer.alloc(0)));
  });

  it('differs when only the body differs', () => {
    assert.notEqual(idempotencyKeyOf(request(Buffer.from('{"a":1}')))?.fingerprint, idempotencyKeyOf(request(Buffer.from('{"a":2}')))?.fingerprint);
  });
});

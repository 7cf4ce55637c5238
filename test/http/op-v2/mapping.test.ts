/** The OP v2 tables, checked without a server: value mapping and error mapping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../../src/domain/errors.ts';
import { TEMPLATE_KINDS } from '../../../src/domain/template.ts';
import { opFailure } from '../../../src/http/op-v2/errors.ts';
import { ticketValue, toSecondMs, USE_STATUS } from '../../../src/http/op-v2/mapping.ts';

const logged: unknown[] = [];
const request = { log: { error: (o: unknown) => logged.push(o) } } as unknown as FastifyRequest;

describe('op-v2 mapping', () => {
  it('op-v2 › every engine error code becomes an OP code of SPEC §4 with a message keeping the detail', () => {
    for (const code of Object.values(ErrorCode)) {
      const f = opFailure(new DomainError(code, `detail of ${code}`), request);
      assert.ok([400, 401, 403, 404, 429, 500].includes(f.code), `${code} → ${f.code}`);
      assert.match(f.message, new RegExp(`: detail of ${code}$`));
    }
    assert.deepEqual(['validation_failed', 'invalid_json', 'unauthorized', 'replayed_request', 'stale_request', 'not_found', 'forbidden'].map((c) => opFailure(new DomainError(c as ErrorCode, 'x'), request).code), [400, 400, 401, 401, 401, 404, 403]);
  });

  it('op-v2 › an unexpected error is a 500 whose text is hidden and logged', () => {
    const f = opFailure(new Error('connection string postgres://secret@db'), request);
    assert.equal(f.code, 500);
    assert.doesNotMatch(f.message, /secret/);
    assert.equal(logged.length, 1);
  });

  it('op-v2 › ticketType is 2 with the 折 figure for a template carrying one, else 1 with its amount in fen', () => {
    assert.deepEqual(ticketValue({ amount: null, discount: 8.5 }), { ticketType: 2, ticketAmount: 8.5 });
    assert.deepEqual(ticketValue({ amount: 1000, discount: null }), { ticketType: 1, ticketAmount: 1000 });
    // Kinds OP does not know (free order, parking, …) without an amount: type 1, nothing off.
    assert.deepEqual(ticketValue({ amount: null, discount: null }), { ticketType: 1, ticketAmount: 0 });
    assert.ok(TEMPLATE_KINDS.length > 2);
  });

  it('op-v2 › coupon states map to useStatus 1–6 as the 2.13 table says', () => {
    assert.deepEqual(USE_STATUS, { not_yet_effective: 1, usable: 2, frozen: 3, used: 4, expired: 5, closed: 6, deleted: 6 });
  });

  it('op-v2 › 2.6 instants are cut to the second, null stays null', () => {
    assert.equal(toSecondMs(1449935999999), 1449935999000);
    assert.equal(toSecondMs(1449763200000), 1449763200000);
    assert.equal(toSecondMs(null), null);
  });
});

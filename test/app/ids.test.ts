import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomDigits, uuidV7Hex } from '../../src/app/ports.ts';

describe('codes and ids', () => {
  it('codes › random digits are uniform enough: every digit appears about equally often', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) for (const ch of randomDigits(12)) counts[Number(ch)]++;
    // 24,000 digits: each expected 2,400; a biased or constant source falls far outside ±15 %.
    for (const c of counts) assert.ok(c > 2040 && c < 2760, `digit counts ${counts}`);
  });

  it('ids › UUIDv7 ids are 32 hex, version 7, and sort by creation time', () => {
    const a = uuidV7Hex(1_700_000_000_000);
    const b = uuidV7Hex(1_700_000_000_001);
    assert.match(a, /^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    assert.ok(a < b);
  });
});

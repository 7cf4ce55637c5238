/**
 * The bench turns the order of the rows under each ceiling from round to round (roundOrder in
 * bench/rounds.ts): the place right after a ceiling ran slower whichever server held it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundOrder } from '../../bench/rounds.ts';

const rows = (...servers: string[]) => servers.map((server, i) => ({ server, id: `${i}:${server}` }));
const ids = (list: Array<{ id: string }>) => list.map((s) => s.id);

describe('bench round order', () => {
  it('bench › each ceiling stays first; the rows under it turn by one place a round; every row is first under its ceiling once in as many rounds as there are rows', () => {
    const plan = rows('reference', 'sqlite', 'sqlite-full', 'pg', 'reference', 'sqlite', 'pg');
    assert.deepEqual(ids(roundOrder(plan, 1)), ids(plan));
    assert.deepEqual(ids(roundOrder(plan, 2)), ['0:reference', '2:sqlite-full', '3:pg', '1:sqlite', '4:reference', '6:pg', '5:sqlite']);
    assert.deepEqual(ids(roundOrder(plan, 3)), ['0:reference', '3:pg', '1:sqlite', '2:sqlite-full', '4:reference', '5:sqlite', '6:pg']);
    const firsts = new Set([1, 2, 3].map((round) => roundOrder(plan, round)[1]?.id));
    assert.deepEqual([...firsts].sort(), ['1:sqlite', '2:sqlite-full', '3:pg']);
    // Nothing lost or doubled, whatever the round.
    for (const round of [1, 2, 5, 8]) assert.deepEqual(ids(roundOrder(plan, round)).sort(), ids(plan).sort());
  });

  it('bench › rows before any ceiling (a plan without one) turn too', () => {
    const plan = rows('small', 'big');
    assert.deepEqual(ids(roundOrder(plan, 2)), ['1:big', '0:small']);
  });
});

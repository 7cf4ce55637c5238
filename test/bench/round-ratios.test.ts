/**
 * Beside the table's ratio of medians, the bench prints each round's own ratio (perRoundRatios in
 * bench/report.ts): a run divided by the run it is paired with in the same round.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadResult } from '../../bench/load.ts';
import { perRoundRatios, type RunRecord } from '../../bench/report.ts';

const result = (rps: number): LoadResult => ({ rps, p50: 1, p99: 2, completed: rps > 0 ? 10 : 0, sent: 10, ok2xx: 10, non2xx: 0, s5xx: 0, errors: 0, statusCodes: {}, seconds: 1 });
const run = (round: number, id: string, rps: number, skipped?: string): RunRecord => ({ round, id, warmup: null, result: result(rps), ...(skipped ? { skipped } : {}) });

describe('bench per-round ratios', () => {
  it('bench › each run is divided by the run of its own round, in round order; a round where either side got no answer is left out', () => {
    const runs = [
      run(2, 'ceiling/claim', 8000),
      run(1, 'ceiling/claim', 10000),
      run(1, 'claim/sqlite', 6000),
      run(2, 'claim/sqlite', 6000),
      run(3, 'ceiling/claim', 9000),
      run(3, 'claim/sqlite', 0, 'server unresponsive'),
      run(4, 'claim/sqlite', 5000),
    ];
    assert.deepEqual(perRoundRatios(runs, 'claim/sqlite', 'ceiling/claim'), [0.6, 0.75]);
    assert.deepEqual(perRoundRatios(runs, 'claim/pg', 'ceiling/claim'), []);
  });
});

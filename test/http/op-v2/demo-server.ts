/** OP v2 tests' server: the demo data set loaded, the clock at a seed example's moment. */
import type { FastifyInstance } from 'fastify';
import { demoDataset } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import type { Clock } from '../../../src/app/ports.ts';
import { serverPerFile } from '../../support/http.ts';
import type { TestRuntime } from '../../support/store.ts';

/** The demo as loaded today: its live part (2026–2027) is not yet effective at the seeds' 2015 clocks. */
export const LOADED_IN_2026 = Date.parse('2026-06-01T00:00:00Z');

/** A store with the demo data set and a server on it, for the whole file. */
export function demoServerPerFile(clock: Clock, actorId: string): { rt: TestRuntime; app: FastifyInstance } {
  return serverPerFile({ clock, seed: (rt) => importDataset(rt.deps, demoDataset(LOADED_IN_2026), { actor: { type: 'cli', id: actorId } }) });
}

/**
 * A transaction function that can run on the store's writer thread: it lives in a module (so a
 * worker thread can import it by URL) and takes and returns plain data (its input and output
 * cross threads by structured clone: no class instances, no functions, no Error subclasses).
 */
import type { Queries } from './queries/index.ts';

export interface ThreadTransaction<I, O> {
  /** The module's URL (its `import.meta.url`). */
  readonly module: string;
  /** The name it is exported under in that module. */
  readonly name: string;
  readonly run: (q: Queries, input: I) => Promise<O>;
}

/**
 * Declares a transaction function exported as `name` from `module`:
 * `export const x = threadTransaction(import.meta.url, 'x', async (q, input) => …)`.
 */
export function threadTransaction<I, O>(module: string, name: string, run: (q: Queries, input: I) => Promise<O>): ThreadTransaction<I, O> {
  return { module, name, run };
}

/** PostgreSQL under Kysely through a pg Pool; int8 columns come back as JS numbers (epoch ms, counts). */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { statementNameOf } from '../queries/prepared.ts';
import { asInputRefusal, isStalePreparedStatement } from './errors.ts';
import type { Database } from '../schema.ts';

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Schema to work in (tests use a fresh one each); default public. */
  schema?: string;
}

const INT8 = 20;
const NUMERIC = 1700;

export function openPostgres(options: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8) return (v: string) => Number(v);
      if (oid === NUMERIC) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    types: types as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // The hot compiled queries (queries/prepared.ts) run as named prepared statements: each
  // connection parses and plans one once, then every call only binds and executes it.
  pool.on('connect', (client) => namedStatements(client));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/**
 * Sends the compiled hot queries of a connection as named prepared statements. PostgreSQL replans
 * one by itself after a schema change, except when its result columns changed (another process
 * migrated a `select *` table): then it refuses it for good with 0A000. The statement is then
 * prepared again under a new name; outside a transaction the call is retried at once, inside one
 * the store runs the transaction again (isStalePreparedStatement). Text PostgreSQL cannot store
 * (a NUL character) comes back as a refusal of the input (asInputRefusal).
 */
function namedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const generation = new Map<string, number>();
  const nameFor = (base: string) => {
    const g = generation.get(base);
    return g === undefined ? base : `${base}_${g}`;
  };
  const refusing = (e: unknown) => {
    throw asInputRefusal(e);
  };
  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    const base = typeof text === 'string' && Array.isArray(rest[0]) && rest.length === 1 ? statementNameOf(text) : undefined;
    if (base === undefined) {
      // A streamed query (a cursor) is its own object, not a promise: left as it is.
      const r = query(text, ...rest);
      return r instanceof Promise ? r.catch(refusing) : r;
    }
    const run = () => query({ name: nameFor(base), text, values: rest[0] });
    return run()
      .catch((e: unknown) => {
        if (!isStalePreparedStatement(e)) throw e;
        generation.set(base, (generation.get(base) ?? 0) + 1);
        if (client.getTransactionStatus() === 'I') return run();
        throw e;
      })
      .catch(refusing);
  };
}

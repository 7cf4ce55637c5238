/** PostgreSQL under Kysely through a pg Pool; int8 columns come back as JS numbers (epoch ms, counts). */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { statementNameOf } from '../queries/prepared.ts';
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
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' && Array.isArray(rest[0]) ? statementNameOf(text) : undefined;
      return name ? query({ name, text, values: rest[0] }) : query(text, ...rest);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/**
 * Direct database access for seeding and for the checks after a run. The bench reads and writes
 * the tables itself (not through the engine) so that the checks judge the engine from outside
 * and bulk seeding runs at the database's own speed.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import pg from 'pg';

export type Param = string | number | null;

export interface BenchDb {
  readonly kind: 'sqlite' | 'postgres';
  /** Rows of a query; `?` placeholders on both databases. */
  all<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T[]>;
  run(sql: string, params?: Param[]): Promise<number>;
  close(): Promise<void>;
}

/** node:sqlite binds JS numbers as REAL; integers must go in as BigInt to stay integers. */
const bindSqlite = (params: Param[]): SQLInputValue[] => params.map((p) => (typeof p === 'number' && Number.isSafeInteger(p) ? BigInt(p) : p));

export function openSqliteDb(path: string): BenchDb & { raw: DatabaseSync } {
  const raw = new DatabaseSync(path);
  raw.exec('PRAGMA busy_timeout = 10000');
  return {
    kind: 'sqlite',
    raw,
    async all<T>(sql: string, params: Param[] = []) {
      return raw.prepare(sql).all(...bindSqlite(params)) as T[];
    },
    async run(sql: string, params: Param[] = []) {
      return Number(raw.prepare(sql).run(...bindSqlite(params)).changes);
    },
    async close() {
      raw.close();
    },
  };
}

const toPg = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function openPgDb(url: string): Promise<BenchDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    kind: 'postgres',
    async all<T>(sql: string, params: Param[] = []) {
      return (await client.query(toPg(sql), params)).rows as T[];
    },
    async run(sql: string, params: Param[] = []) {
      return (await client.query(toPg(sql), params)).rowCount ?? 0;
    },
    async close() {
      await client.end();
    },
  };
}

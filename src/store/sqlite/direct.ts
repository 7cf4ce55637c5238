/**
 * Compiled statements (queries/prepared.ts, bulk inserts) run straight on node:sqlite, past
 * Kysely's executor. On SQLite a statement is a synchronous call of a few microseconds; Kysely's
 * way to it — the connection mutex, a chain of async functions, each plugin's result hook — cost
 * about as much again (a redemption's coupon read by code: 18 µs through Kysely, 10 µs direct).
 *
 * A Kysely instance is linked here to the connection it runs on:
 * - the store's outside instance (`store.q`) runs directly only while no transaction is open on
 *   the connection: during one, its statements go through Kysely and so wait for the
 *   connection's mutex as before (a direct read would see the transaction's uncommitted writes);
 * - a transaction's own instance (it holds the mutex) always does.
 * An instance not linked (migrations, PostgreSQL) goes through Kysely.
 */
import type { QueryResult } from 'kysely';
import type { NodeSqliteDatabase } from './connect.ts';

interface Link {
  raw: NodeSqliteDatabase;
  /** The instance holds the connection (a transaction's): no one else's transaction can be open on it. */
  holdsConnection: boolean;
}

const links = new WeakMap<object, Link>();

/** Lets `db`'s compiled statements run directly on `raw` (see the rules above). */
export function runDirectly<T extends object>(db: T, raw: NodeSqliteDatabase, holdsConnection: boolean): T {
  links.set(db, { raw, holdsConnection });
  return db;
}

/**
 * Runs a compiled statement on the connection itself when `db` may (a result shaped as Kysely's
 * SQLite driver shapes it); null when it must go through Kysely.
 */
export function directly<R>(db: object, sql: string, parameters: readonly unknown[]): QueryResult<R> | null {
  const link = links.get(db);
  if (!link || (!link.holdsConnection && link.raw.raw.isTransaction)) return null;
  const stmt = link.raw.prepare(sql);
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

import { PostgresAdapter, type Kysely } from 'kysely';

/** Migrations that need a database-specific column type ask here. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

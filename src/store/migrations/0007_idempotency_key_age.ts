import { sql, type Kysely } from 'kysely';

/**
 * Idempotency-Keys are purged a day after they were reserved, by the background task every
 * minute. Without an index on when a key was reserved each purge read the whole table, which
 * under a flash sale holds every redemption's key and answer of the last day (hundreds of
 * megabytes after a million redemptions), and on SQLite it held the write lock meanwhile. The
 * index grows at its end (keys are reserved in time order), so a redemption pays one appended
 * entry for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index idempotency_keys_created on idempotency_keys (created_at)`.execute(db);
}

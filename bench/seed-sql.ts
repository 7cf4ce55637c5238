/**
 * Bulk coupons written by the database itself (a recursive CTE on SQLite, generate_series on
 * PostgreSQL): millions of rows in a minute or two instead of hours of round trips. Rows are
 * numbered, so ids and codes are known to the bench (the redeem scenario spends them in order).
 */
import type { BenchDb, Param } from './db.ts';

export interface FillSpec {
  tenantId: string;
  templateId: string;
  /** Rows get numbers from..to-1; id = idPrefix + 10-digit number, code = codePrefix + the same. */
  from: number;
  to: number;
  idPrefix: string;
  codePrefix: string;
  /** owner_id = ownerPrefix + (number mod owners): many users holding a few coupons each. */
  ownerPrefix: string;
  owners: number;
  validFrom: number;
  validTo: number;
  issuedAt: number;
}

const COLUMNS = 'tenant_id, id, code, template_id, owner_type, owner_id, sender_id, chat_id, package_id, status, valid_from, valid_to, issued_at, updated_at';

const SQLITE_FILL = `WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
INSERT INTO coupons (${COLUMNS})
SELECT ?, ? || printf('%010d', i), ? || printf('%010d', i), ?, 'user', ? || (i % ?), NULL, NULL, NULL, 'usable', ?, ?, ? + i, ? + i FROM s`;

const PG_FILL = `INSERT INTO coupons (${COLUMNS})
SELECT ?::text, ?::text || lpad(i::text, 10, '0'), ?::text || lpad(i::text, 10, '0'), ?::text, 'user', ?::text || (i % ?::bigint)::text, NULL, NULL, NULL, 'usable', ?::bigint, ?::bigint, ?::bigint + i, ?::bigint + i
FROM generate_series(?::bigint, ?::bigint - 1) AS i`;

/** The number printed into ids and codes (10 digits, zero-padded). */
export const serial = (i: number): string => String(i).padStart(10, '0');

async function fillChunk(db: BenchDb, s: FillSpec, from: number, to: number): Promise<void> {
  const common: Param[] = [s.tenantId, s.idPrefix, s.codePrefix, s.templateId, s.ownerPrefix, s.owners, s.validFrom, s.validTo, s.issuedAt, s.issuedAt];
  if (db.kind === 'sqlite') {
    await db.run('BEGIN');
    try {
      await db.run(SQLITE_FILL, [from, to, ...common]);
      await db.run('COMMIT');
    } catch (e) {
      await db.run('ROLLBACK');
      throw e;
    }
  } else {
    await db.run(PG_FILL, [...common, from, to]);
  }
}

/** Inserts the rows of `spec` in transactions of `chunk` rows, reporting progress after each. */
export async function fillCoupons(db: BenchDb, spec: FillSpec, onProgress?: (done: number, total: number) => void, chunk = 250_000): Promise<void> {
  const total = spec.to - spec.from;
  for (let start = spec.from; start < spec.to; start += chunk) {
    const end = Math.min(spec.to, start + chunk);
    await fillChunk(db, spec, start, end);
    onProgress?.(end - spec.from, total);
  }
}

export async function countCoupons(db: BenchDb, where = '1 = 1', params: Param[] = []): Promise<number> {
  const rows = await db.all<{ n: number | string }>(`SELECT count(*) AS n FROM coupons WHERE ${where}`, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Multi-row inserts without rebuilding the query each time: the SQL for (table, columns, row
 * count, conflict clause) is compiled once by Kysely for the dialect at hand and cached; each
 * call only flattens the values. Hot paths (claims, bulk issuing, events) write through here.
 */
import { CompiledQuery, type InsertQueryBuilder, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export type Tail = (qb: InsertQueryBuilder<Database, keyof Database, unknown>) => InsertQueryBuilder<Database, keyof Database, unknown>;

const compiled = new Map<string, string>();

function sqlFor(db: Kysely<Database>, table: keyof Database, columns: readonly string[], n: number, tailKey: string, tail: Tail | undefined): string {
  // The dialect is part of the key: placeholders differ (? for SQLite, $n for PostgreSQL).
  const key = `${db.getExecutor().adapter.constructor.name}|${table}|${columns.join(',')}|${n}|${tailKey}`;
  let text = compiled.get(key);
  if (text === undefined) {
    const dummy = Object.fromEntries(columns.map((c) => [c, 0]));
    let qb = db.insertInto(table).values(Array.from({ length: n }, () => dummy) as never) as unknown as InsertQueryBuilder<Database, keyof Database, unknown>;
    if (tail) qb = tail(qb);
    text = qb.compile().sql;
    if (compiled.size > 5000) compiled.clear();
    compiled.set(key, text);
  }
  return text;
}

/**
 * Inserts rows (objects with the same keys) in chunks; `tail` adds an on-conflict or returning
 * clause and `tailKey` names it for the cache. Returns the rows the statements returned.
 */
export async function insertRows<R = unknown>(
  db: Kysely<Database>,
  table: keyof Database,
  rows: ReadonlyArray<Record<string, unknown>>,
  options: { chunk?: number; tailKey?: string; tail?: Tail } = {},
): Promise<{ rows: R[]; affected: number }> {
  const first = rows[0];
  if (!first) return { rows: [], affected: 0 };
  const columns = Object.keys(first);
  const chunk = options.chunk ?? Math.max(1, Math.floor(30_000 / columns.length));
  const out: R[] = [];
  let affected = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    for (const r of part) for (const c of columns) params.push(r[c]);
    const text = sqlFor(db, table, columns, part.length, options.tailKey ?? '', options.tail);
    const res = await db.executeQuery<R>(CompiledQuery.raw(text, params));
    out.push(...res.rows);
    affected += Number(res.numAffectedRows ?? res.rows.length);
  }
  return { rows: out, affected };
}

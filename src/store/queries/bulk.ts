/**
 * Multi-row inserts without rebuilding the query each time: the SQL for (table, columns, row
 * count, shared columns, conflict clause) is compiled once by Kysely for the dialect at hand and
 * cached; each call only flattens the values. Hot paths (claims, bulk issuing, events) write
 * through here.
 *
 * On SQLite, a column holding the same value in every row of a big statement (the tenant, the
 * template, a timestamp, a null…) is bound once. Rows written together mostly repeat each other,
 * and node:sqlite copies every value it binds: a bulk issue binds 3 values per coupon instead of
 * 14, 2 per event instead of 8. The statement then runs on the connection itself, not through
 * Kysely's executor, where sqlite/direct.ts allows.
 */
import { CompiledQuery, SqliteAdapter, sql, type InsertQueryBuilder, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { directly } from '../sqlite/direct.ts';

export type Tail = (qb: InsertQueryBuilder<Database, keyof Database, unknown>) => InsertQueryBuilder<Database, keyof Database, unknown>;

type Rows = ReadonlyArray<Record<string, unknown>>;

const compiled = new Map<string, string>();

/**
 * Statements of fewer rows keep plain VALUES: claim batches (up to 512 rows, of every size) would
 * otherwise multiply the statements prepared and cached per row count by their shapes.
 */
const SHARED_MIN_ROWS = 600;

/**
 * The statement for n rows. With `shared` (SQLite) it is `insert … select` from a VALUES list of
 * the varying columns only, the shared ones bound once as ?1, ?2… in the select list. (Naming one
 * parameter from every row of a plain VALUES list instead made SQLite itself twice as slow.)
 */
function sqlFor(db: Kysely<Database>, table: keyof Database, columns: readonly string[], n: number, shared: readonly boolean[] | null, tailKey: string, tail: Tail | undefined): string {
  // The dialect is part of the key: placeholders differ (? for SQLite, $n for PostgreSQL).
  const key = `${db.getExecutor().adapter.constructor.name}|${table}|${columns.join(',')}|${n}|${shared ? shared.map((s) => (s ? 's' : 'v')).join('') : ''}|${tailKey}`;
  let text = compiled.get(key);
  if (text === undefined) {
    let qb: InsertQueryBuilder<Database, keyof Database, unknown>;
    if (shared) {
      let once = 0;
      let each = 0;
      const list = columns.map((_, j) => (shared[j] ? `?${++once}` : `column${++each}`)).join(', ');
      const row = `(${Array.from({ length: each }, () => '?').join(', ')})`;
      // "where true": an upsert clause after a select needs it (SQLite would read ON as a join's).
      const select = sql.raw(`select ${list} from (values ${Array.from({ length: n }, () => row).join(', ')}) where true`);
      qb = db.insertInto(table).columns(columns as never).expression(select as never) as unknown as InsertQueryBuilder<Database, keyof Database, unknown>;
    } else {
      const dummy = Object.fromEntries(columns.map((c) => [c, 0]));
      qb = db.insertInto(table).values(Array.from({ length: n }, () => dummy) as never) as unknown as InsertQueryBuilder<Database, keyof Database, unknown>;
    }
    if (tail) qb = tail(qb);
    text = qb.compile().sql;
    if (compiled.size > 5000) compiled.clear();
    compiled.set(key, text);
  }
  return text;
}

/** Which columns hold the same value (===) in rows[from..to). */
type Sameness = (rows: Rows, from: number, to: number) => boolean[];
/** The parameters of rows[from..to): the shared columns' values once, then the others row by row. */
type Flatten = (rows: Rows, from: number, to: number) => unknown[];

const compiledFns = new Map<string, Sameness | Flatten>();

/**
 * Functions compiled for a column list (and which columns are shared): fixed property reads
 * instead of a lookup by a variable key per value; a bulk issue flattens millions of values.
 */
function compiledFn<F extends Sameness | Flatten>(key: string, build: () => string): F {
  let f = compiledFns.get(key);
  if (f === undefined) {
    f = new Function('rows', 'from', 'to', build()) as F;
    if (compiledFns.size > 1000) compiledFns.clear();
    compiledFns.set(key, f);
  }
  return f as F;
}

const prop = (c: string) => `[${JSON.stringify(c)}]`;

function samenessFor(columns: readonly string[]): Sameness {
  return compiledFn(`same|${columns.join(',')}`, () => {
    const flags = columns.map((_, j) => `s${j}`);
    const checks = columns.map((c, j) => `if (s${j} && r${prop(c)} !== f${prop(c)}) s${j} = false;`).join(' ');
    return `const f = rows[from]; let ${flags.map((s) => `${s} = true`).join(', ')}; for (let i = from + 1; i < to; i++) { const r = rows[i]; ${checks} } return [${flags.join(', ')}];`;
  });
}

function flattenerFor(columns: readonly string[], shared: readonly boolean[] | null): Flatten {
  const isShared = (j: number) => shared?.[j] === true;
  return compiledFn(`flat|${columns.join(',')}|${shared ? shared.map((s) => (s ? 's' : 'v')).join('') : ''}`, () => {
    const once = columns.filter((_, j) => isShared(j));
    const each = columns.filter((_, j) => !isShared(j));
    return [
      `const out = new Array(${once.length} + (to - from) * ${each.length}); let k = 0; const f = rows[from];`,
      ...once.map((c) => `out[k++] = f${prop(c)};`),
      `for (let i = from; i < to; i++) { const r = rows[i]; ${each.map((c) => `out[k++] = r${prop(c)};`).join(' ')} }`,
      'return out;',
    ].join(' ');
  });
}

/**
 * Inserts rows (objects with the same keys) in chunks; `tail` adds an on-conflict or returning
 * clause and `tailKey` names it for the cache. Returns the rows the statements returned.
 */
export async function insertRows<R = unknown>(
  db: Kysely<Database>,
  table: keyof Database,
  rows: Rows,
  options: { chunk?: number; tailKey?: string; tail?: Tail } = {},
): Promise<{ rows: R[]; affected: number }> {
  const first = rows[0];
  if (!first) return { rows: [], affected: 0 };
  const columns = Object.keys(first);
  const same = samenessFor(columns);
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const chunk = options.chunk ?? Math.max(1, Math.floor(30_000 / columns.length));
  const out: R[] = [];
  let affected = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const end = Math.min(rows.length, i + chunk);
    // Shared columns on SQLite only, and only with something left to vary from row to row.
    const mask = sqlite && end - i >= SHARED_MIN_ROWS ? same(rows, i, end) : null;
    const shared = mask?.includes(true) && mask.includes(false) ? mask : null;
    const text = sqlFor(db, table, columns, end - i, shared, options.tailKey ?? '', options.tail);
    const values = flattenerFor(columns, shared)(rows, i, end);
    const res = directly<R>(db, text, values) ?? (await db.executeQuery<R>(CompiledQuery.raw(text, values)));
    for (const r of res.rows) out.push(r);
    affected += Number(res.numAffectedRows ?? res.rows.length);
  }
  return { rows: out, affected };
}

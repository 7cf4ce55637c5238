/**
 * Hot queries compiled once: Kysely builds and compiles the query the first time (per dialect)
 * with placeholders standing for the named parameters; later calls only fill the parameter list.
 * Building a query costs more than running it on SQLite, so the busiest paths (validate, redeem,
 * claims, authentication) go through here. On SQLite the compiled text then runs on the
 * connection's cached statement itself, not through Kysely's executor (sqlite/direct.ts says when).
 */
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from '../schema.ts';
import { directly } from '../sqlite/direct.ts';
import { refuseInsideTransaction } from '../sqlite/tx-guard.ts';

const MARK = '\u0000param:';
const compiled = new Map<string, { sql: string; slots: Array<string | { value: unknown }> }>();

/**
 * The SQL text of every compiled query, with a statement name: on PostgreSQL each connection
 * prepares it once under that name and then only binds and executes it (no parse, no plan per
 * call; see postgres/connect.ts). At most 50 characters: a suffix may follow (PostgreSQL keeps 63).
 */
const statementNames = new Map<string, string>();
export function statementNameOf(sql: string): string | undefined {
  return statementNames.get(sql);
}

/** Stands for a named parameter while a prepared query is built. */
export type Param = <T>(name: string) => T;

/** A named query whose parameters are filled per call: `run(db, { code: '…' })`. */
export function prepared<P extends Record<string, unknown>, R>(name: string, build: (db: Kysely<Database>, p: Param) => { compile(): CompiledQuery<R> }) {
  return async (db: Kysely<Database>, params: P): Promise<QueryResult<R>> => {
    refuseInsideTransaction(db);
    const key = `${db.getExecutor().adapter.constructor.name}|${name}`;
    let c = compiled.get(key);
    if (!c) {
      const q = build(db, <T>(n: string) => `${MARK}${n}` as T).compile();
      c = { sql: q.sql, slots: q.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? v.slice(MARK.length) : { value: v })) };
      compiled.set(key, c);
      if (!statementNames.has(c.sql)) statementNames.set(c.sql, `couponhub_${statementNames.size + 1}_${name}`.slice(0, 50));
    }
    const values = c.slots.map((s) => (typeof s === 'string' ? params[s] : s.value));
    return directly<R>(db, c.sql, values) ?? db.executeQuery<R>(CompiledQuery.raw(c.sql, values));
  };
}

/**
 * An array parameter of a named statement (PostgreSQL), at least ARRAY_PLANNED_LENGTH long: a
 * short array is padded with its own first element (or `none`, which matches nothing, when it is
 * empty). PostgreSQL prices a generic plan as if every array held 10 elements and a custom plan by
 * the elements it is given; so long as custom plans (three keys, say) look cheaper than the
 * generic one, it plans the statement again at every call — for the gathered reads of coupons by
 * code and of chat stamps that planning was a third of the call. With arrays this long the generic
 * plan wins after five calls and is kept (test/store/prepared-statements.test.ts). The repeats
 * cost nothing when it runs: a B-tree scan sorts an array's elements and drops the duplicates
 * before it probes the index.
 */
const ARRAY_PLANNED_LENGTH = 10;
export function padForGenericPlan<T>(values: readonly T[], none: T): T[] {
  if (values.length >= ARRAY_PLANNED_LENGTH) return [...values];
  return [...values, ...Array<T>(ARRAY_PLANNED_LENGTH - values.length).fill(values[0] ?? none)];
}

/**
 * The SQL a piece of code really sends to SQLite, for checking its query plan: the texts SQLite
 * prepares while `fn` runs on this thread (the adapter caches statements per connection, so a
 * statement already prepared there is not seen again: call this before the same query runs).
 */
import { DatabaseSync } from 'node:sqlite';

export async function preparedDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const proto = DatabaseSync.prototype;
  const original = proto.prepare;
  const seen: string[] = [];
  proto.prepare = function (this: DatabaseSync, text: string, ...rest: unknown[]) {
    seen.push(text);
    return (original as (...a: unknown[]) => ReturnType<DatabaseSync['prepare']>).call(this, text, ...rest);
  } as DatabaseSync['prepare'];
  try {
    await fn();
  } finally {
    proto.prepare = original;
  }
  return seen;
}

/** SQLite's plan for each statement matching `pattern` (parameters left unbound), one line per statement. */
export function plansOf(path: string, statements: string[], pattern: RegExp): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const found = statements.filter((s) => pattern.test(s));
    if (found.length === 0) throw new Error(`no statement matching ${pattern} was prepared (already cached?): ${statements.join(' ;; ')}`);
    return found.map((s) => (db.prepare(`explain query plan ${s}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | '));
  } finally {
    db.close();
  }
}

/** Recognises SQLite's constraint failures (node:sqlite throws errors with errcode / errstr). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errcode?: number; message?: string };
  // SQLITE_CONSTRAINT_UNIQUE = 2067, SQLITE_CONSTRAINT_PRIMARYKEY = 1555
  return err?.errcode === 2067 || err?.errcode === 1555 || /UNIQUE constraint failed/.test(err?.message ?? '');
}

export function isForeignKeyViolation(e: unknown): boolean {
  const err = e as { errcode?: number; message?: string };
  return err?.errcode === 787 || /FOREIGN KEY constraint failed/.test(err?.message ?? '');
}

/** SQLITE_BUSY or one of its extended codes (their low byte is 5): another connection holds the lock. */
export function isBusy(e: unknown): boolean {
  const errcode = (e as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' && (errcode & 0xff) === 5;
}

import { DomainError } from '../../domain/errors.ts';

/** Recognises PostgreSQL's constraint failures by SQLSTATE. */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23505';
}

export function isForeignKeyViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23503';
}

/**
 * A named prepared statement PostgreSQL no longer runs: its result columns changed under it
 * (0A000 "cached plan must not change result type") or it is gone (26000, e.g. a pooler reset
 * the session). Preparing it again fixes it, so a transaction that hit it may run again.
 */
export function isStalePreparedStatement(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '26000' || (err?.code === '0A000' && /cached plan must not change result type/.test(err.message ?? ''));
}

/**
 * PostgreSQL cannot store a NUL character in text (22021, "invalid byte sequence for encoding
 * UTF8: 0x00"); SQLite can. Input that carries one (a user id or a code of a partner's request) is
 * refused as invalid input naming the character, not as a failure of ours. Other errors are kept.
 */
export function asInputRefusal(e: unknown): unknown {
  const err = e as { code?: string; message?: string };
  if (err?.code === '22021' && /0x00/.test(err.message ?? '')) {
    return DomainError.field('(text)', 'contains a NUL character (U+0000), which cannot be stored');
  }
  return e;
}

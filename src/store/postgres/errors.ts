import { DomainError, ErrorCode } from '../../domain/errors.ts';

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
 * Input PostgreSQL cannot store: a NUL character in text (22021, "invalid byte sequence for
 * encoding UTF8: 0x00"), which SQLite stores. A refusal of the input (validation_failed), not a
 * failure of ours — but the statement failed, so a transaction it ran in cannot go on: callers
 * that treat refusals as "nothing written yet, commit" must let this one through.
 */
export class UnstorableInputError extends DomainError {
  constructor() {
    super(ErrorCode.validation_failed, '(text): contains a NUL character (U+0000), which cannot be stored', { errors: [{ field: '(text)', message: 'contains a NUL character (U+0000), which cannot be stored' }] });
    this.name = 'UnstorableInputError';
  }
}

/** The driver's error as an UnstorableInputError when it is one; any other error as it is. */
export function asInputRefusal(e: unknown): unknown {
  const err = e as { code?: string; message?: string };
  return err?.code === '22021' && /0x00/.test(err.message ?? '') ? new UnstorableInputError() : e;
}

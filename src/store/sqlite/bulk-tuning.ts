/**
 * A connection's settings for a long bulk write (`couponhub issue`), as measured issuing
 * 1,000,000 coupons. None touches durability: journal mode and synchronous stay as connect.ts set
 * them, so a committed chunk survives a crash as any commit does.
 * - a 16 MiB page cache instead of 64: a chunk's coupons are written in code order, so the cache
 *   only needs the stretch of each index being written; 64 MiB bought no speed and ~50 MB of RSS;
 * - commits checkpoint by themselves past 100,000 WAL pages instead of 50,000: the checkpoint
 *   thread does that copying off the event loop, while each checkpoint on this connection held a
 *   commit up for 0.4-0.6 s (the WAL file grows to ~500 MB instead of ~300 during the run);
 * - the WAL file is not cut back to 64 MB at each restart: cutting it and growing it again held
 *   the next commit up for ~0.2 s. The store's close truncates it as usual.
 */
import type { DatabaseSync } from 'node:sqlite';

const BULK: Record<string, number> = { cache_size: -16_384, wal_autocheckpoint: 100_000, journal_size_limit: -1 };

/** Applies the bulk settings to the connection; returns a function putting the old ones back. */
export function tuneForBulk(raw: DatabaseSync): () => void {
  const before = Object.keys(BULK).map((pragma) => [pragma, Number(Object.values(raw.prepare(`pragma ${pragma}`).get() ?? {})[0])] as const);
  for (const [pragma, value] of Object.entries(BULK)) raw.exec(`pragma ${pragma} = ${value}`);
  return () => {
    for (const [pragma, value] of before) raw.exec(`pragma ${pragma} = ${Math.trunc(value)}`);
  };
}

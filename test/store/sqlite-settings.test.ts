/**
 * A SQLite connection's settings as connect.ts opens it: WAL, the page cache asked for (the writer
 * thread asks for 8 MiB, see writer-worker.ts; 64 MiB otherwise), memory-mapped I/O off, the WAL
 * size at which a commit checkpoints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqlite } from '../../src/store/sqlite/connect.ts';
import { ON_POSTGRES } from '../support/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'couponhub-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function pragmas(cacheKiB?: number, autocheckpointFrames?: number) {
  const { raw, db } = openSqlite({ path: join(dir, `s-${cacheKiB ?? 'default'}-${autocheckpointFrames ?? 'default'}.db`), synchronous: 'NORMAL', lockWaitMs: 1000, ...(cacheKiB ? { cacheKiB } : {}), ...(autocheckpointFrames ? { autocheckpointFrames } : {}) });
  const read = (p: string) => Number(Object.values(raw.raw.prepare(`pragma ${p}`).get() ?? {})[0]);
  const out = { cacheSize: read('cache_size'), mmapSize: read('mmap_size'), journal: String(Object.values(raw.raw.prepare('pragma journal_mode').get() ?? {})[0]), autocheckpoint: read('wal_autocheckpoint') };
  void db.destroy();
  return out;
}

describe('store › SQLite connection settings', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('the page cache is 64 MiB unless a size is asked for (the writer thread asks for 8 MiB)', () => {
    assert.deepEqual(pragmas(), { cacheSize: -65_536, mmapSize: 0, journal: 'wal', autocheckpoint: 50_000 });
    assert.deepEqual(pragmas(8192), { cacheSize: -8192, mmapSize: 0, journal: 'wal', autocheckpoint: 50_000 });
  });

  it('a commit checkpoints past 50,000 WAL frames (a fallback for the background checkpointer) unless a lower mark is asked for (the writer thread asks for 4,000)', () => {
    assert.equal(pragmas(8192, 4000).autocheckpoint, 4000);
  });
});

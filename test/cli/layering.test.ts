/** DESIGN: the CLI calls src/app, never the store: no queries, no transactions, no store imports. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = join(import.meta.dirname, '../../src/cli');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('cli layering', () => {
  it('cli › reads and writes only through use cases (store.q, store.transaction and store imports are refused)', () => {
    const offences: string[] = [];
    for (const file of sources(CLI)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\bstore\.(q|transaction)\b|from '(\.\.\/)+store\//.test(line)) offences.push(`${file.slice(CLI.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offences, []);
  });
});

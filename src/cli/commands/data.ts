/** `couponhub import <file>` and `couponhub export <file>`: the SPEC §2 data set. */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { exportDataset } from '../../app/data/export-dataset.ts';
import { importDataset, type ImportSummary } from '../../app/data/import-dataset.ts';
import type { Deps } from '../../app/ports.ts';
import { getTenant } from '../../app/tenants/read-tenants.ts';
import { DomainError, ErrorCode, isDomainError } from '../../domain/errors.ts';
import { progressBar } from '../progress.ts';

const CLI_ACTOR = { type: 'cli' as const, id: 'couponhub-cli' };

export async function importFile(deps: Deps, file: string): Promise<ImportSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DomainError('validation_failed', `cannot read ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DomainError('invalid_json', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const bar = progressBar('import', 0);
  try {
    return await importDataset(deps, doc, { actor: CLI_ACTOR, onProgress: (done, total) => bar.update(done, total) });
  } finally {
    bar.stop();
  }
}

/** The export skips ids it does not know; asked for by name, an unknown tenant is a mistake to report. */
async function requireTenants(deps: Deps, tenantIds: string[]): Promise<void> {
  for (const id of tenantIds) {
    try {
      await getTenant(deps, id);
    } catch (e) {
      if (isDomainError(e) && e.code === ErrorCode.not_found) throw new DomainError(ErrorCode.not_found, `tenant ${id} not found`, { resource: 'tenant', id });
      throw e;
    }
  }
}

export async function exportFile(deps: Deps, file: string, tenantIds: string[]): Promise<number> {
  // Before the output is opened: a failed export leaves no file behind.
  await requireTenants(deps, tenantIds);
  const out = file === '-' ? process.stdout : createWriteStream(file, { encoding: 'utf8' });
  let coupons = 0;
  const bar = file === '-' ? { update() {}, stop() {} } : progressBar('export coupons', 0);
  try {
    for await (const chunk of exportDataset(deps, { tenantIds, onProgress: (n) => { coupons = n; bar.update(n, Math.max(n, 1)); } })) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    bar.stop();
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
  }
  return coupons;
}

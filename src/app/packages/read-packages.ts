import { DomainError } from '../../domain/errors.ts';
import type { GiftPackage } from '../../domain/package.ts';
import type { PackageFilter } from '../../store/queries/packages.ts';
import type { Deps } from '../ports.ts';

/** A package by id (deleted ones too: partners may ask for them, and they say so). */
export async function getPackage({ store }: Deps, tenantId: string, packageId: string): Promise<GiftPackage> {
  const p = await store.q.packages.get(tenantId, packageId);
  if (!p) throw DomainError.notFound('package', packageId);
  return p;
}

export async function listPackages({ store }: Deps, tenantId: string, filter: PackageFilter, page: { limit: number; offset: number }): Promise<{ items: GiftPackage[]; total: number }> {
  return store.q.packages.list(tenantId, filter, page.limit, page.offset);
}

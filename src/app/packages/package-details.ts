/**
 * Read models partners ask for: a package together with the templates it hands out, and the
 * codes of the packages a set of coupons came from. Each is a fixed number of queries, whatever
 * the size of the package or the wallet.
 */
import type { GiftPackage } from '../../domain/package.ts';
import type { Template } from '../../domain/template.ts';
import type { Deps } from '../ports.ts';
import { getPackage } from './read-packages.ts';

export interface PackageDetails {
  package: GiftPackage;
  /** The package's templates by id (every item's template; the store keeps them referenced). */
  templates: Map<string, Template>;
}

/** A package (deleted ones too) with its templates; not_found when the tenant has no such package. */
export async function getPackageDetails(deps: Deps, tenantId: string, packageId: string): Promise<PackageDetails> {
  const p = await getPackage(deps, tenantId, packageId);
  const ids = [...new Set(p.items.map((i) => i.templateId))];
  const templates = new Map((await deps.store.q.templates.getMany(tenantId, ids)).map((t) => [t.id, t]));
  return { package: p, templates };
}

/** Package codes by package id for the given ids (unknown ids are simply absent). */
export async function packageCodes(deps: Deps, tenantId: string, packageIds: readonly string[]): Promise<Map<string, string>> {
  return deps.store.q.packages.codes(tenantId, [...new Set(packageIds)]);
}

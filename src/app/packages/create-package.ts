import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { EDITABLE_STATUSES, PackageStatus, packageWindow, validatePackageData, type GiftPackage } from '../../domain/package.ts';
import { diff, requireTenant, type TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { checkPackageReferences, mergePackage, type PackageInput } from './package-input.ts';

export interface CreatePackageInput extends TenantInput {
  package: PackageInput & { id?: string | undefined; code?: string | undefined };
}

/** Creates a package in pending_review; it must be submitted, approved and published before users receive it. */
export async function createPackage({ store, clock, ids }: Deps, input: CreatePackageInput): Promise<GiftPackage> {
  const data = mergePackage(null, input.package);
  validatePackageData(data);
  const now = clock.now();
  return store.transaction(async (q) => {
    const tenant = await requireTenant(q, input.tenantId);
    await checkPackageReferences(q, tenant.id, data);
    let code = input.package.code ?? ids.packageCode();
    if (input.package.code !== undefined && (await q.packages.codeTaken(tenant.id, code))) {
      throw new DomainError(ErrorCode.already_exists, `code: package code ${code} is taken`, { errors: [{ field: 'code', message: 'is taken' }] });
    }
    while (await q.packages.codeTaken(tenant.id, code)) code = ids.packageCode();
    const p: GiftPackage = {
      ...data,
      ...packageWindow(data, tenant.timezone),
      tenantId: tenant.id,
      id: input.package.id ?? ids.id(),
      code,
      status: PackageStatus.pending_review,
      createdBy: input.actor.id,
      operatorId: input.actor.id,
      examinerId: null,
      suggestion: null,
      claimed: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await q.packages.insert(p))) throw new DomainError(ErrorCode.already_exists, `package ${p.id} exists already`);
    await q.events.append([{ tenantId: tenant.id, at: now, actor: input.actor, action: 'package.created', subjectType: 'package', subjectId: p.id, data: { ...data } }]);
    return p;
  });
}

/** Edits a package's contents while it is pending review or rejected. */
export async function updatePackage({ store, clock }: Deps, input: TenantInput & { packageId: string; patch: PackageInput }): Promise<GiftPackage> {
  const now = clock.now();
  return store.transaction(async (q) => {
    const tenant = await requireTenant(q, input.tenantId);
    const before = await q.packages.get(tenant.id, input.packageId);
    if (!before || before.status === PackageStatus.deleted) throw DomainError.notFound('package', input.packageId);
    if (!EDITABLE_STATUSES.includes(before.status)) {
      throw new DomainError(ErrorCode.illegal_transition, `package ${before.id} is ${before.status}; only ${EDITABLE_STATUSES.join(' or ')} packages can be edited`);
    }
    const data = mergePackage(before, input.patch);
    validatePackageData(data);
    await checkPackageReferences(q, tenant.id, data);
    const after: GiftPackage = { ...before, ...data, ...packageWindow(data, tenant.timezone), operatorId: input.actor.id, updatedAt: now };
    await q.packages.updateContent(after);
    await q.events.append([
      { tenantId: tenant.id, at: now, actor: input.actor, action: 'package.updated', subjectType: 'package', subjectId: after.id, data: diff({ ...before.rule, ...before, rule: null }, { ...after.rule, ...after, rule: null }) },
    ]);
    return after;
  });
}

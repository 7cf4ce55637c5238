import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { PackageMove, nextPackageStatus, type GiftPackage } from '../../domain/package.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';

export interface MovePackageInput extends TenantInput {
  packageId: string;
  move: PackageMove;
  /** Reviewer's comment (approve / reject). A rejection needs one. */
  suggestion?: string | null | undefined;
}

/**
 * One step of the review workflow. The write is conditional on the status read, so two reviewers
 * acting at once cannot both move the package. Reviews record the examiner and the suggestion.
 */
export async function movePackage({ store, clock }: Deps, input: MovePackageInput): Promise<GiftPackage> {
  if (input.move === PackageMove.reject && !input.suggestion?.trim()) throw DomainError.field('suggestion', 'a rejection needs a suggestion saying what to change');
  const now = clock.now();
  return store.transaction(async (q) => {
    const p = await q.packages.get(input.tenantId, input.packageId);
    if (!p || p.status === 'deleted') throw DomainError.notFound('package', input.packageId);
    const to = nextPackageStatus(p, input.move);
    const review = input.move === PackageMove.approve || input.move === PackageMove.reject;
    const set = {
      operatorId: input.actor.id,
      now,
      ...(review ? { examinerId: input.actor.id, suggestion: input.suggestion ?? null } : {}),
      ...(input.move === PackageMove.submit ? { examinerId: null, suggestion: null } : {}),
    };
    if (!(await q.packages.move(input.tenantId, p.id, p.status, to, set))) {
      throw new DomainError(ErrorCode.illegal_transition, `package ${p.id} changed while this ${input.move} was in progress; read it again`);
    }
    await q.events.append([
      {
        tenantId: input.tenantId,
        at: now,
        actor: input.actor,
        action: `package.${input.move}`,
        subjectType: 'package',
        subjectId: p.id,
        data: { from: p.status, to, ...(review ? { suggestion: input.suggestion ?? null } : {}) },
      },
    ]);
    return (await q.packages.get(input.tenantId, p.id)) as GiftPackage;
  });
}

import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { TemplateStatus, templateWindow, validateTemplateData, type Template, type TemplateData } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';
import { rebuildUserCounts } from '../claims/user-counts.ts';
import { diff, requireTenant, type TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { checkTemplateReferences, mergeTemplate, type TemplateInput } from './template-input.ts';
import { nextVersion } from './template-cache.ts';

export interface UpdateTemplateInput extends TenantInput {
  templateId: string;
  patch: TemplateInput;
  /** Replaces the dialect-owned extras when given. */
  extra?: Record<string, unknown> | undefined;
  /**
   * Whether a template already in the WeChat card wallet re-syncs with this change (default yes).
   * The ticket administration dialect says no: its own `sync` flag decides.
   */
  followInWechat?: boolean | undefined;
  /** Runs in the same transaction after the write (e.g. queueing the WeChat sync): both commit or neither. */
  within?: ((q: Queries, template: Template) => Promise<void>) | undefined;
}

const editable = (t: TemplateData): Record<string, unknown> => ({ ...t });

/**
 * Changes a template. Stock may not drop below what has been claimed; the kind cannot change once
 * coupons exist (it would change what issued coupons are worth).
 */
export async function updateTemplate({ store, clock }: Deps, input: UpdateTemplateInput): Promise<Template> {
  const now = clock.now();
  return store.transaction(async (q) => {
    const tenant = await requireTenant(q, input.tenantId);
    // Locked as claims lock it: `claimed` cannot move between the stock check and the write.
    const before = await q.templates.lockForClaim(tenant.id, input.templateId);
    if (!before) throw DomainError.notFound('template', input.templateId);
    if (before.status === TemplateStatus.archived) throw new DomainError(ErrorCode.illegal_transition, `template ${before.id} is archived and cannot change`);
    const data = mergeTemplate(before, input.patch);
    validateTemplateData(data);
    const problems = [];
    if (data.stock !== null && data.stock < before.claimed) problems.push({ field: 'stock', message: `must be at least ${before.claimed}, the number already claimed` });
    if (data.kind !== before.kind && before.claimed > 0) problems.push({ field: 'kind', message: 'cannot change once coupons have been issued' });
    if (problems.length > 0) throw DomainError.invalid(problems);
    await checkTemplateReferences(q, tenant.id, data);
    const after: Template = { ...before, ...data, ...templateWindow(data, tenant.timezone), updatedAt: nextVersion(before.updatedAt, now) };
    await q.templates.update(after);
    if (before.perUserLimit === null && after.perUserLimit !== null) await rebuildUserCounts(q, tenant.id, after.id);
    if (input.extra !== undefined) await q.templates.setExtra(tenant.id, after.id, input.extra);
    if (input.followInWechat !== false) await q.wechat.requestIfTracked({ tenantId: tenant.id, templateId: after.id }, now);
    const changes = diff(editable(before), editable(after));
    // Read back: a concurrent claim may have moved `claimed` since the read above.
    const fresh = (await q.templates.get(tenant.id, after.id)) ?? after;
    await q.events.append([{ tenantId: tenant.id, at: now, actor: input.actor, action: 'template.updated', subjectType: 'template', subjectId: after.id, data: changes }]);
    if (input.within) await input.within(q, fresh);
    return fresh;
  });
}

/** Archives a template: no more claims; coupons already issued keep working. */
export async function archiveTemplate({ store, clock }: Deps, input: TenantInput & { templateId: string }): Promise<Template> {
  const now = clock.now();
  return store.transaction(async (q) => {
    const t = await q.templates.lockForClaim(input.tenantId, input.templateId);
    if (!t) throw DomainError.notFound('template', input.templateId);
    if (t.status === TemplateStatus.archived) return t;
    const after: Template = { ...t, status: TemplateStatus.archived, updatedAt: nextVersion(t.updatedAt, now) };
    await q.templates.update(after);
    await q.events.append([{ tenantId: t.tenantId, at: now, actor: input.actor, action: 'template.archived', subjectType: 'template', subjectId: t.id, data: {} }]);
    return after;
  });
}

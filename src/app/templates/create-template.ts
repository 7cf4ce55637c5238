import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { TemplateStatus, templateWindow, validateTemplateData, type Template } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';
import { requireTenant, type TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { checkTemplateReferences, mergeTemplate, type TemplateInput } from './template-input.ts';

export interface CreateTemplateInput extends TenantInput {
  template: TemplateInput & { id?: string | undefined; code?: string | undefined };
  /** Dialect-owned extras kept beside the template (the ticket administration card). */
  extra?: Record<string, unknown> | undefined;
  /** Runs in the same transaction after the write (e.g. queueing the WeChat sync): both commit or neither. */
  within?: ((q: Queries, template: Template) => Promise<void>) | undefined;
}

/** Creates a template; its code is generated (12 digits) unless given, its number is the tenant's next. */
export async function createTemplate({ store, clock, ids }: Deps, input: CreateTemplateInput): Promise<Template> {
  const data = mergeTemplate(null, input.template);
  validateTemplateData(data);
  const now = clock.now();
  return store.transaction(async (q) => {
    const tenant = await requireTenant(q, input.tenantId);
    await checkTemplateReferences(q, tenant.id, data);
    let code = input.template.code ?? ids.templateCode();
    if (input.template.code !== undefined && (await q.templates.codeTaken(tenant.id, code))) {
      throw new DomainError(ErrorCode.already_exists, `code: template code ${code} is taken`, { errors: [{ field: 'code', message: 'is taken' }] });
    }
    while (await q.templates.codeTaken(tenant.id, code)) code = ids.templateCode();
    const t: Template = {
      ...data,
      ...templateWindow(data, tenant.timezone),
      tenantId: tenant.id,
      id: input.template.id ?? ids.id(),
      code,
      number: await q.tenants.nextTemplateNumber(tenant.id),
      claimed: 0,
      status: TemplateStatus.active,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await q.templates.insert(t, input.extra ?? {}))) throw new DomainError(ErrorCode.already_exists, `template ${t.id} exists already`);
    await q.events.append([{ tenantId: tenant.id, at: now, actor: input.actor, action: 'template.created', subjectType: 'template', subjectId: t.id, data: { ...data } }]);
    if (input.within) await input.within(q, t);
    return t;
  });
}

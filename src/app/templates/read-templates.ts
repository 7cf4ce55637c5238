import { DomainError } from '../../domain/errors.ts';
import type { Template } from '../../domain/template.ts';
import type { TemplateFilter } from '../../store/queries/templates.ts';
import type { Deps } from '../ports.ts';

export async function getTemplate({ store }: Deps, tenantId: string, templateId: string): Promise<Template> {
  const t = await store.q.templates.get(tenantId, templateId);
  if (!t) throw DomainError.notFound('template', templateId);
  return t;
}

export async function listTemplates({ store }: Deps, tenantId: string, filter: TemplateFilter, page: { limit: number; offset: number }): Promise<{ items: Template[]; total: number }> {
  return store.q.templates.list(tenantId, filter, page.limit, page.offset);
}

/** Factories that write through the real use cases (and so the real store). */
import { createCredential } from '../../src/app/credentials/create-credential.ts';
import { createTenant } from '../../src/app/tenants/create-tenant.ts';
import { createTemplate } from '../../src/app/templates/create-template.ts';
import type { TemplateInput } from '../../src/app/templates/template-input.ts';
import type { Deps } from '../../src/app/ports.ts';
import type { Actor } from '../../src/domain/catalog.ts';
import type { Template } from '../../src/domain/template.ts';

export const ACTOR: Actor = { type: 'system', id: 'test' };

let n = 0;
const next = (p: string) => `${p}${++n}${Math.random().toString(36).slice(2, 6)}`;

export async function aTenant(deps: Deps, over: { id?: string; timezone?: string } = {}) {
  return createTenant(deps, { id: over.id ?? next('tenant'), name: 'Test Co', timezone: over.timezone ?? 'Asia/Shanghai', servicePhone: '400800400', actor: ACTOR });
}

/** A tenant with one API key per role: { tenant, keys: { merchant, cashier, client } }. */
export async function aTenantWithKeys(deps: Deps, over: { id?: string; timezone?: string } = {}) {
  const tenant = await aTenant(deps, over);
  const key = async (role: 'merchant' | 'cashier' | 'client') => (await createCredential(deps, { tenantId: tenant.id, kind: 'api', role, actor: ACTOR })).key as string;
  return { tenant, keys: { merchant: await key('merchant'), cashier: await key('cashier'), client: await key('client') } };
}

export async function aTemplate(deps: Deps, tenantId: string, over: TemplateInput & { id?: string } = {}): Promise<Template> {
  return createTemplate(deps, { tenantId, actor: ACTOR, template: { name: 'Test 满30减10', kind: 'cash', amount: 1000, stock: 100, perUserLimit: 1, ...over } });
}

import type { Tenant } from '../../domain/catalog.ts';
import { requireTenant } from '../context.ts';
import type { Deps } from '../ports.ts';
import type { Queries } from '../../store/store.ts';
import { forgetEverywhere } from '../requests/forget-everywhere.ts';

export async function getTenant({ store }: Deps, tenantId: string): Promise<Tenant> {
  return requireTenant(store.q, tenantId);
}

/** Tenants in id order, a page at a time. */
export async function listTenants({ store }: Deps, input: { limit: number; after: string | null }): Promise<{ items: Tenant[]; next: string | null }> {
  const items = await store.q.tenants.list(input.limit + 1, input.after);
  const more = items.length > input.limit;
  const page = more ? items.slice(0, input.limit) : items;
  return { items: page, next: more ? (page.at(-1)?.id ?? null) : null };
}

const TENANT_CACHE_MS = 5_000;
const tenantCache = new Map<string, { tenant: Tenant; until: number }>();

/**
 * A tenant for request handling, cached per process for a few seconds (names and phone numbers
 * change rarely; the timezone never changes).
 */
export async function getTenantCached(deps: Deps, tenantId: string): Promise<Tenant | null> {
  return tenantCachedVia(deps.store.q, tenantId);
}

/**
 * The same, reading through the given queries on a miss: inside a transaction pass the
 * transaction's queries (on SQLite a query outside it would wait for the transaction's own
 * connection forever).
 */
export async function tenantCachedVia(q: Queries, tenantId: string): Promise<Tenant | null> {
  const hit = tenantCache.get(tenantId);
  const now = Date.now();
  if (hit && hit.until > now) return hit.tenant;
  const t = await q.tenants.get(tenantId);
  if (!t) {
    tenantCache.delete(tenantId);
    return null;
  }
  if (tenantCache.size > 10_000) tenantCache.clear();
  tenantCache.set(tenantId, { tenant: t, until: now + TENANT_CACHE_MS });
  return t;
}

/** Drops a tenant from this process's cache, on every thread of it (after an edit). */
export const forgetTenant = forgetEverywhere('tenant', (tenantId) => {
  tenantCache.delete(tenantId);
});

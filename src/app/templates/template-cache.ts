/**
 * Templates by version, cached per process. A template's `updatedAt` moves forward on every write
 * (updateTemplate makes it strictly larger), and readers get it from the database alongside the
 * coupon, so a cached template is used only while it is still the current one — across processes
 * too. Validation and redemption read a coupon and its template on every request; this spares
 * them reading and parsing the template.
 */
import type { Template } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';

const MAX = 10_000;
const cache = new Map<string, Template>();

/** The template as of `updatedAt`, from the cache or the store (undefined when it is gone). */
export async function templateAt(q: Queries, tenantId: string, templateId: string, updatedAt: number): Promise<Template | undefined> {
  const key = `${tenantId}\u0000${templateId}`;
  const hit = cache.get(key);
  if (hit && hit.updatedAt === updatedAt) return hit;
  const t = await q.templates.get(tenantId, templateId);
  if (t) remember(key, t);
  return t;
}

function remember(key: string, t: Template): void {
  if (cache.size >= MAX) cache.clear();
  cache.set(key, t);
}

/** The next `updatedAt` of a template written at `now`: strictly after the one before. */
export const nextVersion = (previous: number, now: number): number => Math.max(now, previous + 1);

/**
 * The template as this process last read it, whatever its version (read from the store when it
 * has none): for a write guarded by the `updatedAt` it was read at, which refuses it if stale.
 */
export async function templateLastSeen(q: Queries, tenantId: string, templateId: string): Promise<Template | undefined> {
  const key = `${tenantId}\u0000${templateId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const t = await q.templates.get(tenantId, templateId);
  if (t) remember(key, t);
  return t;
}

/** Drops a template from this process's cache (its next reader reads it from the store). */
export function forgetTemplate(tenantId: string, templateId: string): void {
  cache.delete(`${tenantId}\u0000${templateId}`);
}

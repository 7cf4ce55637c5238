/**
 * The tenant's product kinds, channels and themes, and its templates' names: read once per
 * sign-in and shared by every page (forms, the cashier, lists that show names for ids).
 */
import { api } from './api.ts';
import { useLoad } from './load.ts';
import type { Named, Template } from './types.ts';

export interface Catalog {
  productKinds: Named[];
  channels: Named[];
  themes: Named[];
}

let catalog: Promise<Catalog> | null = null;
let templates: Promise<Template[]> | null = null;

export function loadCatalog(): Promise<Catalog> {
  catalog ??= Promise.all([
    api.get<{ data: Named[] }>('/v1/product-kinds'),
    api.get<{ data: Named[] }>('/v1/channels'),
    api.get<{ data: Named[] }>('/v1/themes'),
  ]).then(([k, c, th]) => ({ productKinds: k.data, channels: c.data, themes: th.data }));
  catalog.catch(() => (catalog = null));
  return catalog;
}

/** Every template (the API's largest page is 200; names of older ones fall back to ids). */
export function loadTemplates(): Promise<Template[]> {
  templates ??= api.get<{ data: Template[] }>('/v1/templates', { limit: 200 }).then((r) => r.data);
  templates.catch(() => (templates = null));
  return templates;
}

/** After a template is created or changed. */
export function forgetTemplates(): void {
  templates = null;
}

export function forgetAll(): void {
  catalog = null;
  templates = null;
}

export const useCatalog = () => useLoad(loadCatalog, []);
export const useTemplates = () => useLoad(loadTemplates, []);

export function nameOf(list: Array<{ id: string; name: string }> | undefined, id: string | null): string {
  if (id === null) return '—';
  return list?.find((x) => x.id === id)?.name ?? id;
}

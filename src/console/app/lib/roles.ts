/** What each key role sees: the console shows only pages and buttons the API would allow. */
import type { MessageKey } from './i18n.ts';
import type { Role } from './types.ts';

export type PageId = 'dashboard' | 'templates' | 'packages' | 'coupons' | 'cashier' | 'partners' | 'sync';

export interface PageInfo {
  id: PageId;
  /** Path under /console. */
  path: string;
  label: MessageKey;
  roles: readonly Role[];
}

/** Mirrors src/http/native/context.ts ROLES for the routes each page calls. */
export const PAGES: readonly PageInfo[] = [
  { id: 'dashboard', path: '/', label: 'nav.dashboard', roles: ['merchant'] },
  { id: 'templates', path: '/templates', label: 'nav.templates', roles: ['merchant', 'client'] },
  { id: 'packages', path: '/packages', label: 'nav.packages', roles: ['merchant', 'client'] },
  { id: 'coupons', path: '/coupons', label: 'nav.coupons', roles: ['merchant', 'client'] },
  { id: 'cashier', path: '/cashier', label: 'nav.cashier', roles: ['merchant', 'cashier'] },
  { id: 'partners', path: '/partners', label: 'nav.partners', roles: ['merchant'] },
  { id: 'sync', path: '/sync', label: 'nav.sync', roles: ['merchant'] },
];

const SECTION: Record<string, PageId> = { '': 'dashboard', templates: 'templates', packages: 'packages', coupons: 'coupons', cashier: 'cashier', partners: 'partners', sync: 'sync' };

export function pagesFor(role: Role): PageInfo[] {
  return PAGES.filter((p) => p.roles.includes(role));
}

export function pageOfSection(section: string): PageId | null {
  return SECTION[section] ?? null;
}

/** Changing things (templates, packages, coupons' state) is the merchant's. */
export const canManage = (role: Role): boolean => role === 'merchant';

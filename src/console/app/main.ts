/** The console's entry: who is signed in, which page the path names, and whether the role may see it. */
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized, session } from './lib/api.ts';
import { forgetAll } from './lib/catalog.ts';
import { t, useLang } from './lib/i18n.ts';
import { pageOfSection, pagesFor, type PageId } from './lib/roles.ts';
import { navigate, useRoute, type Route } from './lib/router.ts';
import type { Me } from './lib/types.ts';
import { CashierPage } from './pages/cashier.ts';
import { CouponsPage } from './pages/coupons.ts';
import { DashboardPage } from './pages/dashboard.ts';
import { PackagesPage } from './pages/packages.ts';
import { PartnersPage } from './pages/partners.ts';
import { SignInPage } from './pages/signin.ts';
import { SyncPage } from './pages/sync.ts';
import { TemplatesPage } from './pages/templates.ts';
import { Loading, Notice } from './ui/bits.ts';
import { Layout } from './ui/layout.ts';

const VIEWS: Record<PageId, (p: { me: Me; route: Route }) => unknown> = {
  dashboard: DashboardPage,
  templates: TemplatesPage,
  packages: PackagesPage,
  coupons: CouponsPage,
  cashier: CashierPage,
  partners: PartnersPage,
  sync: SyncPage,
};

function App() {
  useLang();
  const route = useRoute();
  const [me, setMe] = useState<Me | null | undefined>(session.key() ? undefined : null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = (why: string | null = null) => {
    session.clear();
    forgetAll();
    setNotice(why);
    setMe(null);
    navigate('/', true);
  };

  useEffect(() => {
    onUnauthorized(() => signOut(t('signin.expired')));
    if (session.key()) api.get<Me>('/v1/me').then(setMe, () => signOut(null));
  }, []);

  useEffect(() => {
    // The home page of a role without a dashboard is its first page (the cashier's till).
    const first = me ? pagesFor(me.role)[0] : undefined;
    if (route.section === '' && first && first.id !== 'dashboard') navigate(first.path, true);
  }, [route.section, me?.role]);

  if (me === undefined) return html`<${Loading} />`;
  if (me === null) return html`<${SignInPage} notice=${notice} onSignedIn=${(m: Me) => { setNotice(null); setMe(m); }} />`;

  const allowed = pagesFor(me.role);
  const page = pageOfSection(route.section);
  document.title = `${page ? t(`nav.${page}`) : t('app.console')} · couponhub`;

  let body;
  if (allowed.length === 0) body = html`<${Notice} tone="info">${t('app.noPages')}<//>`;
  else if (page && allowed.some((a) => a.id === page)) {
    const View = VIEWS[page];
    body = html`<${View} key=${page} me=${me} route=${route} />`;
  } else body = html`<${Notice} tone="error">${page ? t('app.forbidden') : t('app.notFound')}<//>`;
  return html`<${Layout} me=${me} page=${page} onSignOut=${() => signOut(null)}>${body}<//>`;
}

const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  render(html`<${App} />`, root);
}

/** The frame of every page: skip link, header (tenant, role, language, sign out), navigation, main. */
import type { ComponentChildren } from 'preact';
import { html } from 'htm/preact';
import { LANGS, lang, setLang, t, type Lang } from '../lib/i18n.ts';
import { pagesFor, type PageId } from '../lib/roles.ts';
import { follow, href } from '../lib/router.ts';
import type { Me } from '../lib/types.ts';
import { ConfirmHost } from './confirm.ts';

export function LanguageSelect() {
  return html`<div class="lang">
    <label for="lang-select">${t('app.language')}</label>
    <select id="lang-select" value=${lang()} onChange=${(e: Event) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
      ${LANGS.map((l) => html`<option value=${l.id} selected=${l.id === lang()}>${l.label}</option>`)}
    </select>
  </div>`;
}

export function Layout(p: { me: Me; page: PageId | null; onSignOut: () => void; children: ComponentChildren }) {
  const pages = pagesFor(p.me.role);
  return html`<a class="skip" href="#main">${t('app.skip')}</a>
  <header class="top">
    <div class="brand"><span class="logo" aria-hidden="true">券</span> couponhub <span class="muted">${t('app.console')}</span></div>
    <div class="who" data-role=${p.me.role}>
      <span class="tenant">${p.me.tenant?.name ?? t('role.platform')}</span>
      <span class="role-chip">${t(`role.${p.me.role}`)}${p.me.label ? ` · ${p.me.label}` : ''}</span>
    </div>
    <${LanguageSelect} />
    <button type="button" class="secondary" onClick=${p.onSignOut}>${t('app.signOut')}</button>
  </header>
  <div class="shell">
    <nav class="side" aria-label=${t('app.nav')}>
      <ul>
        ${pages.map((pg) => html`<li><a href=${href(pg.path)} aria-current=${pg.id === p.page ? 'page' : undefined} onClick=${(e: MouseEvent) => follow(e, pg.path)}>${t(pg.label)}</a></li>`)}
      </ul>
    </nav>
    <main id="main" tabindex="-1">${p.children}</main>
  </div>
  <${ConfirmHost} />`;
}

/** A page heading with optional actions on its right. */
export function PageHead(p: { title: string; children?: ComponentChildren }) {
  return html`<div class="page-head"><h1>${p.title}</h1><div class="actions">${p.children}</div></div>`;
}

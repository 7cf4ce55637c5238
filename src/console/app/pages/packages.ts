/** Packages (礼包): a filtered, paged list with status badges; /packages/new and /packages/{id}. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { when } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import { canManage } from '../lib/roles.ts';
import { follow, href, type Route } from '../lib/router.ts';
import type { GiftPackage, ListPage, Me } from '../lib/types.ts';
import { Badge, Empty, ErrorNotice, Loading } from '../ui/bits.ts';
import { SelectField, TextField } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { OffsetPager } from '../ui/pager.ts';
import { PackageDetail } from './package-detail.ts';
import { PackageForm } from './package-form.ts';

const LIMIT = 20;
export const PACKAGE_STATUSES = ['pending_review', 'in_review', 'rejected', 'ready', 'published', 'closed', 'deleted'];

function PackageList(p: { me: Me }) {
  const [filter, setFilter] = useState({ q: '', status: '' });
  const [offset, setOffset] = useState(0);
  const change = (patch: Partial<typeof filter>) => {
    setFilter({ ...filter, ...patch });
    setOffset(0);
  };
  const list = useLoad(() => api.get<ListPage<GiftPackage>>('/v1/packages', { ...filter, limit: LIMIT, offset }), [filter.q, filter.status, offset]);
  const rows = list.data?.data ?? [];
  return html`<${PageHead} title=${t('nav.packages')}>
      ${canManage(p.me.role) ? html`<a class="button primary" href=${href('/packages/new')} onClick=${(e: MouseEvent) => follow(e, '/packages/new')}>${t('pkg.new')}</a>` : null}
    <//>
    <form class="filters" role="search" aria-label=${t('common.filters')} onSubmit=${(e: Event) => e.preventDefault()}>
      <${TextField} path="filter.q" label=${t('pkg.search')} value=${filter.q} onInput=${(q: string) => change({ q })} />
      <${SelectField} path="filter.status" label=${t('common.status')} value=${filter.status} onChange=${(status: string) => change({ status })} options=${[{ value: '', label: t('common.all') }, ...PACKAGE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as 'status.ready') }))]} />
    </form>
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : null}
    ${list.data && rows.length === 0 ? html`<${Empty}>${t('pkg.none')}<//>` : null}
    ${rows.length ? html`<table class="list" id="packages-table">
      <thead><tr><th scope="col">${t('pkg.name')}</th><th scope="col">${t('pkg.code')}</th><th scope="col">${t('pkg.items')}</th><th scope="col">${t('pkg.claimed')}</th><th scope="col">${t('common.status')}</th><th scope="col">${t('common.updated')}</th></tr></thead>
      <tbody>${rows.map((x) => html`<tr data-id=${x.id}>
        <td><a href=${href(`/packages/${x.id}`)} onClick=${(e: MouseEvent) => follow(e, `/packages/${x.id}`)}>${x.name}</a></td>
        <td>${x.code}</td>
        <td>${x.items.reduce((s, i) => s + i.count, 0)}</td>
        <td>${x.claimed}</td>
        <td><${Badge} status=${x.status} /></td>
        <td>${when(x.updatedAt)}</td>
      </tr>`)}</tbody>
    </table>` : null}
    <${OffsetPager} offset=${offset} limit=${LIMIT} total=${list.data?.total ?? 0} shown=${rows.length} onChange=${setOffset} label=${t('nav.packages')} />`;
}

export function PackagesPage(p: { me: Me; route: Route }) {
  if (p.route.id === 'new' && canManage(p.me.role)) return html`<${PackageForm} pkg=${null} />`;
  if (p.route.id) return html`<${PackageDetail} key=${p.route.id} id=${p.route.id} manage=${canManage(p.me.role)} />`;
  return html`<${PackageList} me=${p.me} />`;
}

/** Templates: a filtered, paged list; /templates/new and /templates/{id} open the editor. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { useCatalog } from '../lib/catalog.ts';
import { count, day, money } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import { canManage } from '../lib/roles.ts';
import { follow, href, navigate, type Route } from '../lib/router.ts';
import { KINDS } from '../lib/template-model.ts';
import type { ListPage, Me, Template } from '../lib/types.ts';
import { Badge, Empty, ErrorNotice, Loading, setFlash } from '../ui/bits.ts';
import { SelectField, TextField } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { OffsetPager } from '../ui/pager.ts';
import { TemplateEditor } from './template-form.ts';

const LIMIT = 20;

export function valueOf(x: Template): string {
  if (x.discount !== null) return t('card.discount', { n: x.discount });
  if (x.kind === 'free_order') return t('card.free');
  return x.amount ? money(x.amount) : '—';
}

function TemplateList(p: { me: Me }) {
  const [filter, setFilter] = useState({ q: '', kind: '', status: 'active' });
  const [offset, setOffset] = useState(0);
  const change = (patch: Partial<typeof filter>) => {
    setFilter({ ...filter, ...patch });
    setOffset(0);
  };
  const list = useLoad(() => api.get<ListPage<Template>>('/v1/templates', { ...filter, limit: LIMIT, offset }), [filter.q, filter.kind, filter.status, offset]);
  const rows = list.data?.data ?? [];
  return html`<${PageHead} title=${t('nav.templates')}>
      ${canManage(p.me.role) ? html`<a class="button primary" href=${href('/templates/new')} onClick=${(e: MouseEvent) => follow(e, '/templates/new')}>${t('tpl.new')}</a>` : null}
    <//>
    <form class="filters" role="search" aria-label=${t('common.filters')} onSubmit=${(e: Event) => e.preventDefault()}>
      <${TextField} path="filter.q" label=${t('tpl.search')} value=${filter.q} onInput=${(q: string) => change({ q })} />
      <${SelectField} path="filter.kind" label=${t('tpl.kind')} value=${filter.kind} onChange=${(kind: string) => change({ kind })} options=${[{ value: '', label: t('common.all') }, ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]} />
      <${SelectField} path="filter.status" label=${t('common.status')} value=${filter.status} onChange=${(status: string) => change({ status })} options=${[{ value: '', label: t('common.all') }, { value: 'active', label: t('status.active') }, { value: 'archived', label: t('status.archived') }]} />
    </form>
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : null}
    ${list.data && rows.length === 0 ? html`<${Empty}>${t('tpl.none')}<//>` : null}
    ${rows.length ? html`<table class="list" id="templates-table">
      <thead><tr><th scope="col">${t('tpl.name')}</th><th scope="col">${t('tpl.kind')}</th><th scope="col">${t('tpl.valueCol')}</th><th scope="col">${t('tpl.validity')}</th><th scope="col">${t('tpl.stock')}</th><th scope="col">${t('common.status')}</th></tr></thead>
      <tbody>${rows.map((x) => html`<tr data-id=${x.id}>
        <td><a href=${href(`/templates/${x.id}`)} onClick=${(e: MouseEvent) => follow(e, `/templates/${x.id}`)}>${x.name}</a><div class="muted small">${x.code}</div></td>
        <td>${t(`kind.${x.kind}` as 'kind.cash')}</td>
        <td>${valueOf(x)}</td>
        <td>${x.rule.validDaysAfterClaim !== null ? t('card.relative', { days: x.rule.validDaysAfterClaim }) : `${day(x.rule.validFrom)} – ${day(x.rule.validTo)}`}</td>
        <td>${x.stock === null ? t('common.unlimited') : `${count(x.remaining, '')} / ${count(x.stock, '')}`}</td>
        <td><${Badge} status=${x.status} /></td>
      </tr>`)}</tbody>
    </table>` : null}
    <${OffsetPager} offset=${offset} limit=${LIMIT} total=${list.data?.total ?? 0} shown=${rows.length} onChange=${setOffset} label=${t('nav.templates')} />`;
}

function TemplateView(p: { me: Me; id: string }) {
  const tpl = useLoad(() => api.get<Template>(`/v1/templates/${p.id}`), [p.id]);
  const [current, setCurrent] = useState<Template | null>(null);
  useCatalog();
  if (tpl.error) return html`<${ErrorNotice} error=${tpl.error} />`;
  const shown = current ?? tpl.data;
  if (!shown) return html`<${Loading} />`;
  return html`<${TemplateEditor} key=${shown.id} template=${shown} canManage=${canManage(p.me.role)} onSaved=${setCurrent} />`;
}

export function TemplatesPage(p: { me: Me; route: Route }) {
  if (p.route.id === 'new' && canManage(p.me.role)) return html`<${TemplateEditor} template=${null} canManage=${true} onSaved=${(x: Template) => { setFlash(t('tpl.created', { name: x.name })); navigate(`/templates/${x.id}`); }} />`;
  if (p.route.id) return html`<${TemplateView} key=${p.route.id} me=${p.me} id=${p.route.id} />`;
  return html`<${TemplateList} me=${p.me} />`;
}

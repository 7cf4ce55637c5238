/** Coupons: search by code, user, chat and status (cursor pages); /coupons/{id} shows one. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { nameOf, useTemplates } from '../lib/catalog.ts';
import { when } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import { canManage } from '../lib/roles.ts';
import { follow, href, type Route } from '../lib/router.ts';
import type { Coupon, ListPage, Me } from '../lib/types.ts';
import { Badge, Empty, ErrorNotice, Loading } from '../ui/bits.ts';
import { SelectField, TextField } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { CursorPager, useCursorPages } from '../ui/pager.ts';
import { CouponDetail } from './coupon-detail.ts';

export const COUPON_STATUSES = ['usable', 'frozen', 'used', 'expired', 'closed', 'deleted'];
const EMPTY = { code: '', userId: '', chatId: '', status: '' };

function CouponSearch() {
  const [draft, setDraft] = useState(EMPTY);
  const [query, setQuery] = useState(EMPTY);
  const pages = useCursorPages();
  const templates = useTemplates();
  const list = useLoad(() => api.get<ListPage<Coupon>>('/v1/coupons', { ...query, limit: 20, cursor: pages.cursor }), [JSON.stringify(query), pages.cursor]);
  const search = (e: Event) => {
    e.preventDefault();
    setQuery({ code: draft.code.trim(), userId: draft.userId.trim(), chatId: draft.chatId.trim(), status: draft.status });
    pages.reset();
  };
  const rows = list.data?.data ?? [];
  return html`<${PageHead} title=${t('nav.coupons')} />
    <form class="filters" role="search" aria-label=${t('cpn.search')} onSubmit=${search}>
      <${TextField} path="search.code" label=${t('cpn.code')} value=${draft.code} onInput=${(code: string) => setDraft({ ...draft, code })} />
      <${TextField} path="search.userId" label=${t('cpn.user')} value=${draft.userId} onInput=${(userId: string) => setDraft({ ...draft, userId })} />
      <${TextField} path="search.chatId" label=${t('cpn.chat')} value=${draft.chatId} onInput=${(chatId: string) => setDraft({ ...draft, chatId })} />
      <${SelectField} path="search.status" label=${t('common.status')} value=${draft.status} onChange=${(status: string) => setDraft({ ...draft, status })} options=${[{ value: '', label: t('common.all') }, ...COUPON_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as 'status.usable') }))]} />
      <div class="filter-actions"><button type="submit" class="primary">${t('cpn.searchButton')}</button></div>
    </form>
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : null}
    ${list.data && rows.length === 0 ? html`<${Empty}>${t('cpn.none')}<//>` : null}
    ${rows.length ? html`<table class="list" id="coupons-table">
      <thead><tr><th scope="col">${t('cpn.code')}</th><th scope="col">${t('cpn.template')}</th><th scope="col">${t('common.status')}</th><th scope="col">${t('cpn.owner')}</th><th scope="col">${t('cpn.chat')}</th><th scope="col">${t('cpn.validTo')}</th><th scope="col">${t('cpn.issued')}</th></tr></thead>
      <tbody>${rows.map((c) => html`<tr data-id=${c.id} data-code=${c.code}>
        <td><a href=${href(`/coupons/${c.id}`)} onClick=${(e: MouseEvent) => follow(e, `/coupons/${c.id}`)}>${c.code}</a></td>
        <td>${nameOf(templates.data, c.templateId)}</td>
        <td><${Badge} status=${c.status} />${c.notYetEffective ? html` <span class="muted small">${t('cpn.notYet')}</span>` : null}</td>
        <td>${t(c.ownerType === 'user' ? 'cpn.ownerUser' : 'cpn.ownerOperator')} ${c.ownerId}</td>
        <td>${c.chatId ?? '—'}</td>
        <td>${when(c.validTo)}</td>
        <td>${when(c.issuedAt)}</td>
      </tr>`)}</tbody>
    </table>` : null}
    <${CursorPager} page=${pages.page} nextCursor=${list.data?.nextCursor} onNext=${pages.next} onPrev=${pages.prev} label=${t('nav.coupons')} />`;
}

export function CouponsPage(p: { me: Me; route: Route }) {
  if (p.route.id) return html`<${CouponDetail} key=${p.route.id} id=${p.route.id} manage=${canManage(p.me.role)} />`;
  return html`<${CouponSearch} />`;
}

/** WeChat card sync: the queue's state per template, the last errors, and retry. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { when } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import type { SyncState } from '../lib/types.ts';
import { Badge, describeError, Empty, ErrorNotice, Loading, Notice } from '../ui/bits.ts';
import { PageHead } from '../ui/layout.ts';
import { SelectField } from '../ui/form.ts';
import { OffsetPager, usePaged } from '../ui/pager.ts';

/** null: this server has no sync queue (yet). */
async function loadSync(query: { state: string; offset: number }): Promise<SyncState | null> {
  try {
    return await api.get<SyncState>('/v1/wechat/sync', { state: query.state, limit: LIMIT, offset: query.offset });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

const LIMIT = 20;
const STATES = ['pending', 'syncing', 'synced', 'failed'] as const;

export function SyncPage() {
  const [query, setQuery] = useState({ state: '', offset: 0 });
  const sync = useLoad(() => loadSync(query), [query.state, query.offset]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const items = sync.data?.data ?? [];
  // A server without paging sends everything: page it here then.
  const paged = sync.data?.total === undefined;
  const local = usePaged(items, LIMIT);
  const shown = paged ? local.shown : items;
  const retry = async (templateId: string, title: string) => {
    try {
      await api.post(`/v1/wechat/sync/${encodeURIComponent(templateId)}/retry`);
      setMessage({ tone: 'ok', text: t('sync.retried', { title }) });
      sync.reload();
    } catch (err) {
      setMessage({ tone: 'error', text: describeError(err) });
    }
  };
  return html`<${PageHead} title=${t('nav.sync')}><button type="button" class="secondary" onClick=${sync.reload}>${t('common.refresh')}</button><//>
    ${message ? html`<${Notice} tone=${message.tone}>${message.text}<//>` : null}
    <${ErrorNotice} error=${sync.error} />
    ${sync.loading && sync.data === undefined ? html`<${Loading} />` : null}
    ${sync.data === null ? html`<${Notice} tone="info">${t('sync.unavailable')}<//>` : null}
    ${sync.data ? html`<section class="kpis" aria-label=${t('sync.counts')}>
      ${(['pending', 'synced', 'failed'] as const).map((k) => html`<div class="kpi" data-kpi=${k}><span class="kpi-label">${t(`status.${k}`)}</span><strong class="kpi-value">${sync.data!.counts[k]}</strong></div>`)}
    </section>` : null}
    ${sync.data !== null ? html`<form class="filters" role="search" aria-label=${t('common.filters')} onSubmit=${(e: Event) => e.preventDefault()}>
      <${SelectField} path="filter.state" label=${t('common.status')} value=${query.state} onChange=${(state: string) => setQuery({ state, offset: 0 })} options=${[{ value: '', label: t('common.all') }, ...STATES.map((s) => ({ value: s, label: t(`status.${s}`) }))]} />
    </form>` : null}
    ${sync.data && items.length === 0 ? html`<${Empty}>${t('sync.none')}<//>` : null}
    ${shown.length ? html`<table class="list" id="sync-table">
      <thead><tr><th scope="col">${t('sync.template')}</th><th scope="col">${t('common.status')}</th><th scope="col">${t('sync.attempts')}</th><th scope="col">${t('sync.lastError')}</th><th scope="col">${t('sync.cardId')}</th><th scope="col">${t('sync.next')}</th><th scope="col">${t('common.updated')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${shown.map((x) => html`<tr data-id=${x.templateId}>
        <td>${x.title}</td><td><${Badge} status=${x.state} /></td><td>${x.attempts}</td>
        <td class="error-text">${x.lastError ?? '—'}</td><td>${x.cardId ?? '—'}</td><td>${when(x.nextAttemptAt)}</td><td>${when(x.updatedAt)}</td>
        <td>${x.state === 'failed' || x.state === 'pending' ? html`<button type="button" class="secondary small" aria-label=${t('sync.retryOne', { title: x.title })} onClick=${() => retry(x.templateId, x.title)}>${t('sync.retry')}</button>` : null}</td>
      </tr>`)}</tbody>
    </table>` : null}
    ${paged ? local.pager(t('nav.sync')) : html`<${OffsetPager} offset=${query.offset} limit=${LIMIT} total=${sync.data?.total ?? 0} shown=${items.length} onChange=${(offset: number) => setQuery({ ...query, offset })} label=${t('nav.sync')} />`}`;
}

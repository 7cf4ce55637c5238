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
import { usePaged } from '../ui/pager.ts';

/** null: this server has no sync queue (yet). */
async function loadSync(): Promise<SyncState | null> {
  try {
    return await api.get<SyncState>('/v1/wechat/sync');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function SyncPage() {
  const sync = useLoad(loadSync, []);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const items = sync.data?.data ?? [];
  const { shown, pager } = usePaged(items, 20);
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
    ${sync.data && items.length === 0 ? html`<${Empty}>${t('sync.none')}<//>` : null}
    ${shown.length ? html`<table class="list" id="sync-table">
      <thead><tr><th scope="col">${t('sync.template')}</th><th scope="col">${t('common.status')}</th><th scope="col">${t('sync.attempts')}</th><th scope="col">${t('sync.lastError')}</th><th scope="col">${t('sync.cardId')}</th><th scope="col">${t('sync.next')}</th><th scope="col">${t('common.updated')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${shown.map((x) => html`<tr data-id=${x.templateId}>
        <td>${x.title}</td><td><${Badge} status=${x.state} /></td><td>${x.attempts}</td>
        <td class="error-text">${x.lastError ?? '—'}</td><td>${x.cardId ?? '—'}</td><td>${when(x.nextAttemptAt)}</td><td>${when(x.updatedAt)}</td>
        <td>${x.state === 'failed' || x.state === 'pending' ? html`<button type="button" class="secondary small" aria-label=${t('sync.retryOne', { title: x.title })} onClick=${() => retry(x.templateId, x.title)}>${t('sync.retry')}</button>` : null}</td>
      </tr>`)}</tbody>
    </table>` : null}
    ${pager(t('nav.sync'))}`;
}

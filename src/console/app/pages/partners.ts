/**
 * The tenant's credentials for every dialect: create, rotate, revoke. Secrets come back once,
 * in the answer to create or rotate, and are shown then only. Each credential offers a signed
 * example request when the server can make one (it holds the secrets; the browser cannot sign).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { when } from '../lib/format.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import type { Credential, Issued, Me } from '../lib/types.ts';
import { CopyButton, describeError, Empty, ErrorNotice, Loading, Notice } from '../ui/bits.ts';
import { confirmAction } from '../ui/confirm.ts';
import { PageHead } from '../ui/layout.ts';
import { usePaged } from '../ui/pager.ts';
import { CredentialForm } from './credential-form.ts';
import { ExampleRequest } from './credential-example.ts';

export const KIND_ORDER = ['api', 'op', 'crm', 'zv', 'wechat'] as const;

function publicFields(c: Credential): string {
  switch (c.kind) {
    case 'api':
      return `${t(`role.${c.role ?? 'client'}` as MessageKey)} · ${c.keyHint ?? ''}…`;
    case 'op':
      return `client ${c.client}`;
    case 'crm':
      return `channel ${c.channel}`;
    case 'zv':
      return `openId ${c.openId} · grantCode ${c.grantCode}${c.channel ? ` · channel ${c.channel}` : ''}`;
    case 'wechat':
      return `appId ${c.appId}`;
  }
}

function Secrets(p: { issued: Issued; onDone: () => void }) {
  return html`<section class="card secrets" aria-labelledby="secrets-h" id="secrets">
    <h2 id="secrets-h" tabindex="-1">${t('cred.secretsTitle')}</h2>
    <${Notice} tone="info">${t('cred.secretsOnce')}<//>
    <dl class="facts">${Object.entries(p.issued.secrets).map(([k, v]) => html`<div><dt>${k}</dt><dd><code data-secret=${k}>${v}</code> <${CopyButton} text=${v} /></dd></div>`)}</dl>
    <button type="button" class="primary" onClick=${p.onDone}>${t('cred.secretsDone')}</button>
  </section>`;
}

function CredentialRow(p: { c: Credential; me: Me; onIssued: (i: Issued) => void; onChanged: () => void; onError: (m: string) => void }) {
  const [open, setOpen] = useState(false);
  const c = p.c;
  const own = c.id === p.me.credentialId;
  const rotate = async () => {
    const answer = await confirmAction({ title: t('cred.rotate'), message: t(own ? 'cred.rotateOwn' : 'cred.rotateMessage', { label: c.label ?? c.id }), confirmLabel: t('cred.rotate'), danger: true });
    if (!answer.ok) return;
    try {
      p.onIssued(await api.post<Issued>(`/v1/credentials/${c.id}/rotate`));
    } catch (err) {
      p.onError(describeError(err));
    }
  };
  const revoke = async () => {
    const answer = await confirmAction({ title: t('cred.revoke'), message: t(own ? 'cred.revokeOwn' : 'cred.revokeMessage', { label: c.label ?? c.id }), confirmLabel: t('cred.revoke'), danger: true });
    if (!answer.ok) return;
    try {
      await api.del(`/v1/credentials/${c.id}`);
      p.onChanged();
    } catch (err) {
      p.onError(describeError(err));
    }
  };
  return html`<tr data-id=${c.id} data-kind=${c.kind}>
      <td>${t(`cred.kind.${c.kind}` as MessageKey)}</td>
      <td>${c.label ?? '—'}${own ? html` <span class="muted small">${t('cred.thisKey')}</span>` : null}</td>
      <td><code>${publicFields(c)}</code></td>
      <td>${when(c.createdAt)}</td>
      <td class="row-actions">
        ${c.kind !== 'api' ? html`<button type="button" class="secondary small" aria-expanded=${open} onClick=${() => setOpen(!open)}>${t('cred.example')}</button>` : null}
        ${c.kind !== 'wechat' ? html`<button type="button" class="secondary small" onClick=${rotate}>${t('cred.rotate')}</button>` : null}
        <button type="button" class="danger small" onClick=${revoke}>${t('cred.revoke')}</button>
      </td>
    </tr>
    ${open ? html`<tr class="example-row"><td colspan="5"><${ExampleRequest} credential=${c} /></td></tr>` : null}`;
}

export function PartnersPage(p: { me: Me }) {
  const list = useLoad(() => api.get<{ data: Credential[] }>('/v1/credentials').then((r) => r.data), []);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const sorted = [...(list.data ?? [])].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const { shown, pager } = usePaged(sorted, 15);
  const onIssued = (i: Issued) => {
    setIssued(i);
    setCreating(false);
    list.reload();
    requestAnimationFrame(() => document.getElementById('secrets-h')?.focus());
  };
  return html`<${PageHead} title=${t('nav.partners')}>
      <button type="button" class="primary" aria-expanded=${creating} onClick=${() => setCreating(!creating)}>${t('cred.new')}</button>
    <//>
    <p class="muted">${t('cred.lead')}</p>
    ${error ? html`<${Notice} tone="error">${error}<//>` : null}
    ${issued ? html`<${Secrets} issued=${issued} onDone=${() => setIssued(null)} />` : null}
    ${creating ? html`<${CredentialForm} onIssued=${onIssued} onCancel=${() => setCreating(false)} />` : null}
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : null}
    ${list.data && sorted.length === 0 ? html`<${Empty}>${t('cred.none')}<//>` : null}
    ${shown.length ? html`<table class="list" id="credentials-table">
      <thead><tr><th scope="col">${t('cred.kind')}</th><th scope="col">${t('cred.label')}</th><th scope="col">${t('cred.public')}</th><th scope="col">${t('common.created')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${shown.map((c) => html`<${CredentialRow} key=${c.id} c=${c} me=${p.me} onIssued=${onIssued} onChanged=${list.reload} onError=${setError} />`)}</tbody>
    </table>` : null}
    ${pager(t('nav.partners'))}`;
}

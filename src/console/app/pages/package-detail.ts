/**
 * One package: its status, contents and rules, the review moves its status allows, and who did
 * what and when (the package's events, with the acting key's label).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { nameOf, useCatalog, useTemplates } from '../lib/catalog.ts';
import { count, day, when } from '../lib/format.ts';
import { t, tOr, type MessageKey } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import type { Credential, EventRecord, GiftPackage } from '../lib/types.ts';
import { Badge, describeError, Facts, Notice, takeFlash } from '../ui/bits.ts';
import { confirmAction } from '../ui/confirm.ts';
import { PageHead } from '../ui/layout.ts';
import { usePaged } from '../ui/pager.ts';
import { PackageForm } from './package-form.ts';

type Move = 'submit' | 'approve' | 'reject' | 'publish' | 'close' | 'delete';

/** The moves each status allows (src/domain/package.ts). */
const MOVES: Record<string, Move[]> = {
  pending_review: ['submit', 'delete'],
  rejected: ['submit', 'delete'],
  in_review: ['approve', 'reject'],
  ready: ['publish', 'delete'],
  published: ['close'],
  closed: ['delete'],
  deleted: [],
};

interface MoveInfo {
  label: MessageKey;
  /** Destructive moves ask first; review moves ask for a suggestion. */
  confirm?: MessageKey;
  suggestion?: 'optional' | 'required';
  danger?: boolean;
}

const INFO: Record<Move, MoveInfo> = {
  submit: { label: 'pkg.move.submit' },
  approve: { label: 'pkg.move.approve', confirm: 'pkg.confirm.approve', suggestion: 'optional' },
  reject: { label: 'pkg.move.reject', confirm: 'pkg.confirm.reject', suggestion: 'required', danger: true },
  publish: { label: 'pkg.move.publish', confirm: 'pkg.confirm.publish' },
  close: { label: 'pkg.move.close', confirm: 'pkg.confirm.close', danger: true },
  delete: { label: 'pkg.move.delete', confirm: 'pkg.confirm.delete', danger: true },
};

/** Merchants see key labels for actors; other keys see the id. */
function useActors(manage: boolean) {
  return useLoad(() => (manage ? api.get<{ data: Credential[] }>('/v1/credentials').then((r) => r.data) : Promise.resolve([] as Credential[])), [manage]);
}

function History(p: { events: EventRecord[]; actors: Credential[] }) {
  const { shown, pager } = usePaged(p.events, 10);
  const actor = (e: EventRecord) => {
    const c = p.actors.find((x) => x.id === e.actor.id);
    return c?.label ? `${c.label} (${e.actor.id})` : `${e.actor.type}:${e.actor.id}`;
  };
  const detail = (e: EventRecord) => (typeof e.data.suggestion === 'string' && e.data.suggestion ? `“${e.data.suggestion}”` : e.action === 'package.received' ? String(e.data.userId ?? '') : '');
  return html`<table class="list" id="package-history">
      <caption>${t('pkg.history')}</caption>
      <thead><tr><th scope="col">${t('common.when')}</th><th scope="col">${t('common.who')}</th><th scope="col">${t('common.what')}</th><th scope="col">${t('common.detail')}</th></tr></thead>
      <tbody>${shown.map((e) => html`<tr data-action=${e.action}><td>${when(e.at)}</td><td>${actor(e)}</td><td>${tOr(`event.${e.action}`, e.action)}</td><td>${detail(e)}</td></tr>`)}</tbody>
    </table>
    ${p.events.length === 0 ? html`<p class="empty">${t('pkg.noHistory')}</p>` : null}
    ${pager(t('pkg.history'))}`;
}

export function PackageDetail(p: { id: string; manage: boolean }) {
  const pkg = useLoad(() => api.get<GiftPackage>(`/v1/packages/${p.id}`), [p.id]);
  const events = useLoad(() => (p.manage ? api.get<{ data: EventRecord[] }>('/v1/events', { subjectType: 'package', subjectId: p.id, limit: 500 }).then((r) => r.data.reverse()) : Promise.resolve([])), [p.id, pkg.data]); // each reload brings a new object, so the history follows every move
  const actors = useActors(p.manage);
  const templates = useTemplates();
  const catalog = useCatalog();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(() => {
    const f = takeFlash();
    return f ? { tone: 'ok', text: f } : null;
  });
  const [editing, setEditing] = useState(false);

  const move = async (m: Move) => {
    const info = INFO[m];
    const x = pkg.data!;
    let suggestion: string | undefined;
    if (info.confirm) {
      const input = info.suggestion ? { label: t('pkg.suggestion'), required: info.suggestion === 'required' } : undefined;
      const answer = await confirmAction({ title: t(info.label), message: t(info.confirm, { name: x.name }), confirmLabel: t(info.label), danger: info.danger, input });
      if (!answer.ok) return;
      if (info.suggestion && answer.text) suggestion = answer.text;
    }
    try {
      const path = m === 'delete' ? `/v1/packages/${x.id}` : `/v1/packages/${x.id}/${m}`;
      if (m === 'delete') await api.del(path);
      else await api.post(path, suggestion === undefined ? {} : { suggestion });
      setMessage({ tone: 'ok', text: t(`pkg.done.${m}` as MessageKey, { name: x.name }) });
      pkg.reload();
    } catch (err) {
      setMessage({ tone: 'error', text: describeError(err) });
    }
  };

  if (pkg.error) return html`<${Notice} tone="error">${describeError(pkg.error)}<//>`;
  const x = pkg.data;
  if (!x) return null;
  const moves = p.manage ? MOVES[x.status] ?? [] : [];
  const editable = p.manage && (x.status === 'pending_review' || x.status === 'rejected');
  return html`<${PageHead} title=${x.name}><${Badge} status=${x.status} /><//>
    ${message ? html`<${Notice} tone=${message.tone}>${message.text}<//>` : null}
    ${moves.length ? html`<div class="toolbar" role="group" aria-label=${t('pkg.actions')}>
      ${moves.map((m) => html`<button type="button" class=${INFO[m].danger ? 'danger' : 'primary'} onClick=${() => move(m)}>${t(INFO[m].label)}</button>`)}
      ${editable ? html`<button type="button" class="secondary" aria-expanded=${editing} onClick=${() => setEditing(!editing)}>${t('common.edit')}</button>` : null}
    </div>` : null}
    ${x.suggestion ? html`<${Notice} tone="info"><strong>${t('pkg.suggestion')}:</strong> ${x.suggestion}<//>` : null}
    ${editing ? html`<section class="card"><h2>${t('common.edit')}</h2><${PackageForm} pkg=${x} onSaved=${() => { setEditing(false); pkg.reload(); }} /></section>` : null}
    <section class="card">
      <${Facts} items=${[
        [t('pkg.code'), x.code],
        [t('pkg.alias'), x.alias || '—'],
        [t('pkg.aliasCodeType'), t(x.aliasCodeType === 'unique' ? 'pkg.unique' : 'pkg.shared')],
        [t('pkg.receive'), `${day(x.rule.receiveFrom)} – ${day(x.rule.receiveTo)}`],
        [t('pkg.totalLimit'), count(x.rule.totalLimit, t('common.unlimited'))],
        [t('pkg.perUserLimit'), count(x.rule.perUserLimit, t('common.unlimited'))],
        [t('pkg.claimed'), String(x.claimed)],
        [t('pkg.channels'), x.channelIds.map((c) => nameOf(catalog.data?.channels, c)).join(t('common.listSep')) || t('common.any')],
        [t('pkg.createdBy'), x.createdBy],
        [t('pkg.examiner'), x.examinerId],
        [t('common.updated'), when(x.updatedAt)],
      ]} />
      <h2>${t('pkg.items')}</h2>
      <ul class="items">${x.items.map((i) => html`<li>${nameOf(templates.data, i.templateId)} × ${i.count}</li>`)}</ul>
    </section>
    ${p.manage ? html`<section class="card"><${History} events=${events.data ?? []} actors=${actors.data ?? []} /></section>` : null}`;
}

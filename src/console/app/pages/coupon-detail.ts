/** One coupon: its facts, the full event trail, and freeze / unfreeze / close for merchants. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { nameOf, useTemplates } from '../lib/catalog.ts';
import { when } from '../lib/format.ts';
import { t, tOr, type MessageKey } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import { follow, href } from '../lib/router.ts';
import type { Coupon, EventRecord } from '../lib/types.ts';
import { Badge, describeError, ErrorNotice, Facts, Notice } from '../ui/bits.ts';
import { confirmAction } from '../ui/confirm.ts';
import { PageHead } from '../ui/layout.ts';
import { usePaged } from '../ui/pager.ts';

type Move = 'freeze' | 'unfreeze' | 'close';
const MOVES: Record<string, Move[]> = { usable: ['freeze', 'close'], frozen: ['unfreeze', 'close'] };

function summary(e: EventRecord): string {
  const d = e.data;
  const parts: string[] = [];
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${tOr(`status.${d.from}`, d.from)} → ${tOr(`status.${d.to}`, d.to)}`);
  if (typeof d.orderId === 'string') parts.push(`${t('cashier.orderId')} ${d.orderId}`);
  if (typeof d.reason === 'string' && d.reason) parts.push(`“${d.reason}”`);
  if (typeof d.chatId === 'string' && e.action === 'coupon.sent') parts.push(`${t('cpn.chat')} ${d.chatId}`);
  return parts.join(' · ');
}

function Trail(p: { events: EventRecord[] }) {
  const { shown, pager } = usePaged(p.events, 15);
  return html`<table class="list" id="coupon-events">
      <caption>${t('cpn.trail')}</caption>
      <thead><tr><th scope="col">${t('common.when')}</th><th scope="col">${t('common.what')}</th><th scope="col">${t('common.who')}</th><th scope="col">${t('common.detail')}</th></tr></thead>
      <tbody>${shown.map((e) => html`<tr data-action=${e.action}><td>${when(e.at)}</td><td>${tOr(`event.${e.action}`, e.action)}</td><td>${e.actor.type}:${e.actor.id}</td><td>${summary(e)}</td></tr>`)}</tbody>
    </table>
    ${pager(t('cpn.trail'))}`;
}

export function CouponDetail(p: { id: string; manage: boolean }) {
  const coupon = useLoad(() => api.get<Coupon>(`/v1/coupons/${p.id}`), [p.id]);
  const events = useLoad(() => api.get<{ data: EventRecord[] }>(`/v1/coupons/${p.id}/events`).then((r) => r.data), [p.id, coupon.data]); // reloaded after every move
  const templates = useTemplates();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const move = async (m: Move) => {
    const c = coupon.data!;
    const answer = await confirmAction({
      title: t(`cpn.move.${m}` as MessageKey),
      message: t(`cpn.confirm.${m}` as MessageKey, { code: c.code }),
      confirmLabel: t(`cpn.move.${m}` as MessageKey),
      danger: m !== 'unfreeze',
      input: { label: t('cpn.reason') },
    });
    if (!answer.ok) return;
    try {
      await api.post(`/v1/coupons/${c.id}/${m}`, answer.text ? { reason: answer.text } : {});
      setMessage({ tone: 'ok', text: t(`cpn.done.${m}` as MessageKey, { code: c.code }) });
      coupon.reload();
    } catch (err) {
      setMessage({ tone: 'error', text: describeError(err) });
    }
  };

  if (coupon.error) return html`<${ErrorNotice} error=${coupon.error} />`;
  const c = coupon.data;
  if (!c) return null;
  const moves = p.manage ? MOVES[c.status] ?? [] : [];
  return html`<${PageHead} title=${`${t('cpn.coupon')} ${c.code}`}><${Badge} status=${c.status} /><//>
    ${message ? html`<${Notice} tone=${message.tone}>${message.text}<//>` : null}
    ${moves.length ? html`<div class="toolbar" role="group" aria-label=${t('cpn.actions')}>
      ${moves.map((m) => html`<button type="button" class=${m === 'unfreeze' ? 'primary' : 'danger'} onClick=${() => move(m)}>${t(`cpn.move.${m}` as MessageKey)}</button>`)}
    </div>` : null}
    <section class="card">
      <${Facts} items=${[
        [t('cpn.template'), html`<a href=${href(`/templates/${c.templateId}`)} onClick=${(e: MouseEvent) => follow(e, `/templates/${c.templateId}`)}>${nameOf(templates.data, c.templateId)}</a>`],
        [t('cpn.owner'), `${t(c.ownerType === 'user' ? 'cpn.ownerUser' : 'cpn.ownerOperator')} ${c.ownerId}`],
        [t('cpn.chat'), c.chatId],
        [t('cpn.sender'), c.senderId],
        [t('cpn.package'), c.packageId],
        [t('cpn.validFrom'), when(c.validFrom)],
        [t('cpn.validTo'), when(c.validTo)],
        [t('cpn.issued'), when(c.issuedAt)],
        [t('common.updated'), when(c.updatedAt)],
      ]} />
      ${c.notYetEffective ? html`<p class="muted">${t('cpn.notYet')}</p>` : null}
    </section>
    <section class="card">
      <${ErrorNotice} error=${events.error} />
      <${Trail} events=${events.data ?? []} />
    </section>`;
}

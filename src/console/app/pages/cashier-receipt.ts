/** The receipt after a redemption, with reversal (冲正), and the till's recent redemptions. */
import { html } from 'htm/preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { money, when } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import type { Redemption } from '../lib/types.ts';
import { Badge, describeError, Empty, ErrorNotice, Facts, Notice } from '../ui/bits.ts';
import { confirmAction } from '../ui/confirm.ts';

/** Asks, then reverses; resolves the reversed redemption, or null when cancelled or refused. */
export async function reverse(r: Redemption, onError: (message: string) => void): Promise<Redemption | null> {
  const answer = await confirmAction({ title: t('cashier.reverseTitle'), message: t('cashier.reverseMessage', { code: r.code, amount: money(r.discountAmount) }), confirmLabel: t('cashier.reverse'), danger: true, input: { label: t('cashier.reverseReason') } });
  if (!answer.ok) return null;
  try {
    return await api.post<Redemption>(`/v1/redemptions/${r.id}/reverse`, answer.text ? { reason: answer.text } : {});
  } catch (err) {
    onError(describeError(err));
    return null;
  }
}

export function Receipt(p: { redemption: Redemption; couponName: string | null; onChange: (r: Redemption) => void; onNext: () => void }) {
  const r = p.redemption;
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  // Layout effects: focus moves in the same frame as the change, never after a stray paint.
  useLayoutEffect(() => heading.current?.focus(), [r.id]);
  useLayoutEffect(() => {
    if (r.status === 'reversed') next.current?.focus();
  }, [r.status]);
  const doReverse = async () => {
    const done = await reverse(r, setError);
    if (done) p.onChange(done);
  };
  return html`<section class="card receipt" aria-labelledby="receipt-h" id="receipt">
    <h2 id="receipt-h" tabindex="-1" ref=${heading}>${r.status === 'reversed' ? t('cashier.reversedTitle') : t('cashier.receiptTitle')} <${Badge} status=${r.status === 'active' ? 'redeemed' : 'reversed'} /></h2>
    ${error ? html`<${Notice} tone="error">${error}<//>` : null}
    <${Facts} items=${[
      [t('cashier.coupon'), p.couponName ? `${p.couponName} · ${r.code}` : r.code],
      [t('cashier.orderId'), r.orderId],
      [t('cashier.orderAmount'), money(r.orderAmount)],
      [t('cashier.discount'), html`<strong data-discount>${money(r.discountAmount)}</strong>`],
      [t('cashier.payable'), html`<strong data-payable>${money(r.orderAmount - r.discountAmount)}</strong>`],
      [t('cashier.redeemedAt'), when(r.createdAt)],
      [t('cashier.reversedAt'), r.reversedAt ? when(r.reversedAt) : null],
      [t('cashier.redemptionId'), r.id],
    ]} />
    <div class="actions">
      ${r.status === 'active' ? html`<button type="button" class="danger" onClick=${doReverse}>${t('cashier.reverse')}</button>` : null}
      <button type="button" class="secondary" onClick=${() => window.print()}>${t('cashier.print')}</button>
      <button type="button" class="primary" ref=${next} onClick=${p.onNext}>${t('cashier.next')}</button>
    </div>
  </section>`;
}

const LIMIT = 10;

export function RecentRedemptions(p: { refresh: number }) {
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const list = useLoad(() => api.get<{ data: Redemption[] }>('/v1/redemptions', { limit: LIMIT, offset }), [offset, p.refresh]);
  const rows = list.data?.data ?? [];
  const doReverse = async (r: Redemption) => {
    if (await reverse(r, setError)) list.reload();
  };
  return html`<section class="card" aria-labelledby="recent-h">
    <h2 id="recent-h">${t('cashier.recent')}</h2>
    ${error ? html`<${Notice} tone="error">${error}<//>` : null}
    <${ErrorNotice} error=${list.error} />
    ${list.data && rows.length === 0 && offset === 0 ? html`<${Empty}>${t('cashier.noneYet')}<//>` : null}
    ${rows.length ? html`<table class="list" id="recent-redemptions">
      <thead><tr><th scope="col">${t('cashier.redeemedAt')}</th><th scope="col">${t('cashier.code')}</th><th scope="col">${t('cashier.orderId')}</th><th scope="col">${t('cashier.orderAmount')}</th><th scope="col">${t('cashier.discount')}</th><th scope="col">${t('common.status')}</th><th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-id=${r.id}>
        <td>${when(r.createdAt)}</td><td>${r.code}</td><td>${r.orderId}</td><td>${money(r.orderAmount)}</td><td>${money(r.discountAmount)}</td>
        <td><${Badge} status=${r.status === 'active' ? 'redeemed' : 'reversed'} /></td>
        <td>${r.status === 'active' ? html`<button type="button" class="secondary small" aria-label=${t('cashier.reverseOne', { code: r.code })} onClick=${() => doReverse(r)}>${t('cashier.reverse')}</button>` : null}</td>
      </tr>`)}</tbody>
    </table>` : null}
    ${offset > 0 || rows.length === LIMIT ? html`<nav class="pager" aria-label=${t('cashier.recent')}>
      <button type="button" class="secondary" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - LIMIT))}>${t('pager.prev')}</button>
      <span class="pager-status">${t('pager.page', { page: offset / LIMIT + 1 })}</span>
      <button type="button" class="secondary" disabled=${rows.length < LIMIT} onClick=${() => setOffset(offset + LIMIT)}>${t('pager.next')}</button>
    </nav>` : null}
  </section>`;
}

/**
 * A live preview of the coupon as a WeChat card (卡券): brand strip in the card colour, the
 * value, the title, the conditions and the validity, as a user would see it in their 卡包.
 */
import { html } from 'htm/preact';
import { money, yuanToFen } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { CARD_COLORS, takesAmount, takesDiscount, type TemplateForm } from '../lib/template-model.ts';

function value(f: TemplateForm): string {
  if (takesDiscount(f.kind)) return f.discount ? t('card.discount', { n: f.discount }) : t('card.discountBlank');
  if (f.kind === 'free_order') return t('card.free');
  if (!takesAmount(f.kind)) return t(`kind.${f.kind}` as 'kind.cash');
  const fen = yuanToFen(f.amount);
  return fen !== null && !Number.isNaN(fen) ? money(fen) : '¥—';
}

function validity(f: TemplateForm): string {
  if (f.validity === 'relative') return t('card.relative', { days: f.validDays || '—' });
  if (f.validFrom || f.validTo) return t('card.fixed', { from: f.validFrom || '…', to: f.validTo || '…' });
  return t('card.noEnd');
}

function conditions(f: TemplateForm, names: { kinds: string[]; channels: string[] }): string[] {
  const out: string[] = [];
  const min = yuanToFen(f.minOrder);
  out.push(min ? t('card.min', { amount: money(min) }) : t('card.noMin'));
  const cap = yuanToFen(f.maxDiscount);
  if (cap) out.push(t('card.cap', { amount: money(cap) }));
  if (f.weekdays.length) out.push(t('card.weekdays', { days: [...f.weekdays].sort().map((d) => t(`weekday.${d}` as 'weekday.1')).join(t('common.listSep')) }));
  if (f.timeWindows.length) out.push(t('card.windows', { windows: f.timeWindows.map((w) => `${w.from}–${w.to === '00:00' ? '24:00' : w.to}`).join(t('common.listSep')) }));
  if (names.kinds.length) out.push(t('card.kinds', { kinds: names.kinds.join(t('common.listSep')) }));
  if (names.channels.length) out.push(t('card.channels', { channels: names.channels.join(t('common.listSep')) }));
  return out;
}

export function CardPreview(p: { form: TemplateForm; kindNames: string[]; channelNames: string[] }) {
  const f = p.form;
  const color = CARD_COLORS[f.color] ?? '#63b359';
  return html`<figure class="wx-card" aria-label=${t('card.preview')} data-preview>
    <figcaption class="muted small">${t('card.preview')}</figcaption>
    <div class="wx-card-body" style=${`--card:${color}`}>
      <div class="wx-head">
        <span class="wx-logo" aria-hidden="true">${(f.brandName || 'C').slice(0, 1)}</span>
        <span class="wx-brand">${f.brandName || t('card.brand')}</span>
      </div>
      <div class="wx-value" data-preview-value>${value(f)}</div>
      <div class="wx-title" data-preview-title>${f.name || t('card.title')}</div>
      <div class="wx-validity">${validity(f)}</div>
      <div class="wx-button">${t('card.use')}</div>
    </div>
    <ul class="wx-terms" data-preview-terms>${conditions(f, { kinds: p.kindNames, channels: p.channelNames }).map((c) => html`<li>${c}</li>`)}</ul>
    ${f.stock ? html`<p class="muted small">${t('card.stock', { n: f.stock })}${f.perUserLimit ? ` · ${t('card.perUser', { n: f.perUserLimit })}` : ''}</p>` : null}
  </figure>`;
}

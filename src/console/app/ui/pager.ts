/** Every list pages: by offset (templates, packages), by cursor (coupons) or in the browser (short lists). */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n.ts';

export function OffsetPager(p: { offset: number; limit: number; total: number; shown: number; onChange: (offset: number) => void; label: string }) {
  if (p.total === 0) return null;
  const from = p.offset + 1;
  const to = p.offset + p.shown;
  return html`<nav class="pager" aria-label=${p.label}>
    <button type="button" class="secondary" disabled=${p.offset === 0} onClick=${() => p.onChange(Math.max(0, p.offset - p.limit))}>${t('pager.prev')}</button>
    <span class="pager-status" aria-live="polite">${t('pager.range', { from, to, total: p.total })}</span>
    <button type="button" class="secondary" disabled=${to >= p.total} onClick=${() => p.onChange(p.offset + p.limit)}>${t('pager.next')}</button>
  </nav>`;
}

/** Cursor pages remember the cursors behind them, so Previous works too. */
export function useCursorPages() {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  const cursor = stack[stack.length - 1] ?? null;
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack([...stack, c]),
    prev: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([null]),
  };
}

export function CursorPager(p: { page: number; nextCursor: string | null | undefined; onNext: (c: string) => void; onPrev: () => void; label: string }) {
  if (p.page === 1 && !p.nextCursor) return null;
  return html`<nav class="pager" aria-label=${p.label}>
    <button type="button" class="secondary" disabled=${p.page === 1} onClick=${p.onPrev}>${t('pager.prev')}</button>
    <span class="pager-status" aria-live="polite">${t('pager.page', { page: p.page })}</span>
    <button type="button" class="secondary" disabled=${!p.nextCursor} onClick=${() => p.nextCursor && p.onNext(p.nextCursor)}>${t('pager.next')}</button>
  </nav>`;
}

/** Pages a list that is already in the browser. */
export function usePaged<T>(items: T[], size = 20) {
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    if (offset >= items.length && offset > 0) setOffset(0);
  }, [items.length]);
  const shown = items.slice(offset, offset + size);
  const pager = (label: string) => (items.length > size ? html`<${OffsetPager} offset=${offset} limit=${size} total=${items.length} shown=${shown.length} onChange=${setOffset} label=${label} />` : null);
  return { shown, pager };
}

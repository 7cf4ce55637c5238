/** Small shared pieces: status badges, notices, loading and error states, copy buttons. */
import type { ComponentChildren } from 'preact';
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import { hasMessage, t } from '../lib/i18n.ts';

/** A status in words and colour; the colour is never the only signal. */
export function Badge(p: { status: string }) {
  const key = `status.${p.status}`;
  return html`<span class=${`badge badge-${p.status}`} data-status=${p.status}>${hasMessage(key) ? t(key) : p.status}</span>`;
}

export function Notice(p: { tone: 'ok' | 'error' | 'info'; children: ComponentChildren }) {
  return html`<div class=${`notice ${p.tone}`} role=${p.tone === 'error' ? 'alert' : 'status'}>${p.children}</div>`;
}

/** An API failure in words: the translated code, then the server's detail. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    const head = hasMessage(key) ? t(key) : error.problem.title;
    return error.problem.detail && error.problem.detail !== head ? `${head}: ${error.problem.detail}` : head;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNotice(p: { error: unknown }) {
  if (!p.error) return null;
  return html`<${Notice} tone="error">${describeError(p.error)}<//>`;
}

export function Loading() {
  return html`<p class="loading" role="status">${t('common.loading')}</p>`;
}

export function Empty(p: { children: ComponentChildren }) {
  return html`<p class="empty">${p.children}</p>`;
}

export function CopyButton(p: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.text);
    } catch {
      // Clipboard is refused on plain http: select-and-copy by hand still works.
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return html`<button type="button" class="secondary small" onClick=${copy}>${done ? t('common.copied') : p.label ?? t('common.copy')}</button>`;
}

/** A definition list of label → value pairs. */
export function Facts(p: { items: Array<[string, ComponentChildren]> }) {
  return html`<dl class="facts">${p.items.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v ?? '—'}</dd></div>`)}</dl>`;
}

let flash: string | null = null;
/** A message for the next page shown (after a create moves to the new thing's page). */
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): string | null {
  const m = flash;
  flash = null;
  return m;
}

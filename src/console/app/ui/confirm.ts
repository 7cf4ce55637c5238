/**
 * Confirmation before every destructive action, in a modal <dialog>: focus moves into it (to
 * Cancel, the safe choice, or to its text box), Escape cancels, Tab reaches Confirm.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.ts';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** Ask for a text (a review suggestion, a reason). */
  input?: { label: string; required?: boolean; initial?: string };
}

interface Pending extends ConfirmOptions {
  resolve: (answer: { ok: boolean; text: string }) => void;
}

let open: ((p: Pending) => void) | null = null;

/** Asks; resolves { ok: true, text } on Confirm, { ok: false } on Cancel or Escape. */
export function confirmAction(options: ConfirmOptions): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    if (!open) resolve({ ok: false, text: '' });
    else open({ ...options, resolve });
  });
}

export function ConfirmHost() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    open = (p) => {
      returnFocus.current = document.activeElement;
      setText(p.input?.initial ?? '');
      setMissing(false);
      setPending(p);
    };
    return () => void (open = null);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (pending && d && !d.open) {
      d.showModal();
      (d.querySelector('[data-autofocus]') as HTMLElement | null)?.focus();
    }
  }, [pending]);

  const finish = (ok: boolean) => {
    if (!pending) return;
    if (ok && pending.input?.required && text.trim() === '') return setMissing(true);
    const p = pending;
    setPending(null);
    dialog.current?.close();
    (returnFocus.current as HTMLElement | null)?.focus?.();
    p.resolve({ ok, text: text.trim() });
  };

  const p = pending;
  return html`<dialog ref=${dialog} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-message"
      onCancel=${(e: Event) => { e.preventDefault(); finish(false); }}>
    ${p ? html`<form onSubmit=${(e: Event) => { e.preventDefault(); finish(true); }}>
      <h2 id="confirm-title">${p.title}</h2>
      <p id="confirm-message">${p.message}</p>
      ${p.input ? html`<div class=${`field${missing ? ' invalid' : ''}`}>
        <label for="confirm-input">${p.input.label}${p.input.required ? ' *' : ''}</label>
        <textarea id="confirm-input" rows="3" data-autofocus value=${text} aria-describedby=${missing ? 'confirm-input-error' : undefined}
          onInput=${(e: Event) => setText((e.currentTarget as HTMLTextAreaElement).value)}></textarea>
        ${missing ? html`<p class="field-error" id="confirm-input-error">${t('form.required')}</p>` : null}
      </div>` : null}
      <div class="actions">
        <button type="button" class="secondary" data-autofocus=${p.input ? undefined : true} onClick=${() => finish(false)}>${t('common.cancel')}</button>
        <button type="submit" class=${p.danger ? 'danger' : 'primary'}>${p.confirmLabel}</button>
      </div>
    </form>` : null}
  </dialog>`;
}

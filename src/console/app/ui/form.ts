/**
 * Form fields: every control has a visible label, and the API's error for its field (by dotted
 * path, `rule.timeWindows.0.to`) is shown right under it and announced through aria-describedby.
 */
import type { ComponentChildren } from 'preact';
import { html } from 'htm/preact';
import { t } from '../lib/i18n.ts';

export type Errors = Record<string, string>;

/** The error for a field, or for any item inside it (a group shows `rule.weekdays.2` too). */
export function errorAt(errors: Errors, path: string, group = false): string | undefined {
  if (errors[path]) return errors[path];
  if (!group) return undefined;
  const inner = Object.keys(errors).filter((k) => k.startsWith(`${path}.`));
  return inner.length ? inner.map((k) => errors[k]).join('; ') : undefined;
}

/** Errors that no field on the form shows (the form shows them at its top). */
export function unplacedErrors(errors: Errors, placed: string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !placed.some((p) => k === p || k.startsWith(`${p}.`)))
    .map(([k, v]) => (k === '_' ? v : `${k}: ${v}`));
}

const domId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface Base {
  /** The API's field path; also gives the control its id. */
  path: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
}

function Wrap(props: Base & { children: ComponentChildren }) {
  const id = domId(props.path);
  return html`<div class=${`field${props.error ? ' invalid' : ''}`} data-field=${props.path}>
    <div class="label-row"><label for=${id}>${props.label}</label>${props.required ? html`<span class="req" aria-hidden="true">*</span>` : null}</div>
    ${props.children}
    ${props.hint ? html`<p class="hint" id=${`${id}-hint`}>${props.hint}</p>` : null}
    ${props.error ? html`<p class="field-error" id=${`${id}-error`}>${props.error}</p>` : null}
  </div>`;
}

const describedBy = (p: Base) => [p.hint ? `${domId(p.path)}-hint` : '', p.error ? `${domId(p.path)}-error` : ''].filter(Boolean).join(' ') || undefined;

export interface TextProps extends Base {
  value: string;
  onInput: (value: string) => void;
  type?: string;
  inputMode?: string;
  placeholder?: string;
  autoFocus?: boolean;
  autoComplete?: string;
  disabled?: boolean;
  maxLength?: number;
}

export function TextField(p: TextProps) {
  return html`<${Wrap} ...${p}>
    <input id=${domId(p.path)} name=${p.path} type=${p.type ?? 'text'} value=${p.value} inputmode=${p.inputMode} placeholder=${p.placeholder}
      autofocus=${p.autoFocus} autocomplete=${p.autoComplete ?? 'off'} disabled=${p.disabled} maxlength=${p.maxLength} required=${p.required}
      aria-invalid=${p.error ? 'true' : undefined} aria-describedby=${describedBy(p)}
      onInput=${(e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value)} />
  <//>`;
}

export function TextArea(p: TextProps) {
  return html`<${Wrap} ...${p}>
    <textarea id=${domId(p.path)} name=${p.path} rows="3" value=${p.value} maxlength=${p.maxLength} aria-invalid=${p.error ? 'true' : undefined} aria-describedby=${describedBy(p)}
      onInput=${(e: Event) => p.onInput((e.currentTarget as HTMLTextAreaElement).value)}></textarea>
  <//>`;
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(p: Base & { value: string; options: Option[]; onChange: (value: string) => void; disabled?: boolean }) {
  return html`<${Wrap} ...${p}>
    <select id=${domId(p.path)} name=${p.path} value=${p.value} disabled=${p.disabled} required=${p.required}
      aria-invalid=${p.error ? 'true' : undefined} aria-describedby=${describedBy(p)}
      onChange=${(e: Event) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
      ${p.options.map((o) => html`<option value=${o.value} selected=${o.value === p.value}>${o.label}</option>`)}
    </select>
  <//>`;
}

/** Checkboxes in a fieldset; `values` are the checked option values. */
export function CheckGroup(p: Base & { values: string[]; options: Option[]; onChange: (values: string[]) => void; empty?: string }) {
  const id = domId(p.path);
  const toggle = (value: string, on: boolean) => p.onChange(on ? [...p.values, value].filter((v, i, a) => a.indexOf(v) === i) : p.values.filter((v) => v !== value));
  return html`<fieldset class=${`field group${p.error ? ' invalid' : ''}`} data-field=${p.path} aria-describedby=${describedBy(p)}>
    <legend>${p.label}</legend>
    <div class="checks">
      ${p.options.length === 0 ? html`<span class="muted">${p.empty ?? t('common.none')}</span>` : null}
      ${p.options.map((o, i) => html`<label class="check" key=${o.value}>
        <input type="checkbox" id=${`${id}-${i}`} name=${p.path} value=${o.value} checked=${p.values.includes(o.value)}
          onChange=${(e: Event) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)} />
        <span>${o.label}</span>
      </label>`)}
    </div>
    ${p.hint ? html`<p class="hint" id=${`${id}-hint`}>${p.hint}</p>` : null}
    ${p.error ? html`<p class="field-error" id=${`${id}-error`}>${p.error}</p>` : null}
  </fieldset>`;
}

export function RadioGroup(p: Base & { value: string; options: Option[]; onChange: (value: string) => void }) {
  const id = domId(p.path);
  return html`<fieldset class="field group radios" data-field=${p.path}>
    <legend>${p.label}</legend>
    <div class="checks">
      ${p.options.map((o, i) => html`<label class="check" key=${o.value}>
        <input type="radio" id=${`${id}-${i}`} name=${p.path} value=${o.value} checked=${o.value === p.value} onChange=${() => p.onChange(o.value)} />
        <span>${o.label}</span>
      </label>`)}
    </div>
  </fieldset>`;
}

/** Errors the fields above do not show, and the form's own failure. */
export function FormProblems(p: { messages: string[] }) {
  if (p.messages.length === 0) return null;
  return html`<div class="notice error" role="alert">
    <p>${t('form.fix')}</p>
    <ul>${p.messages.map((m) => html`<li>${m}</li>`)}</ul>
  </div>`;
}

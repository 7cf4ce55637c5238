/** Create (or, while pending review or rejected, edit) a gift package made of templates. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { useCatalog, useTemplates } from '../lib/catalog.ts';
import { t } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import type { GiftPackage, PackageItem } from '../lib/types.ts';
import { describeError, ErrorNotice, Loading, Notice, setFlash } from '../ui/bits.ts';
import { CheckGroup, errorAt, FormProblems, SelectField, TextArea, TextField, unplacedErrors, type Errors } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { focusFirstError } from './template-form.ts';

interface Form {
  name: string;
  alias: string;
  aliasCodeType: 'unique' | 'shared';
  channelIds: string[];
  receiveFrom: string;
  receiveTo: string;
  totalLimit: string;
  perUserLimit: string;
  remark: string;
  items: Array<{ templateId: string; count: string }>;
}

const formOf = (p: GiftPackage | null): Form => ({
  name: p?.name ?? '', alias: p?.alias ?? '', aliasCodeType: p?.aliasCodeType ?? 'unique', channelIds: p?.channelIds ?? [],
  receiveFrom: p?.rule.receiveFrom ?? '', receiveTo: p?.rule.receiveTo ?? '', totalLimit: p?.rule.totalLimit?.toString() ?? '', perUserLimit: p?.rule.perUserLimit?.toString() ?? '',
  remark: p?.remark ?? '', items: p?.items.map((i) => ({ templateId: i.templateId, count: String(i.count) })) ?? [{ templateId: '', count: '1' }],
});

function limit(errors: Errors, path: string, text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 1_000_000_000) errors[path] = t('check.integer', { min: 1, max: 1_000_000_000 });
  return n;
}

/** The API body, checked as the engine checks it (src/domain/package.ts). */
function bodyOf(f: Form): { body: Record<string, unknown>; errors: Errors } {
  const errors: Errors = {};
  if (f.name.trim() === '') errors.name = t('form.required');
  if (f.receiveFrom && f.receiveTo && f.receiveFrom > f.receiveTo) errors['rule.receiveTo'] = t('check.receiveTo');
  const items: PackageItem[] = [];
  f.items.forEach((it, i) => {
    if (!it.templateId) errors[`items.${i}.templateId`] = t('pkg.pickTemplate');
    else if (f.items.findIndex((x) => x.templateId === it.templateId) !== i) errors[`items.${i}.templateId`] = t('pkg.twice');
    const n = Number(it.count);
    if (!/^\d+$/.test(it.count.trim()) || n < 1 || n > 1000) errors[`items.${i}.count`] = t('check.integer', { min: 1, max: 1000 });
    items.push({ templateId: it.templateId, count: n });
  });
  if (items.length === 0) errors.items = t('pkg.needItem');
  const rule = { receiveFrom: f.receiveFrom || null, receiveTo: f.receiveTo || null, totalLimit: limit(errors, 'rule.totalLimit', f.totalLimit), perUserLimit: limit(errors, 'rule.perUserLimit', f.perUserLimit) };
  const body = { name: f.name.trim(), alias: f.alias.trim(), aliasCodeType: f.aliasCodeType, channelIds: f.channelIds, remark: f.remark.trim() || null, rule, items };
  return { body, errors };
}

function Items(p: { form: Form; set: (patch: Partial<Form>) => void; errors: Errors; templates: Array<{ value: string; label: string }> }) {
  const items = p.form.items;
  const update = (i: number, patch: Partial<Form['items'][number]>) => p.set({ items: items.map((it, j) => (j === i ? { ...it, ...patch } : it)) });
  return html`<fieldset class="field group" data-field="items"><legend>${t('pkg.items')}</legend>
    ${items.map((it, i) => html`<div class="item-row" key=${i}>
      <${SelectField} path=${`items.${i}.templateId`} label=${t('pkg.itemTemplate', { n: i + 1 })} value=${it.templateId} onChange=${(templateId: string) => update(i, { templateId })} error=${p.errors[`items.${i}.templateId`]} options=${[{ value: '', label: t('pkg.choose') }, ...p.templates]} />
      <${TextField} path=${`items.${i}.count`} label=${t('pkg.itemCount', { n: i + 1 })} value=${it.count} onInput=${(count: string) => update(i, { count })} error=${p.errors[`items.${i}.count`]} inputMode="numeric" />
      <button type="button" class="secondary small" disabled=${items.length === 1} onClick=${() => p.set({ items: items.filter((_, j) => j !== i) })}>${t('pkg.removeItem', { n: i + 1 })}</button>
    </div>`)}
    ${p.errors.items ? html`<p class="field-error">${p.errors.items}</p>` : null}
    <button type="button" class="secondary small" onClick=${() => p.set({ items: [...items, { templateId: '', count: '1' }] })}>${t('pkg.addItem')}</button>
  </fieldset>`;
}

const PLACED = ['name', 'alias', 'aliasCodeType', 'channelIds', 'rule.receiveFrom', 'rule.receiveTo', 'rule.totalLimit', 'rule.perUserLimit', 'remark', 'items'];

export function PackageForm(p: { pkg: GiftPackage | null; onSaved?: (p: GiftPackage) => void }) {
  const [form, setForm] = useState(() => formOf(p.pkg));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const catalog = useCatalog();
  const templates = useTemplates();
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const save = async (e: Event) => {
    e.preventDefault();
    const { body, errors: found } = bodyOf(form);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) return focusFirstError();
    setBusy(true);
    try {
      const saved = p.pkg ? await api.patch<GiftPackage>(`/v1/packages/${p.pkg.id}`, body) : await api.post<GiftPackage>('/v1/packages', body);
      if (p.onSaved) p.onSaved(saved);
      else {
        setFlash(t('pkg.created', { name: saved.name }));
        navigate(`/packages/${saved.id}`);
      }
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.fieldErrors());
      else setFailure(describeError(err));
      focusFirstError();
    } finally {
      setBusy(false);
    }
  };

  if (catalog.error || templates.error) return html`<${ErrorNotice} error=${catalog.error ?? templates.error} />`;
  if (!catalog.data || !templates.data) return html`<${Loading} />`;
  const options = templates.data.filter((x) => x.status === 'active').map((x) => ({ value: x.id, label: `${x.name} (${x.code})` }));
  return html`${p.pkg ? null : html`<${PageHead} title=${t('pkg.new')} />`}
    ${failure ? html`<${Notice} tone="error">${failure}<//>` : null}
    <${FormProblems} messages=${unplacedErrors(errors, PLACED)} />
    <form class="package-form" onSubmit=${save} novalidate aria-label=${t('pkg.formLabel')}>
      <div class="grid2">
        <${TextField} path="name" label=${t('pkg.name')} value=${form.name} onInput=${(name: string) => set({ name })} error=${errors.name} required maxLength=${100} />
        <${TextField} path="alias" label=${t('pkg.alias')} value=${form.alias} onInput=${(alias: string) => set({ alias })} error=${errors.alias} hint=${t('pkg.aliasHint')} />
        <${SelectField} path="aliasCodeType" label=${t('pkg.aliasCodeType')} value=${form.aliasCodeType} onChange=${(v: string) => set({ aliasCodeType: v as Form['aliasCodeType'] })} options=${[{ value: 'unique', label: t('pkg.unique') }, { value: 'shared', label: t('pkg.shared') }]} />
        <${TextField} path="rule.receiveFrom" type="date" label=${t('pkg.receiveFrom')} value=${form.receiveFrom} onInput=${(receiveFrom: string) => set({ receiveFrom })} error=${errors['rule.receiveFrom']} />
        <${TextField} path="rule.receiveTo" type="date" label=${t('pkg.receiveTo')} value=${form.receiveTo} onInput=${(receiveTo: string) => set({ receiveTo })} error=${errors['rule.receiveTo']} />
        <${TextField} path="rule.totalLimit" label=${t('pkg.totalLimit')} value=${form.totalLimit} onInput=${(totalLimit: string) => set({ totalLimit })} error=${errors['rule.totalLimit']} inputMode="numeric" hint=${t('pkg.blankUnlimited')} />
        <${TextField} path="rule.perUserLimit" label=${t('pkg.perUserLimit')} value=${form.perUserLimit} onInput=${(perUserLimit: string) => set({ perUserLimit })} error=${errors['rule.perUserLimit']} inputMode="numeric" hint=${t('pkg.blankUnlimited')} />
      </div>
      <${CheckGroup} path="channelIds" label=${t('pkg.channels')} values=${form.channelIds} onChange=${(channelIds: string[]) => set({ channelIds })} error=${errorAt(errors, 'channelIds', true)} options=${catalog.data.channels.map((c) => ({ value: c.id, label: c.name }))} />
      <${Items} form=${form} set=${set} errors=${errors} templates=${options} />
      <${TextArea} path="remark" label=${t('pkg.remark')} value=${form.remark} onInput=${(remark: string) => set({ remark })} error=${errors.remark} maxLength=${2000} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>${busy ? t('common.working') : p.pkg ? t('common.save') : t('pkg.create')}</button>
        ${p.pkg ? null : html`<button type="button" class="secondary" onClick=${() => navigate('/packages')}>${t('common.back')}</button>`}
      </div>
    </form>`;
}

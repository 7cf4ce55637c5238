/** Create or edit a template of any kind, with a live WeChat card preview beside the form. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { forgetTemplates, useCatalog } from '../lib/catalog.ts';
import { t } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { bodyOf, emptyForm, formOf, type TemplateForm } from '../lib/template-model.ts';
import type { Template } from '../lib/types.ts';
import { Badge, describeError, ErrorNotice, Loading, Notice, takeFlash } from '../ui/bits.ts';
import { CardPreview } from '../ui/card-preview.ts';
import { confirmAction } from '../ui/confirm.ts';
import { FormProblems, unplacedErrors, type Errors } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { BasicsSection, CardSection, ConditionsSection, PLACED, QuantitySection, ValiditySection } from './template-fields.ts';

/** Moves focus to the first field showing an error, so keyboard and screen-reader users land on it. */
export function focusFirstError(): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea, .notice.error');
    el?.focus();
  });
}

export function TemplateEditor(p: { template: Template | null; canManage: boolean; onSaved: (t: Template) => void }) {
  const creating = p.template === null;
  const [form, setForm] = useState<TemplateForm>(() => (p.template ? formOf(p.template) : emptyForm()));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(takeFlash);
  const catalog = useCatalog();
  const set = (patch: Partial<TemplateForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const { body, errors: found } = bodyOf(form, creating);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    setBusy(true);
    try {
      const saved = creating ? await api.post<Template>('/v1/templates', body) : await api.patch<Template>(`/v1/templates/${p.template!.id}`, body);
      forgetTemplates();
      setSaved(t('tpl.saved'));
      p.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.fieldErrors());
      else setFailure(describeError(err));
      focusFirstError();
    } finally {
      setBusy(false);
    }
  };

  const archive = async () => {
    const tpl = p.template!;
    const answer = await confirmAction({ title: t('tpl.archiveTitle'), message: t('tpl.archiveMessage', { name: tpl.name }), confirmLabel: t('tpl.archive'), danger: true });
    if (!answer.ok) return;
    try {
      p.onSaved(await api.post<Template>(`/v1/templates/${tpl.id}/archive`));
      forgetTemplates();
    } catch (err) {
      setFailure(describeError(err));
    }
  };

  if (catalog.error) return html`<${ErrorNotice} error=${catalog.error} />`;
  if (!catalog.data) return html`<${Loading} />`;
  const archived = p.template?.status === 'archived';
  const readOnly = !p.canManage || archived;
  const section = { form, set, errors, catalog: catalog.data, creating };
  const kindNames = catalog.data.productKinds.filter((k) => form.productKindIds.includes(k.id)).map((k) => k.name);
  const channelNames = catalog.data.channels.filter((c) => form.channelIds.includes(c.id)).map((c) => c.name);
  return html`<${PageHead} title=${creating ? t('tpl.new') : p.template!.name}>
      ${p.template ? html`<${Badge} status=${p.template.status} />` : null}
      ${p.template && !readOnly ? html`<button type="button" class="danger" onClick=${archive}>${t('tpl.archive')}</button>` : null}
    <//>
    ${archived ? html`<${Notice} tone="info">${t('tpl.archivedNote')}<//>` : null}
    ${saved ? html`<${Notice} tone="ok">${saved}<//>` : null}
    ${failure ? html`<${Notice} tone="error">${failure}<//>` : null}
    <${FormProblems} messages=${unplacedErrors(errors, PLACED)} />
    <div class="editor">
      <form class="template-form" onSubmit=${save} novalidate aria-label=${t('tpl.formLabel')}>
        <fieldset class="plain" disabled=${readOnly}>
          <${BasicsSection} ...${section} />
          <${ValiditySection} ...${section} />
          <${ConditionsSection} ...${section} />
          <${QuantitySection} ...${section} />
          <${CardSection} ...${section} />
        </fieldset>
        ${readOnly ? null : html`<div class="actions">
          <button type="submit" class="primary" disabled=${busy}>${busy ? t('common.working') : creating ? t('tpl.create') : t('common.save')}</button>
          <button type="button" class="secondary" onClick=${() => navigate('/templates')}>${t('common.back')}</button>
        </div>`}
      </form>
      <aside class="preview"><${CardPreview} form=${form} kindNames=${kindNames} channelNames=${channelNames} /></aside>
    </div>`;
}

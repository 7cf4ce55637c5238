/** The sections of the template form; each field carries the API path its errors come back on. */
import { html } from 'htm/preact';
import type { Catalog } from '../lib/catalog.ts';
import { t } from '../lib/i18n.ts';
import { CARD_COLORS, KINDS, takesAmount, takesDiscount, type TemplateForm } from '../lib/template-model.ts';
import { CheckGroup, errorAt, RadioGroup, SelectField, TextField, type Errors } from '../ui/form.ts';

export interface SectionProps {
  form: TemplateForm;
  set: (patch: Partial<TemplateForm>) => void;
  errors: Errors;
  catalog: Catalog;
  creating: boolean;
}

export function BasicsSection({ form: f, set, errors, catalog, creating }: SectionProps) {
  return html`<fieldset class="section"><legend>${t('tpl.basics')}</legend>
    <div class="grid2">
      <${TextField} path="name" label=${t('tpl.name')} value=${f.name} onInput=${(name: string) => set({ name })} error=${errors.name} required maxLength=${100} />
      ${creating ? html`<${TextField} path="code" label=${t('tpl.code')} value=${f.code} onInput=${(code: string) => set({ code })} error=${errors.code} hint=${t('tpl.codeHint')} />` : html`<${TextField} path="code" label=${t('tpl.code')} value=${f.code} onInput=${() => undefined} disabled />`}
      <${SelectField} path="kind" label=${t('tpl.kind')} value=${f.kind} onChange=${(kind: string) => set({ kind })} error=${errors.kind} options=${KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
      ${takesAmount(f.kind) ? html`<${TextField} path="amount" label=${f.kind === 'cash' ? t('tpl.amount') : t('tpl.value')} value=${f.amount} onInput=${(amount: string) => set({ amount })} error=${errors.amount} inputMode="decimal" hint=${t('tpl.yuanHint')} required=${f.kind === 'cash'} />` : null}
      ${takesDiscount(f.kind) ? html`<${TextField} path="discount" label=${t('tpl.discount')} value=${f.discount} onInput=${(discount: string) => set({ discount })} error=${errors.discount} inputMode="decimal" hint=${t('tpl.discountHint')} required=${f.kind === 'discount'} />` : null}
      <${SelectField} path="themeId" label=${t('tpl.theme')} value=${f.themeId} onChange=${(themeId: string) => set({ themeId })} error=${errors.themeId} options=${[{ value: '', label: t('common.none') }, ...catalog.themes.map((x) => ({ value: x.id, label: x.name }))]} />
      <${TextField} path="sort" label=${t('tpl.sort')} value=${f.sort} onInput=${(sort: string) => set({ sort })} error=${errors.sort} inputMode="numeric" hint=${t('tpl.sortHint')} />
    </div>
  </fieldset>`;
}

export function ValiditySection({ form: f, set, errors }: SectionProps) {
  return html`<fieldset class="section"><legend>${t('tpl.validity')}</legend>
    <${RadioGroup} path="validity" label=${t('tpl.validityType')} value=${f.validity} onChange=${(v: string) => set({ validity: v as TemplateForm['validity'] })}
      options=${[{ value: 'fixed', label: t('tpl.fixed') }, { value: 'relative', label: t('tpl.relative') }]} />
    <div class="grid3">
      ${f.validity === 'relative' ? html`<${TextField} path="rule.validDaysAfterClaim" label=${t('tpl.validDays')} value=${f.validDays} onInput=${(validDays: string) => set({ validDays })} error=${errors['rule.validDaysAfterClaim']} inputMode="numeric" required />` : null}
      <${TextField} path="rule.validFrom" type="date" label=${f.validity === 'fixed' ? t('tpl.validFrom') : t('tpl.validFromCap')} value=${f.validFrom} onInput=${(validFrom: string) => set({ validFrom })} error=${errors['rule.validFrom']} />
      <${TextField} path="rule.validTo" type="date" label=${f.validity === 'fixed' ? t('tpl.validTo') : t('tpl.validToCap')} value=${f.validTo} onInput=${(validTo: string) => set({ validTo })} error=${errors['rule.validTo']} hint=${t('tpl.validToHint')} />
    </div>
  </fieldset>`;
}

function TimeWindows({ form: f, set, errors }: SectionProps) {
  const windows = f.timeWindows;
  const update = (i: number, patch: Partial<{ from: string; to: string }>) => set({ timeWindows: windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  return html`<fieldset class="field group" data-field="rule.timeWindows"><legend>${t('tpl.timeWindows')}</legend>
    ${windows.length === 0 ? html`<p class="muted small">${t('tpl.allDay')}</p>` : null}
    ${windows.map((w, i) => html`<div class="window-row" key=${i}>
      <${TextField} path=${`rule.timeWindows.${i}.from`} type="time" label=${t('tpl.windowFrom', { n: i + 1 })} value=${w.from} onInput=${(from: string) => update(i, { from })} error=${errors[`rule.timeWindows.${i}.from`]} />
      <${TextField} path=${`rule.timeWindows.${i}.to`} type="time" label=${t('tpl.windowTo', { n: i + 1 })} value=${w.to} onInput=${(to: string) => update(i, { to })} error=${errors[`rule.timeWindows.${i}.to`]} hint=${t('tpl.windowToHint')} />
      <button type="button" class="secondary small" onClick=${() => set({ timeWindows: windows.filter((_, j) => j !== i) })}>${t('tpl.removeWindow', { n: i + 1 })}</button>
    </div>`)}
    <button type="button" class="secondary small" onClick=${() => set({ timeWindows: [...windows, { from: '11:00', to: '14:00' }] })}>${t('tpl.addWindow')}</button>
  </fieldset>`;
}

export function ConditionsSection(p: SectionProps) {
  const { form: f, set, errors, catalog } = p;
  return html`<fieldset class="section"><legend>${t('tpl.conditions')}</legend>
    <div class="grid2">
      <${TextField} path="rule.minOrderAmount" label=${t('tpl.minOrder')} value=${f.minOrder} onInput=${(minOrder: string) => set({ minOrder })} error=${errors['rule.minOrderAmount']} inputMode="decimal" hint=${t('tpl.minOrderHint')} />
      <${TextField} path="rule.maxDiscountAmount" label=${t('tpl.cap')} value=${f.maxDiscount} onInput=${(maxDiscount: string) => set({ maxDiscount })} error=${errors['rule.maxDiscountAmount']} inputMode="decimal" hint=${t('tpl.capHint')} />
    </div>
    <${CheckGroup} path="rule.productKindIds" label=${t('tpl.productKinds')} values=${f.productKindIds} onChange=${(productKindIds: string[]) => set({ productKindIds })} error=${errorAt(errors, 'rule.productKindIds', true)} hint=${t('tpl.anyKind')} options=${catalog.productKinds.map((x) => ({ value: x.id, label: x.name }))} />
    <${CheckGroup} path="rule.channelIds" label=${t('tpl.channels')} values=${f.channelIds} onChange=${(channelIds: string[]) => set({ channelIds })} error=${errorAt(errors, 'rule.channelIds', true)} hint=${t('tpl.anyChannel')} options=${catalog.channels.map((x) => ({ value: x.id, label: x.name }))} />
    <${CheckGroup} path="rule.weekdays" label=${t('tpl.weekdays')} values=${f.weekdays} onChange=${(weekdays: string[]) => set({ weekdays })} error=${errorAt(errors, 'rule.weekdays', true)} hint=${t('tpl.everyDay')} options=${[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: t(`weekday.${d}` as 'weekday.1') }))} />
    <${TimeWindows} ...${p} />
  </fieldset>`;
}

export function QuantitySection({ form: f, set, errors }: SectionProps) {
  return html`<fieldset class="section"><legend>${t('tpl.quantity')}</legend>
    <div class="grid2">
      <${TextField} path="stock" label=${t('tpl.stock')} value=${f.stock} onInput=${(stock: string) => set({ stock })} error=${errors.stock} inputMode="numeric" hint=${t('tpl.stockHint')} />
      <${TextField} path="perUserLimit" label=${t('tpl.perUser')} value=${f.perUserLimit} onInput=${(perUserLimit: string) => set({ perUserLimit })} error=${errors.perUserLimit} inputMode="numeric" hint=${t('tpl.perUserHint')} />
      <${TextField} path="claimFrom" type="date" label=${t('tpl.claimFrom')} value=${f.claimFrom} onInput=${(claimFrom: string) => set({ claimFrom })} error=${errors.claimFrom} />
      <${TextField} path="claimTo" type="date" label=${t('tpl.claimTo')} value=${f.claimTo} onInput=${(claimTo: string) => set({ claimTo })} error=${errors.claimTo} />
    </div>
  </fieldset>`;
}

export function CardSection({ form: f, set, errors }: SectionProps) {
  return html`<fieldset class="section"><legend>${t('tpl.card')}</legend>
    <div class="grid3">
      <${TextField} path="display.brandName" label=${t('tpl.brand')} value=${f.brandName} onInput=${(brandName: string) => set({ brandName })} error=${errors['display.brandName']} maxLength=${36} />
      <${SelectField} path="display.color" label=${t('tpl.color')} value=${f.color} onChange=${(color: string) => set({ color })} options=${Object.keys(CARD_COLORS).map((c) => ({ value: c, label: c }))} />
      <${TextField} path="display.picUrl" label=${t('tpl.logo')} value=${f.picUrl} onInput=${(picUrl: string) => set({ picUrl })} error=${errors['display.picUrl']} />
    </div>
  </fieldset>`;
}

/** Paths the sections show errors for (anything else goes to the top of the form). */
export const PLACED = ['name', 'code', 'kind', 'amount', 'discount', 'themeId', 'sort', 'rule.validDaysAfterClaim', 'rule.validFrom', 'rule.validTo', 'rule.minOrderAmount', 'rule.maxDiscountAmount', 'rule.productKindIds', 'rule.channelIds', 'rule.weekdays', 'rule.timeWindows', 'stock', 'perUserLimit', 'claimFrom', 'claimTo', 'display.brandName', 'display.picUrl'];

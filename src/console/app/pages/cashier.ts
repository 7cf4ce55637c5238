/**
 * The till: a coupon code and an order → whether it works and why not, in plain words →
 * redeem (核销) → receipt → reverse (冲正) if needed. Built to be used from the keyboard alone:
 * Enter checks, focus moves to Redeem when the coupon works and to the receipt after.
 */
import type { Ref } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { loadCatalog, useCatalog, type Catalog } from '../lib/catalog.ts';
import { money, newOrderId, yuanToFen } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { plainReason } from '../lib/reasons.ts';
import type { Coupon, Evaluation, Redemption, Template } from '../lib/types.ts';
import { describeError, Notice } from '../ui/bits.ts';
import { CheckGroup, FormProblems, SelectField, TextField, unplacedErrors, type Errors } from '../ui/form.ts';
import { PageHead } from '../ui/layout.ts';
import { Receipt, RecentRedemptions } from './cashier-receipt.ts';

interface Order {
  code: string;
  amount: string;
  productKindIds: string[];
  channelId: string;
  orderId: string;
}

interface Checked {
  evaluation: Evaluation;
  coupon: Coupon | null;
  template: Template | null;
  reasons: string[];
}

const fresh = (): Order => ({ code: '', amount: '', productKindIds: [], channelId: '', orderId: newOrderId() });

function bodyOf(o: Order): { body: Record<string, unknown> | null; errors: Errors } {
  const errors: Errors = {};
  if (o.code.trim() === '') errors.code = t('cashier.codeRequired');
  const amount = yuanToFen(o.amount);
  if (amount === null) errors['order.amount'] = t('cashier.amountRequired');
  else if (Number.isNaN(amount)) errors['order.amount'] = t('check.yuan');
  if (o.orderId.trim() === '') errors['order.id'] = t('form.required');
  if (Object.keys(errors).length) return { body: null, errors };
  return { body: { code: o.code.trim(), order: { id: o.orderId.trim(), amount, productKindIds: o.productKindIds, channelId: o.channelId || null } }, errors };
}

/** The coupon and its rules, to name the coupon and put refusals in plain words (best effort). */
async function describe(evaluation: Evaluation, amount: number): Promise<Checked> {
  let coupon: Coupon | null = null;
  let template: Template | null = null;
  let catalog: Catalog | null = null;
  try {
    coupon = await api.get<Coupon>(`/v1/coupons/${evaluation.couponId}`);
    [template, catalog] = await Promise.all([api.get<Template>(`/v1/templates/${coupon.templateId}`), loadCatalog()]);
  } catch {
    // The server's own messages still explain each reason.
  }
  const reasons = evaluation.reasons.map((r) => plainReason(r, { orderAmount: amount, coupon, template, catalog }));
  return { evaluation, coupon, template, reasons };
}

function CheckResult(p: { checked: Checked; amount: number; busy: boolean; onRedeem: () => void }) {
  const { evaluation: e, template } = p.checked;
  const redeem = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (e.valid) redeem.current?.focus();
  }, [e]);
  const name = template ? `${template.name} · ${e.code}` : e.code;
  if (!e.valid) {
    return html`<div class="result refused" id="check-result" role="alert">
      <h2>${t('cashier.refused')}</h2>
      <p>${name}</p>
      <ul class="reasons">${p.checked.reasons.map((r, i) => html`<li data-reason=${e.reasons[i]?.code}>${r}</li>`)}</ul>
    </div>`;
  }
  return html`<div class="result ok" id="check-result" role="status">
    <h2>${t('cashier.usable')}</h2>
    <p>${name}</p>
    <p class="big">${t('cashier.willTake', { discount: money(e.discountAmount), payable: money(p.amount - e.discountAmount) })}</p>
    <button type="button" class="primary" ref=${redeem} disabled=${p.busy} onClick=${p.onRedeem}>${t('cashier.redeem', { discount: money(e.discountAmount) })}</button>
  </div>`;
}

/** The order at the till; Enter in any field checks the coupon. */
function OrderForm(p: { order: Order; set: (patch: Partial<Order>) => void; errors: Errors; busy: boolean; catalog: Catalog | null; codeRef: Ref<HTMLDivElement>; onSubmit: (e: Event) => void }) {
  const { order, set, errors } = p;
  const kinds = p.catalog?.productKinds ?? [];
  const channels = p.catalog?.channels ?? [];
  return html`<form class="card cashier-form" onSubmit=${p.onSubmit} novalidate aria-label=${t('cashier.formLabel')}>
        <div ref=${p.codeRef}><${TextField} path="code" label=${t('cashier.code')} value=${order.code} onInput=${(code: string) => set({ code })} error=${errors.code} autoFocus required hint=${t('cashier.codeHint')} /></div>
        <${TextField} path="order.amount" label=${t('cashier.orderAmountYuan')} value=${order.amount} onInput=${(amount: string) => set({ amount })} error=${errors['order.amount']} inputMode="decimal" required />
        <${CheckGroup} path="order.productKindIds" label=${t('cashier.productKinds')} values=${order.productKindIds} onChange=${(productKindIds: string[]) => set({ productKindIds })} options=${kinds.map((k) => ({ value: k.id, label: k.name }))} />
        <${SelectField} path="order.channelId" label=${t('cashier.channel')} value=${order.channelId} onChange=${(channelId: string) => set({ channelId })} options=${[{ value: '', label: t('common.none') }, ...channels.map((c) => ({ value: c.id, label: c.name }))]} />
        <${TextField} path="order.id" label=${t('cashier.orderId')} value=${order.orderId} onInput=${(orderId: string) => set({ orderId })} error=${errors['order.id']} />
        <button type="submit" class="primary" disabled=${p.busy}>${p.busy ? t('common.working') : t('cashier.check')}</button>
      </form>`;
}

export function CashierPage() {
  const [order, setOrder] = useState<Order>(fresh);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [receipt, setReceipt] = useState<Redemption | null>(null);
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const catalog = useCatalog();
  const codeInput = useRef<HTMLDivElement>(null);

  const set = (patch: Partial<Order>) => {
    setOrder((o) => ({ ...o, ...patch }));
    setChecked(null); // a changed order needs a new check before it can be redeemed
  };
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 404) setErrors({ code: t('cashier.unknownCode') });
    else if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.fieldErrors());
    else setFailure(describeError(err));
  };

  const check = async (e: Event) => {
    e.preventDefault();
    const { body, errors: found } = bodyOf(order);
    setErrors(found);
    setFailure(null);
    setChecked(null);
    if (!body) return;
    setBusy(true);
    try {
      const evaluation = await api.post<Evaluation>('/v1/redemptions/validate', body);
      setChecked(await describe(evaluation, yuanToFen(order.amount) ?? 0));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const redeem = async () => {
    const { body } = bodyOf(order);
    if (!body || !checked) return;
    setBusy(true);
    try {
      setReceipt(await api.post<Redemption>('/v1/redemptions', body));
      setRefresh((n) => n + 1);
    } catch (err) {
      const reasons = err instanceof ApiError ? err.problem.reasons : undefined;
      if (reasons) setChecked(await describe({ ...checked.evaluation, valid: false, discountAmount: 0, reasons }, yuanToFen(order.amount) ?? 0));
      else fail(err);
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setOrder(fresh());
    setChecked(null);
    setReceipt(null);
    setErrors({});
    requestAnimationFrame(() => codeInput.current?.querySelector('input')?.focus());
  };

  useEffect(() => {
    // The till starts on the code field, however the page was reached (autofocus only works on load).
    codeInput.current?.querySelector('input')?.focus();
  }, []);

  return html`<${PageHead} title=${t('nav.cashier')} />
    ${failure ? html`<${Notice} tone="error">${failure}<//>` : null}
    <${FormProblems} messages=${unplacedErrors(errors, ['code', 'order.amount', 'order.id', 'order.productKindIds', 'order.channelId'])} />
    ${receipt ? html`<${Receipt} redemption=${receipt} couponName=${checked?.template?.name ?? null} onChange=${(r: Redemption) => { setReceipt(r); setRefresh((n) => n + 1); }} onNext=${next} />` : html`
    <div class="till">
      <${OrderForm} order=${order} set=${set} errors=${errors} busy=${busy && !checked} catalog=${catalog.data ?? null} codeRef=${codeInput} onSubmit=${check} />
      <div class="till-result" aria-live="polite">
        ${checked ? html`<${CheckResult} checked=${checked} amount=${yuanToFen(order.amount) ?? 0} busy=${busy} onRedeem=${redeem} />` : html`<p class="muted">${t('cashier.instructions')}</p>`}
      </div>
    </div>`}
    <${RecentRedemptions} refresh=${refresh} />`;
}

/**
 * A template as the form edits it (text in inputs, yuan not fen) and back to the API's body.
 * The checks mirror the engine's (src/domain/template.ts), field paths included, so a mistake
 * is shown before the round trip; whatever the API still refuses lands on the same fields.
 */
import { fenToYuan, yuanToFen } from './format.ts';
import { t } from './i18n.ts';
import type { Template, TimeWindow } from './types.ts';

export const KINDS = ['cash', 'discount', 'groupon', 'gift', 'general', 'member_card', 'free_order', 'exchange', 'buy_m_get_n', 'product', 'free_shipping', 'skip_queue', 'parking'] as const;

/** Kinds whose value is a 折 figure; the others take an amount, except those worth the whole order or nothing. */
export const takesDiscount = (kind: string) => kind === 'discount' || kind === 'member_card';
export const takesAmount = (kind: string) => !takesDiscount(kind) && kind !== 'free_order' && kind !== 'skip_queue';

export const CARD_COLORS: Record<string, string> = {
  Color010: '#63b359', Color020: '#2c9f67', Color030: '#509fc9', Color040: '#5885cf', Color050: '#9062c0', Color060: '#d09a45',
  Color070: '#e4b138', Color080: '#ee903c', Color081: '#f08500', Color082: '#a9d92d', Color090: '#dd6549', Color100: '#cc463d', Color101: '#cf3e36', Color102: '#5e6671',
};

export interface TemplateForm {
  code: string;
  name: string;
  kind: string;
  amount: string;
  discount: string;
  themeId: string;
  sort: string;
  validity: 'fixed' | 'relative';
  validFrom: string;
  validTo: string;
  validDays: string;
  minOrder: string;
  maxDiscount: string;
  productKindIds: string[];
  channelIds: string[];
  weekdays: string[];
  timeWindows: TimeWindow[];
  stock: string;
  perUserLimit: string;
  claimFrom: string;
  claimTo: string;
  brandName: string;
  color: string;
  picUrl: string;
  /** Display keys the form does not edit (partners' extras), kept as they are. */
  baseDisplay: Record<string, unknown>;
}

export function emptyForm(): TemplateForm {
  return {
    code: '', name: '', kind: 'cash', amount: '', discount: '', themeId: '', sort: '1000', validity: 'fixed', validFrom: '', validTo: '', validDays: '',
    minOrder: '', maxDiscount: '', productKindIds: [], channelIds: [], weekdays: [], timeWindows: [], stock: '', perUserLimit: '', claimFrom: '', claimTo: '',
    brandName: '', color: 'Color010', picUrl: '', baseDisplay: {},
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (n: number | null) => (n === null ? '' : String(n));

export function formOf(x: Template): TemplateForm {
  return {
    code: x.code, name: x.name, kind: x.kind, amount: fenToYuan(x.amount), discount: x.discount === null ? '' : String(x.discount), themeId: x.themeId ?? '', sort: String(x.sort),
    validity: x.rule.validDaysAfterClaim === null ? 'fixed' : 'relative', validFrom: x.rule.validFrom ?? '', validTo: x.rule.validTo ?? '', validDays: num(x.rule.validDaysAfterClaim),
    minOrder: x.rule.minOrderAmount ? fenToYuan(x.rule.minOrderAmount) : '', maxDiscount: x.rule.maxDiscountAmount ? fenToYuan(x.rule.maxDiscountAmount) : '',
    productKindIds: x.rule.productKindIds, channelIds: x.rule.channelIds, weekdays: x.rule.weekdays.map(String), timeWindows: x.rule.timeWindows.map((w) => ({ from: w.from, to: w.to === '24:00' ? '00:00' : w.to })),
    stock: num(x.stock), perUserLimit: num(x.perUserLimit), claimFrom: x.claimFrom ?? '', claimTo: x.claimTo ?? '',
    brandName: str(x.display.brandName), color: str(x.display.color) || 'Color010', picUrl: str(x.display.picUrl), baseDisplay: x.display,
  };
}

type Errors = Record<string, string>;

function money(errors: Errors, path: string, text: string): number | null {
  const fen = yuanToFen(text);
  if (Number.isNaN(fen)) errors[path] = t('check.yuan');
  return fen === null || Number.isNaN(fen) ? null : fen;
}

function integer(errors: Errors, path: string, text: string, min: number, max = 1_000_000_000): number | null {
  const s = text.trim();
  if (s === '') return null;
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || n < min || n > max) errors[path] = t('check.integer', { min, max });
  return Number.isSafeInteger(n) ? n : null;
}

function checkValue(f: TemplateForm, errors: Errors): { amount: number | null; discount: number | null } {
  const amount = takesAmount(f.kind) ? money(errors, 'amount', f.amount) : null;
  if (f.kind === 'cash' && !errors.amount && (amount === null || amount <= 0)) errors.amount = t('check.cashAmount');
  let discount: number | null = null;
  if (takesDiscount(f.kind) && f.discount.trim() !== '') {
    discount = Number(f.discount);
    if (!/^\d(\.\d{1,2})?$/.test(f.discount.trim()) || discount <= 0 || discount >= 10) errors.discount = t('check.discount');
  }
  if (f.kind === 'discount' && discount === null) errors.discount = t('check.discountRequired');
  return { amount, discount };
}

function checkRule(f: TemplateForm, errors: Errors) {
  if (f.validFrom && f.validTo && f.validFrom > f.validTo) errors['rule.validTo'] = t('check.validTo');
  const validDays = f.validity === 'relative' ? integer(errors, 'rule.validDaysAfterClaim', f.validDays, 1, 36500) : null;
  if (f.validity === 'relative' && f.validDays.trim() === '') errors['rule.validDaysAfterClaim'] = t('check.validDays');
  f.timeWindows.forEach((w, i) => {
    if (!/^\d{2}:\d{2}$/.test(w.from)) errors[`rule.timeWindows.${i}.from`] = t('check.clock');
    if (!/^\d{2}:\d{2}$/.test(w.to)) errors[`rule.timeWindows.${i}.to`] = t('check.clock');
    else if (w.from >= w.to && w.to !== '00:00') errors[`rule.timeWindows.${i}.to`] = t('check.windowOrder');
  });
  return {
    validFrom: f.validFrom || null,
    validTo: f.validTo || null,
    validDaysAfterClaim: validDays,
    minOrderAmount: money(errors, 'rule.minOrderAmount', f.minOrder) ?? 0,
    maxDiscountAmount: money(errors, 'rule.maxDiscountAmount', f.maxDiscount) ?? 0,
    productKindIds: f.productKindIds,
    channelIds: f.channelIds,
    weekdays: f.weekdays.map(Number).sort((a, b) => a - b),
    // 00:00 as an end means midnight: the engine spells it 24:00.
    timeWindows: f.timeWindows.map((w) => ({ from: w.from, to: w.to === '00:00' ? '24:00' : w.to })),
  };
}

/** The body for POST (create) or PATCH (edit), or the errors by field path. */
export function bodyOf(f: TemplateForm, creating: boolean): { body: Record<string, unknown>; errors: Errors } {
  const errors: Errors = {};
  if (f.name.trim() === '') errors.name = t('form.required');
  if (creating && f.code.trim() !== '' && !/^[0-9A-Za-z]{1,32}$/.test(f.code.trim())) errors.code = t('check.code');
  const { amount, discount } = checkValue(f, errors);
  const rule = checkRule(f, errors);
  const stock = integer(errors, 'stock', f.stock, 0);
  const perUserLimit = integer(errors, 'perUserLimit', f.perUserLimit, 1);
  const sort = integer(errors, 'sort', f.sort, -1_000_000_000) ?? 1000;
  if (f.claimFrom && f.claimTo && f.claimFrom > f.claimTo) errors.claimTo = t('check.claimTo');
  const { brandName: _b, picUrl: _p, ...kept } = f.baseDisplay;
  const display: Record<string, unknown> = { ...kept, color: f.color };
  if (f.brandName.trim()) display.brandName = f.brandName.trim();
  if (f.picUrl.trim()) display.picUrl = f.picUrl.trim();
  const body: Record<string, unknown> = {
    name: f.name.trim(), kind: f.kind, amount, discount, themeId: f.themeId || null, sort, rule, stock, perUserLimit,
    claimFrom: f.claimFrom || null, claimTo: f.claimTo || null, display,
  };
  if (creating && f.code.trim() !== '') body.code = f.code.trim();
  return { body, errors };
}

/**
 * WeChat's card/create rules for the card object, checked before anything is saved: required
 * base_info fields, lengths in UTF-8 bytes (string(N) in WeChat's tables), code types, colours,
 * date types, the stock range and each type's own fields. Problems name every bad field with a
 * dotted path from the card (`cash.base_info.title`).
 */
import type { FieldProblem } from '../../domain/errors.ts';
import { MAX_FEN } from '../../domain/money.ts';
import { checkAdvancedInfo } from './card-advanced.ts';
import { Checker, type TextRule } from './card-check.ts';
import { CARD_TYPES, CODE_TYPES, COLORS, CardType, DateType, MAX_QUANTITY, isJson, typeKey, type Json, type WechatCard } from './card.ts';

/** base_info text fields: [max UTF-8 bytes, required]. */
const BASE_TEXT: Record<string, [number, boolean]> = {
  logo_url: [128, true],
  brand_name: [36, true],
  title: [27, true],
  notice: [48, true],
  description: [3072, true],
  sub_title: [54, false],
  service_phone: [24, false],
  source: [36, false],
  center_title: [18, false],
  center_sub_title: [24, false],
  center_url: [128, false],
  center_app_brand_user_name: [128, false],
  center_app_brand_pass: [128, false],
  custom_url_name: [15, false],
  custom_url: [128, false],
  custom_url_sub_title: [18, false],
  custom_app_brand_user_name: [128, false],
  custom_app_brand_pass: [128, false],
  promotion_url_name: [15, false],
  promotion_url: [128, false],
  promotion_url_sub_title: [18, false],
  promotion_app_brand_user_name: [128, false],
  promotion_app_brand_pass: [128, false],
};
const URLS = new Set(['logo_url', 'center_url', 'custom_url', 'promotion_url']);
const BASE_BOOLS = ['use_custom_code', 'bind_openid', 'can_share', 'can_give_friend', 'use_all_locations', 'need_push_on_view'];
const BASE_OTHER = ['code_type', 'color', 'sku', 'date_info', 'get_limit', 'use_limit', 'location_id_list', 'get_custom_code_mode'];
const BASE_FIELDS = [...Object.keys(BASE_TEXT), ...BASE_BOOLS, ...BASE_OTHER];

/** Each type's own fields (besides base_info and advanced_info). */
const OWN_FIELDS: Record<CardType, string[]> = {
  CASH: ['least_cost', 'reduce_cost'],
  DISCOUNT: ['discount'],
  GROUPON: ['deal_detail'],
  GIFT: ['gift'],
  GENERAL_COUPON: ['default_detail'],
  MEMBER_CARD: ['discount', 'prerogative', 'supply_bonus', 'supply_balance', 'bonus_rule', 'custom_cell1', 'custom_field1', 'custom_field2', 'custom_field3', 'activate_url', 'auto_activate', 'wx_activate', 'background_pic_url'],
};

export interface CardCheckOptions {
  /** The type the route creates; another card_type is refused. */
  expected?: CardType | undefined;
  /** Now, epoch ms: a fixed range must end in the future, as WeChat requires. */
  now: number;
}

export interface CardCheckResult {
  /** The card with WeChat's legacy spellings normalised (date type 1/2, digit strings); null when not a card. */
  card: WechatCard | null;
  problems: FieldProblem[];
}

function checkDateInfo(c: Checker, d: Json, path: string, now: number, card: CardType): void {
  c.known(d, ['type', 'begin_timestamp', 'end_timestamp', 'fixed_term', 'fixed_begin_term'], path, 'date_info');
  // The old documents' 1 and 2 are still accepted by WeChat.
  if (d.type === 1 || d.type === '1') d.type = DateType.range;
  if (d.type === 2 || d.type === '2') d.type = DateType.term;
  const type = c.text(d, 'type', `${path}.type`, { required: true, maxBytes: 32, oneOf: [DateType.range, DateType.term, DateType.permanent] });
  const seconds = { min: 0, max: 4_294_967_295, unit: 'seconds since 1970' };
  if (type === DateType.permanent && card !== CardType.MEMBER_CARD) c.add(`${path}.type`, 'DATE_TYPE_PERMANENT is for member cards; use DATE_TYPE_FIX_TIME_RANGE or DATE_TYPE_FIX_TERM');
  if (type === DateType.range) {
    const begin = c.int(d, 'begin_timestamp', `${path}.begin_timestamp`, { required: true, ...seconds });
    const end = c.int(d, 'end_timestamp', `${path}.end_timestamp`, { required: true, ...seconds });
    if (begin !== undefined && end !== undefined && end <= begin) c.add(`${path}.end_timestamp`, 'must be after begin_timestamp');
    else if (end !== undefined && end * 1000 <= now) c.add(`${path}.end_timestamp`, 'must be in the future (WeChat refuses a card that has already ended)');
  }
  if (type === DateType.term) {
    c.int(d, 'fixed_term', `${path}.fixed_term`, { required: true, min: 1, max: 36_500, unit: 'days' });
    const delay = c.int(d, 'fixed_begin_term', `${path}.fixed_begin_term`, { min: 0, max: 36_500, unit: 'days' });
    if (delay !== undefined && delay > 0) c.add(`${path}.fixed_begin_term`, 'must be 0: couponhub starts a coupon\'s validity when it is claimed and cannot delay it');
    const end = c.int(d, 'end_timestamp', `${path}.end_timestamp`, seconds);
    if (end !== undefined && end * 1000 <= now) c.add(`${path}.end_timestamp`, 'must be in the future');
  }
}

function checkSku(c: Checker, b: Json, path: string): number | undefined {
  const sku = c.object(b, 'sku', path, true);
  if (!sku) return undefined;
  c.known(sku, ['quantity'], path, 'sku');
  return c.int(sku, 'quantity', `${path}.quantity`, { required: true, min: 0, max: MAX_QUANTITY });
}

function checkBaseInfo(c: Checker, b: Json, path: string, now: number, type: CardType): void {
  c.known(b, BASE_FIELDS, path, 'base_info');
  for (const [key, [maxBytes, required]] of Object.entries(BASE_TEXT)) {
    const rule: TextRule = { maxBytes, required, url: URLS.has(key) };
    c.text(b, key, `${path}.${key}`, rule);
  }
  c.text(b, 'code_type', `${path}.code_type`, { required: true, maxBytes: 32, oneOf: CODE_TYPES });
  c.text(b, 'color', `${path}.color`, { required: true, maxBytes: 16, oneOf: COLORS });
  for (const key of BASE_BOOLS) c.bool(b, key, `${path}.${key}`);
  const quantity = checkSku(c, b, `${path}.sku`);
  const date = c.object(b, 'date_info', `${path}.date_info`, true);
  if (date) checkDateInfo(c, date, `${path}.date_info`, now, type);
  c.int(b, 'get_limit', `${path}.get_limit`, { min: 0, max: MAX_QUANTITY });
  c.int(b, 'use_limit', `${path}.use_limit`, { min: 0, max: MAX_QUANTITY });
  const locations = c.array(b, 'location_id_list', `${path}.location_id_list`, 1000);
  locations?.forEach((id, i) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) c.add(`${path}.location_id_list.${i}`, 'must be a positive integer (a WeChat store poi id)');
  });
  const mode = c.text(b, 'get_custom_code_mode', `${path}.get_custom_code_mode`, { maxBytes: 32, oneOf: ['GET_CUSTOM_CODE_MODE_DEPOSIT'] });
  if (mode !== undefined && b.use_custom_code !== true) c.add(`${path}.use_custom_code`, 'must be true with get_custom_code_mode');
  if (mode !== undefined && quantity !== undefined && quantity !== 0) c.add(`${path}.sku.quantity`, 'must be 0 with get_custom_code_mode (codes are imported first)');
}

function checkOwnFields(c: Checker, type: CardType, t: Json, path: string): void {
  const detail = { required: true, maxBytes: 3072 };
  switch (type) {
    case CardType.CASH:
      c.int(t, 'reduce_cost', `${path}.reduce_cost`, { required: true, min: 1, max: MAX_FEN, unit: 'fen' });
      c.int(t, 'least_cost', `${path}.least_cost`, { min: 0, max: MAX_FEN, unit: 'fen' });
      break;
    case CardType.DISCOUNT:
      c.int(t, 'discount', `${path}.discount`, { required: true, min: 1, max: 99, unit: '(percent off: 30 = 7折)' });
      break;
    case CardType.GROUPON:
      c.text(t, 'deal_detail', `${path}.deal_detail`, detail);
      break;
    case CardType.GIFT:
      c.text(t, 'gift', `${path}.gift`, detail);
      break;
    case CardType.GENERAL_COUPON:
      c.text(t, 'default_detail', `${path}.default_detail`, detail);
      break;
    case CardType.MEMBER_CARD:
      c.text(t, 'prerogative', `${path}.prerogative`, detail);
      c.int(t, 'discount', `${path}.discount`, { min: 0, max: 99, unit: '(percent off: 10 = 9折)' });
      break;
  }
}

/** A CASH card may state its threshold twice (least_cost, use_condition.least_cost); they must agree. */
function checkThreshold(c: Checker, typed: Json, key: string): void {
  const use = isJson(typed.advanced_info) && isJson(typed.advanced_info.use_condition) ? typed.advanced_info.use_condition : {};
  if (typeof typed.least_cost === 'number' && typeof use.least_cost === 'number' && typed.least_cost !== use.least_cost) {
    c.add(`${key}.advanced_info.use_condition.least_cost`, `must equal least_cost (${typed.least_cost}) when both are given`);
  }
}

function checkCardType(c: Checker, card: Json, expected: CardType | undefined): CardType | undefined {
  const raw = card.card_type;
  if (raw === undefined || raw === null) return void c.add('card_type', expected ? `is required (${expected} here)` : 'is required');
  const type = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (typeof type !== 'string' || !(CARD_TYPES as readonly string[]).includes(type)) {
    return void c.add('card_type', `must be one of ${CARD_TYPES.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  card.card_type = type;
  if (expected && type !== expected) c.add('card_type', `must be ${expected} on this route, got ${type}; use the route of a ${type} card`);
  return type as CardType;
}

/** Checks a card as WeChat's card/create does; returns the normalised card and every problem. */
export function checkCard(input: unknown, options: CardCheckOptions): CardCheckResult {
  const c = new Checker();
  if (!isJson(input)) return { card: null, problems: [{ field: '', message: 'must be the WeChat card object: {"card_type": …, "<type>": {"base_info": …}}' }] };
  const card = structuredClone(input);
  const type = checkCardType(c, card, options.expected);
  if (type === undefined) return { card: null, problems: c.problems };
  const key = typeKey(type);
  c.known(card, ['card_type', key], '', `a ${type} card (its fields go under "${key}")`);
  const typed = c.object(card, key, key, true);
  if (typed) {
    c.known(typed, ['base_info', 'advanced_info', ...OWN_FIELDS[type]], key, `a ${type} card`);
    const base = c.object(typed, 'base_info', `${key}.base_info`, true);
    if (base) checkBaseInfo(c, base, `${key}.base_info`, options.now, type);
    const advanced = c.object(typed, 'advanced_info', `${key}.advanced_info`, false);
    if (advanced) checkAdvancedInfo(c, advanced, `${key}.advanced_info`);
    checkOwnFields(c, type, typed, key);
    checkThreshold(c, typed, key);
  }
  const problems = c.problems.map((p) => ({ field: p.field.replace(/^\./, ''), message: p.message }));
  return { card: problems.length === 0 ? (card as WechatCard) : null, problems };
}

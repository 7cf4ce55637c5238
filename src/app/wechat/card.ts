/**
 * The WeChat card (卡券) object of `card/create`, as the ticket administration dialect receives it
 * and the WeChat sync sends it: `{"card_type": "CASH", "cash": {"base_info": …, "advanced_info": …,
 * "least_cost": …, "reduce_cost": …}}`. Field names stay WeChat's snake_case.
 */
import type { TemplateKind } from '../../domain/template.ts';

export const CardType = {
  CASH: 'CASH',
  DISCOUNT: 'DISCOUNT',
  GROUPON: 'GROUPON',
  GIFT: 'GIFT',
  GENERAL_COUPON: 'GENERAL_COUPON',
  MEMBER_CARD: 'MEMBER_CARD',
} as const;
export type CardType = (typeof CardType)[keyof typeof CardType];
export const CARD_TYPES = Object.values(CardType);

/** Code display types WeChat accepts (`code_type`). */
export const CODE_TYPES = ['CODE_TYPE_TEXT', 'CODE_TYPE_BARCODE', 'CODE_TYPE_QRCODE', 'CODE_TYPE_ONLY_QRCODE', 'CODE_TYPE_ONLY_BARCODE', 'CODE_TYPE_NONE'] as const;

/** WeChat's card colours (`card/getcolors`): Color010 … Color100, plus the later Color101 and Color102. */
export const COLORS = ['Color010', 'Color020', 'Color030', 'Color040', 'Color050', 'Color060', 'Color070', 'Color080', 'Color081', 'Color082', 'Color090', 'Color100', 'Color101', 'Color102'] as const;

export const DateType = {
  range: 'DATE_TYPE_FIX_TIME_RANGE',
  term: 'DATE_TYPE_FIX_TERM',
  permanent: 'DATE_TYPE_PERMANENT',
} as const;

/** `time_limit.type` values for days; index + 1 is the ISO weekday the engine uses. */
export const WEEKDAY_NAMES = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const HOLIDAY = 'HOLIDAY';

export const BUSINESS_SERVICES = ['BIZ_SERVICE_DELIVER', 'BIZ_SERVICE_FREE_PARK', 'BIZ_SERVICE_WITH_PET', 'BIZ_SERVICE_FREE_WIFI'] as const;

/** `sku.quantity` upper bound (卡券库存的数量，上限为100000000). */
export const MAX_QUANTITY = 100_000_000;

/** get_limit when the card leaves it out: WeChat's documented default. */
export const DEFAULT_GET_LIMIT = 50;

export type Json = Record<string, unknown>;

/** A card as WeChat's card/create takes it; `card[typeKey(card_type)]` holds the typed object. */
export interface WechatCard {
  card_type: CardType;
  [typed: string]: unknown;
}

/** The typed object of a card: base_info, advanced_info and the type's own fields. */
export interface TypedCard extends Json {
  base_info: Json;
  advanced_info?: Json;
}

/** The key of the typed object: `cash`, `discount`, …, `member_card`. */
export const typeKey = (t: CardType): string => t.toLowerCase();

export function typedPart(card: WechatCard): TypedCard {
  return card[typeKey(card.card_type)] as TypedCard;
}

export const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** WeChat counts lengths in UTF-8 bytes: string(27) is 9 Chinese characters. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

const KIND_OF_TYPE: Record<CardType, TemplateKind> = {
  CASH: 'cash',
  DISCOUNT: 'discount',
  GROUPON: 'groupon',
  GIFT: 'gift',
  GENERAL_COUPON: 'general',
  MEMBER_CARD: 'member_card',
};

export const kindOfCardType = (t: CardType): TemplateKind => KIND_OF_TYPE[t];

/** The card type that shows a template of this kind; kinds WeChat has no card for are general coupons. */
export function cardTypeOfKind(kind: TemplateKind): CardType {
  for (const t of CARD_TYPES) if (KIND_OF_TYPE[t] === kind) return t;
  return CardType.GENERAL_COUPON;
}

/** WeChat's DISCOUNT `discount` is the percentage taken off (30 = 7折); the engine holds the 折 figure. */
export const discountPercentToFigure = (percentOff: number): number => (100 - percentOff) / 10;
export const discountFigureToPercent = (figure: number): number => Math.round(100 - figure * 10);

/** A deep copy of plain JSON (stored cards are never shared between views). */
export const cloneJson = <T>(v: T): T => structuredClone(v);

/** Field schemas shared by the native API and the data set format. */
import { Type } from 'typebox';
import { COUPON_STATUSES } from '../../domain/coupon.ts';
import { MAX_FEN } from '../../domain/money.ts';
import { PACKAGE_STATUSES } from '../../domain/package.ts';
import { TEMPLATE_KINDS } from '../../domain/template.ts';

const ID_PATTERN = '^[A-Za-z0-9_.:@-]+$';
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN, description: 'Identifier: letters, digits and _ . : @ -' });
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const Text = Type.String({ maxLength: 2000 });
/**
 * An identifier of someone else's system (an order id, a code as the cashier typed it): any text
 * but NUL characters and unpaired UTF-16 surrogates, which no database stores as given
 * (PostgreSQL refuses NUL in text; an unpaired surrogate would be stored as U+FFFD).
 */
const EXTERNAL_ID_PATTERN = '^(?:[^\\x00\\ud800-\\udfff]|[\\ud800-\\udbff][\\udc00-\\udfff])+$';
export const ExternalId = Type.String({ minLength: 1, maxLength: 64, pattern: EXTERNAL_ID_PATTERN, description: 'Text without NUL characters or unpaired surrogates' });
const COUPON_CODE_PATTERN = '^[\\x21-\\x7e]+$';
export const CouponCode = Type.String({ minLength: 1, maxLength: 64, pattern: COUPON_CODE_PATTERN, description: 'Coupon code (generated: 12 digits; imported: kept as given)' });
/** What a pattern of the fields above asks for, in words (schema errors say this instead of the regex). */
export const PATTERN_MESSAGES: ReadonlyMap<string, string> = new Map([
  [ID_PATTERN, 'may hold only letters, digits and _ . : @ -'],
  [COUPON_CODE_PATTERN, 'may hold only printable ASCII characters, no spaces'],
  [EXTERNAL_ID_PATTERN, 'must not contain a NUL character or an unpaired surrogate'],
]);
export const Fen = Type.Integer({ minimum: 0, maximum: MAX_FEN, description: 'Money in fen (1/100 yuan)' });
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Calendar day yyyy-MM-dd in the tenant timezone' });
export const DateOrInstant = Type.String({ maxLength: 40, description: 'yyyy-MM-dd (tenant timezone) or ISO 8601 instant with offset' });
export const Clock = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'Local time HH:mm' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TemplateKindSchema = Type.Enum(TEMPLATE_KINDS);
export const CouponStatusSchema = Type.Enum(COUPON_STATUSES);
export const PackageStatusSchema = Type.Enum(PACKAGE_STATUSES);

export const TimeWindowSchema = Type.Object({ from: Clock, to: Clock }, { additionalProperties: false });

export const TemplateRuleSchema = Type.Object(
  {
    validFrom: Type.Optional(Nullable(DateOnly)),
    validTo: Type.Optional(Nullable(DateOnly)),
    validDaysAfterClaim: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 36500 }))),
    minOrderAmount: Type.Optional(Fen),
    maxDiscountAmount: Type.Optional(Fen),
    productKindIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
    channelIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
    weekdays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 })),
    timeWindows: Type.Optional(Type.Array(TimeWindowSchema, { maxItems: 24 })),
  },
  { additionalProperties: false },
);

/**
 * Template `display`: free-form presentation values (picUrl, color, brandName, content, extra…)
 * that dialects and the console show as they are. Bounded so one template cannot bloat every
 * wallet read and the template cache: at most 50 keys, text up to 2000 characters, lists up to 50
 * items, nested two levels below a key (display.a.b.c). Written without a `type` per level, so each
 * limit applies only to values of its kind and an error names the offending field.
 */
export const DISPLAY_LIMITS = { keys: 50, keyLength: 64, text: 2000, items: 50, bytes: 32 * 1024 } as const;
/**
 * Matches every key. `.` stops at line breaks (\n, \r, \u2028, \u2029), so `^.*$` (what a Record
 * generates by default) let a key such as "brand\n" carry a value no limit checked, which the
 * response serializer then dropped. Not additionalProperties: TypeBox reports that keyword as an
 * unknown field as well as the real problem.
 */
export const ANY_KEY = '^[\\s\\S]*$';
const displayLevel = (inner: Record<string, unknown>) => ({
  maxLength: DISPLAY_LIMITS.text,
  maxItems: DISPLAY_LIMITS.items,
  maxProperties: DISPLAY_LIMITS.keys,
  propertyNames: { maxLength: DISPLAY_LIMITS.keyLength },
  items: inner,
  patternProperties: { [ANY_KEY]: inner },
});
const DisplayScalar = { type: ['string', 'number', 'boolean', 'null'], maxLength: DISPLAY_LIMITS.text };
export const DisplaySchema = Type.Record(Type.String({ maxLength: DISPLAY_LIMITS.keyLength, pattern: ANY_KEY }), Type.Unsafe<unknown>(displayLevel(displayLevel(DisplayScalar))), {
  maxProperties: DISPLAY_LIMITS.keys,
  // A Record's key schema does not reach the JSON Schema it generates: say it again here.
  propertyNames: { maxLength: DISPLAY_LIMITS.keyLength },
  description: `Presentation values: at most ${DISPLAY_LIMITS.keys} keys, text up to ${DISPLAY_LIMITS.text} characters, lists up to ${DISPLAY_LIMITS.items} items, two levels of nesting, ${DISPLAY_LIMITS.bytes / 1024} KiB in all`,
});

/** What a merchant may set on a template (all optional: PATCH uses it as is, create requires name and kind). */
export const TemplateFieldsSchema = {
  name: Type.Optional(Name),
  kind: Type.Optional(TemplateKindSchema),
  amount: Type.Optional(Nullable(Fen)),
  discount: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 10, description: '折 figure: 8.5 = pay 85 %' }))),
  themeId: Type.Optional(Nullable(Id)),
  sort: Type.Optional(Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 })),
  rule: Type.Optional(TemplateRuleSchema),
  stock: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000 }))),
  perUserLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
  claimFrom: Type.Optional(Nullable(DateOnly)),
  claimTo: Type.Optional(Nullable(DateOnly)),
  display: Type.Optional(DisplaySchema),
};

export const PackageRuleSchema = Type.Object(
  {
    receiveFrom: Type.Optional(Nullable(DateOnly)),
    receiveTo: Type.Optional(Nullable(DateOnly)),
    totalLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
    perUserLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
  },
  { additionalProperties: false },
);

export const PackageItemSchema = Type.Object({ templateId: Id, count: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false });

export const PackageFieldsSchema = {
  name: Type.Optional(Name),
  alias: Type.Optional(Type.String({ maxLength: 100 })),
  aliasCodeType: Type.Optional(Type.Union([Type.Literal('unique'), Type.Literal('shared')])),
  channelIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
  remark: Type.Optional(Nullable(Text)),
  url: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  rule: Type.Optional(PackageRuleSchema),
  items: Type.Optional(Type.Array(PackageItemSchema, { minItems: 1, maxItems: 50 })),
};

/**
 * The data set format of SPEC §2: one JSON document of tenants and everything they own.
 * Fields beyond the SPEC (number, claimed, status, receipts, redemptions, keyHash…) make export →
 * import round-trip; all of them are optional on import.
 */
import { Type, type Static } from 'typebox';
import { CREDENTIAL_KINDS } from '../../domain/credential.ts';
import {
  ANY_KEY,
  CouponCode,
  CouponStatusSchema,
  DateOrInstant,
  ExternalId,
  Fen,
  Id,
  Name,
  Nullable,
  PackageFieldsSchema,
  PackageStatusSchema,
  TemplateFieldsSchema,
} from '../schemas/fields.ts';

const NamedItem = Type.Object({ id: Id, name: Name }, { additionalProperties: false });
const Short = Type.String({ minLength: 1, maxLength: 200 });

const CredentialItem = Type.Object(
  {
    id: Type.Optional(Id),
    kind: Type.Enum(CREDENTIAL_KINDS),
    label: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    role: Type.Optional(Type.Union([Type.Literal('merchant'), Type.Literal('cashier'), Type.Literal('client')])),
    key: Type.Optional(Short),
    keyHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    keyHint: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    client: Type.Optional(Short),
    secret: Type.Optional(Short),
    channel: Type.Optional(Type.String({ maxLength: 200 })),
    desKey: Type.Optional(Short),
    openId: Type.Optional(Short),
    grantCode: Type.Optional(Short),
    appId: Type.Optional(Short),
    appSecret: Type.Optional(Short),
  },
  { additionalProperties: false },
);

const TemplateItem = Type.Object(
  {
    ...TemplateFieldsSchema,
    id: Id,
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_000_000_000 })),
    name: Name,
    kind: TemplateFieldsSchema.kind,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
    claimed: Type.Optional(Type.Integer({ minimum: 0 })),
    // Only an object here: the display limits are checked for the templates the import creates
    // (newTemplates), so a file exported from a store holding a template saved before those limits
    // imports again, leaving that template as it is.
    display: Type.Optional(Type.Record(Type.String({ pattern: ANY_KEY }), Type.Unknown())),
    extra: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    createdAt: Type.Optional(DateOrInstant),
  },
  { additionalProperties: false },
);

const PackageItem = Type.Object(
  {
    ...PackageFieldsSchema,
    id: Id,
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    name: Name,
    status: Type.Optional(PackageStatusSchema),
    createdBy: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    operatorId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    examinerId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    suggestion: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    claimed: Type.Optional(Type.Integer({ minimum: 0 })),
    createdAt: Type.Optional(DateOrInstant),
  },
  { additionalProperties: false },
);

const CouponItem = Type.Object(
  {
    id: Id,
    code: CouponCode,
    templateId: Id,
    ownerType: Type.Union([Type.Literal('user'), Type.Literal('operator')]),
    ownerId: Id,
    senderId: Type.Optional(Nullable(Id)),
    chatId: Type.Optional(Nullable(Id)),
    packageId: Type.Optional(Nullable(Id)),
    status: CouponStatusSchema,
    validFrom: DateOrInstant,
    validTo: DateOrInstant,
    issuedAt: DateOrInstant,
    updatedAt: Type.Optional(DateOrInstant),
  },
  { additionalProperties: false },
);

const RedemptionItem = Type.Object(
  {
    id: Id,
    couponId: Id,
    orderId: ExternalId,
    orderAmount: Fen,
    discountAmount: Fen,
    status: Type.Union([Type.Literal('active'), Type.Literal('reversed')]),
    createdAt: DateOrInstant,
    reversedAt: Type.Optional(Nullable(DateOrInstant)),
  },
  { additionalProperties: false },
);

/** Who received a package (one per receipt): per-user package limits count these. */
const ReceiptItem = Type.Object(
  {
    id: Id,
    packageId: Id,
    userId: Id,
    receiptCode: Type.String({ minLength: 1, maxLength: 64 }),
    createdAt: DateOrInstant,
  },
  { additionalProperties: false },
);

const TenantItem = Type.Object(
  {
    id: Id,
    name: Name,
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
    servicePhone: Type.Optional(Type.String({ maxLength: 40 })),
    credentials: Type.Optional(Type.Array(CredentialItem)),
    productKinds: Type.Optional(Type.Array(NamedItem)),
    channels: Type.Optional(Type.Array(NamedItem)),
    themes: Type.Optional(Type.Array(NamedItem)),
    users: Type.Optional(Type.Array(Type.Object({ id: Id, platformIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }))) }, { additionalProperties: false }))),
    operators: Type.Optional(Type.Array(NamedItem)),
    chats: Type.Optional(Type.Array(Type.Object({ id: Id, userId: Id, operatorId: Id }, { additionalProperties: false }))),
    templates: Type.Optional(Type.Array(TemplateItem)),
    packages: Type.Optional(Type.Array(PackageItem)),
    coupons: Type.Optional(Type.Array(CouponItem)),
    receipts: Type.Optional(Type.Array(ReceiptItem)),
    redemptions: Type.Optional(Type.Array(RedemptionItem)),
  },
  { additionalProperties: false },
);

export const DatasetSchema = Type.Object({ tenants: Type.Array(TenantItem) }, { additionalProperties: false });

export type Dataset = Static<typeof DatasetSchema>;
export type TenantData = Static<typeof TenantItem>;
export type TemplateItemData = Static<typeof TemplateItem>;
export type PackageItemData = Static<typeof PackageItem>;
export type CouponItemData = Static<typeof CouponItem>;
export type ReceiptItemData = Static<typeof ReceiptItem>;
export type RedemptionItemData = Static<typeof RedemptionItem>;
export type CredentialItemData = Static<typeof CredentialItem>;

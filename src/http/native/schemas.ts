/** Response and shared request schemas of the native API (they also generate /openapi.json). */
import { Type } from 'typebox';
import { ANY_KEY, CouponStatusSchema, ExternalId, Id, Nullable, PackageItemSchema, PackageStatusSchema, TemplateKindSchema, TemplateRuleSchema } from '../../app/schemas/fields.ts';

const Instant = Type.String({ description: 'ISO 8601 instant, in the tenant timezone offset' });
const NullableInt = Nullable(Type.Integer());

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable snake_case error code' }),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    reasons: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

/**
 * Failures as they are sent: `application/problem+json` (RFC 9457), not application/json, so the
 * OpenAPI document says so. Fastify picks this serializer by the reply's content type; errors.ts
 * always sets it.
 */
const problemContent = { 'application/problem+json': { schema: Type.Ref('Problem') } };
export const problemResponses = {
  '4xx': { description: 'RFC 9457 problem details', content: problemContent },
  '5xx': { description: 'RFC 9457 problem details: 503 `database_busy` (with Retry-After) while another process holds the SQLite write lock too long; any other cause is logged, not shown', content: problemContent },
};

export const TenantSchema = Type.Object({ id: Type.String(), name: Type.String(), timezone: Type.String(), servicePhone: Type.String(), createdAt: Instant }, { $id: 'Tenant' });

export const CredentialSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    role: Nullable(Type.String()),
    label: Nullable(Type.String()),
    keyHint: Nullable(Type.String()),
    client: Type.Optional(Type.String()),
    channel: Type.Optional(Type.String()),
    openId: Type.Optional(Type.String()),
    grantCode: Type.Optional(Type.String()),
    appId: Type.Optional(Type.String()),
    createdAt: Instant,
  },
  { $id: 'Credential' },
);

export const IssuedCredentialSchema = Type.Object(
  {
    credential: Type.Ref('Credential'),
    secrets: Type.Record(Type.String(), Type.String(), { description: 'Shown this once: the API key, or the partner secret / DES key' }),
  },
  { $id: 'IssuedCredential' },
);

export const NamedSchema = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'Named' });

export const UserSchema = Type.Object({ id: Type.String(), platformIds: Type.Array(Type.String()) }, { $id: 'User' });
export const ChatSchema = Type.Object({ id: Type.String(), userId: Type.String(), operatorId: Type.String() }, { $id: 'Chat' });

export const TemplateSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    number: Type.Integer(),
    name: Type.String(),
    kind: TemplateKindSchema,
    amount: NullableInt,
    discount: Nullable(Type.Number()),
    themeId: Nullable(Type.String()),
    sort: Type.Integer(),
    rule: TemplateRuleSchema,
    stock: NullableInt,
    perUserLimit: NullableInt,
    claimed: Type.Integer(),
    remaining: Nullable(Type.Integer({ description: 'stock − claimed; null when unlimited' })),
    claimFrom: Nullable(Type.String()),
    claimTo: Nullable(Type.String()),
    // ANY_KEY: the serializer writes only keys its pattern matches, and `^.*$` misses "brand\n".
    display: Type.Record(Type.String({ pattern: ANY_KEY }), Type.Unknown()),
    status: Type.String({ enum: ['active', 'archived'] }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Template' },
);

export const PackageSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    alias: Type.String(),
    aliasCodeType: Type.String({ enum: ['unique', 'shared'] }),
    channelIds: Type.Array(Type.String()),
    remark: Nullable(Type.String()),
    url: Nullable(Type.String()),
    status: PackageStatusSchema,
    createdBy: Nullable(Type.String()),
    operatorId: Nullable(Type.String({ description: 'Last actor who changed the package' })),
    examinerId: Nullable(Type.String()),
    suggestion: Nullable(Type.String()),
    rule: Type.Object({ receiveFrom: Nullable(Type.String()), receiveTo: Nullable(Type.String()), totalLimit: NullableInt, perUserLimit: NullableInt }),
    items: Type.Array(PackageItemSchema),
    claimed: Type.Integer({ description: 'Receipts so far' }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Package' },
);

export const CouponSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    templateId: Type.String(),
    status: CouponStatusSchema,
    notYetEffective: Type.Boolean({ description: 'usable, but before validFrom' }),
    ownerType: Type.String({ enum: ['user', 'operator'] }),
    ownerId: Type.String(),
    senderId: Nullable(Type.String()),
    chatId: Nullable(Type.String()),
    packageId: Nullable(Type.String()),
    validFrom: Instant,
    validTo: Instant,
    issuedAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Coupon', description: 'status is effective: a live coupon past validTo reads expired' },
);

export const ReceiptSchema = Type.Object(
  { id: Type.String(), packageId: Type.String(), userId: Type.String(), receiptCode: Type.String(), coupons: Type.Array(Type.Ref('Coupon')) },
  { $id: 'PackageReceipt' },
);

export const ReasonSchema = Type.Object({ code: Type.String(), message: Type.String() });

export const EvaluationSchema = Type.Object(
  { valid: Type.Boolean(), discountAmount: Type.Integer({ description: 'fen' }), reasons: Type.Array(ReasonSchema), couponId: Type.String(), code: Type.String() },
  { $id: 'Evaluation' },
);

export const RedemptionSchema = Type.Object(
  {
    id: Type.String(),
    couponId: Type.String(),
    code: Type.String(),
    orderId: Type.String(),
    orderAmount: Type.Integer(),
    discountAmount: Type.Integer(),
    status: Type.String({ enum: ['active', 'reversed'] }),
    createdAt: Instant,
    reversedAt: Nullable(Instant),
  },
  { $id: 'Redemption' },
);

export const EventSchema = Type.Object(
  {
    seq: Type.Integer(),
    at: Instant,
    actor: Type.Object({ type: Type.String(), id: Type.String() }),
    action: Type.String(),
    subjectType: Type.String(),
    subjectId: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Event' },
);

export const WalletGroupSchema = Type.Object(
  {
    templateId: Type.String(),
    templateName: Type.String(),
    kind: Type.String(),
    state: Type.String({ description: 'usable, not_yet_effective, frozen, used, expired, closed or deleted' }),
    count: Type.Integer(),
    couponIds: Type.Array(Type.String()),
    codes: Type.Array(Type.String()),
    latestIssuedAt: Instant,
  },
  { $id: 'WalletGroup' },
);

export const OrderSchema = Type.Object(
  {
    id: ExternalId,
    amount: Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: 'fen' }),
    productKindIds: Type.Optional(Type.Array(Id, { maxItems: 200 })),
    channelId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

export const RedeemBody = Type.Object({ code: ExternalId, order: OrderSchema }, { additionalProperties: false });

export const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const list = (ref: string) =>
  Type.Object({ data: Type.Array(Type.Ref(ref)), total: Type.Optional(Type.Integer()), nextCursor: Type.Optional(Nullable(Type.String())) });

export const SHARED_SCHEMAS = [
  ProblemSchema,
  TenantSchema,
  CredentialSchema,
  IssuedCredentialSchema,
  NamedSchema,
  UserSchema,
  ChatSchema,
  TemplateSchema,
  PackageSchema,
  CouponSchema,
  ReceiptSchema,
  EvaluationSchema,
  RedemptionSchema,
  EventSchema,
  WalletGroupSchema,
];

export { CouponStatusSchema, Id };
